"""RFC 8058 one-click unsubscribe: POST without cookies or CSRF, 200, idempotent."""

import pytest
from django.test import Client
from django.urls import reverse

from members.outbox.bulk import unsubscribe_token
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def url(member, kind="checkin"):
    return reverse("members:unsubscribe", args=[unsubscribe_token(member=member, kind=kind)])


def test_one_click_post_without_csrf_unsubscribes_idempotently():
    member = MemberFactory(checkin_cadence="monthly")
    mail_client = Client(enforce_csrf_checks=True)

    first = mail_client.post(url(member), {"List-Unsubscribe": "One-Click"})
    second = mail_client.post(url(member), {"List-Unsubscribe": "One-Click"})

    assert (first.status_code, second.status_code) == (200, 200)
    assert "You are unsubscribed" in first.content.decode()
    member.refresh_from_db()
    assert member.checkin_cadence == "paused"


def test_get_shows_a_button_and_changes_nothing(client):
    member = MemberFactory(wants_digest=True)

    html = client.get(url(member, "digest")).content.decode()

    assert '<button type="submit"' in html
    assert "Stop digest emails" in html
    member.refresh_from_db()
    assert member.wants_digest is True


def test_digest_and_reminder_links_turn_off_their_own_kind_only(client):
    member = MemberFactory(checkin_cadence="monthly")

    client.post(url(member, "digest"))
    client.post(url(member, "reminder"))

    member.refresh_from_db()
    assert (member.wants_digest, member.wants_meeting_reminders, member.checkin_cadence) == (
        False,
        False,
        "monthly",
    )


@pytest.mark.parametrize("token", ["x", "eyJtIjoxLCJrIjoiY2hlY2tpbiJ9:1a:forged"])
def test_tampered_link_is_404_and_changes_nothing(client, token):
    member = MemberFactory(checkin_cadence="monthly")

    response = client.post(reverse("members:unsubscribe", args=[token]))

    assert response.status_code == 404
    member.refresh_from_db()
    assert member.checkin_cadence == "monthly"


def test_unsubscribe_token_is_not_a_preferences_token(client):
    member = MemberFactory()
    token = unsubscribe_token(member=member, kind="checkin")

    assert client.get(reverse("members:preferences", args=[token])).status_code == 404
