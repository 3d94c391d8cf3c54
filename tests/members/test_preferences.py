import pytest
from django.urls import reverse

from members.models import Member
from members.outbox.bulk import preferences_token
from tests.factories import MemberFactory, member_with_account

pytestmark = pytest.mark.django_db


def test_preferences_link_get_shows_and_changes_nothing(client):
    member = MemberFactory(status=Member.Status.PROSPECT, checkin_cadence="monthly")
    url = reverse("members:preferences", args=[preferences_token(member=member)])

    html = client.get(url).content.decode()

    assert "Email preferences" in html
    assert member.email in html
    member.refresh_from_db()
    assert member.checkin_cadence == "monthly"


def test_preferences_link_post_saves_without_login(client):
    member = MemberFactory(status=Member.Status.PROSPECT)
    url = reverse("members:preferences", args=[preferences_token(member=member)])

    response = client.post(url, {"checkin_cadence": "paused", "wants_digest": ""}, follow=True)

    assert "Your email preferences have been saved." in response.content.decode()
    member.refresh_from_db()
    assert (member.checkin_cadence, member.wants_digest, member.wants_meeting_reminders) == (
        "paused",
        False,
        False,
    )


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

    assert client.get(reverse("members:preferences", args=[token])).status_code == 404


def test_bad_cadence_is_refused_beside_the_field(client):
    member = member_with_account(checkin_cadence="quarterly")
    client.force_login(member.user)

    html = client.post(
        reverse("members:my_preferences"), {"checkin_cadence": "daily"}
    ).content.decode()

    assert "There is a problem" in html
    assert "Choose monthly, quarterly or paused." in html
    member.refresh_from_db()
    assert member.checkin_cadence == "quarterly"
