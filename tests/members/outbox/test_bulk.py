"""The signed links every bulk email carries: tampered, foreign or outdated ones get nowhere."""

import pytest
from django.urls import reverse

from members.models import Member
from members.outbox.bulk import preferences_token, unsubscribe_token
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["x", "eyJtIjoxLCJrIjoiY2hlY2tpbiJ9:1a:forged"])
def test_unsubscribe_link_tampered_is_404_and_changes_nothing(client, token):
    member = MemberFactory(checkin_cadence="monthly")

    response = client.post(reverse("members:unsubscribe", args=[token]))

    assert response.status_code == 404
    member.refresh_from_db()
    assert member.checkin_cadence == "monthly"


def test_unsubscribe_token_is_not_a_preferences_token(client):
    member = MemberFactory()
    token = unsubscribe_token(member=member, kind="checkin")

    response = client.get(reverse("members:preferences", args=[token]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "eyJtIjoxfQ:1abc:forged"])
def test_tampered_preferences_link_is_404_and_changes_nothing(client, token):
    member = MemberFactory(checkin_cadence="monthly")

    response = client.post(
        reverse("members:preferences", args=[token]), {"checkin_cadence": "paused"}
    )

    assert response.status_code == 404
    member.refresh_from_db()
    assert member.checkin_cadence == "monthly"


def test_preferences_link_stops_working_when_the_address_changes(client):
    member = MemberFactory()
    token = preferences_token(member=member)
    Member.objects.filter(pk=member.pk).update(email="changed@example.org")

    response = client.get(reverse("members:preferences", args=[token]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "changed@example.org" not in response.content.decode()
