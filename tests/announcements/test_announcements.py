"""Coordinators write to part of the community: the audience by status, sector, interest or a
meeting's registrants or attendees; the count and a preview before sending; sent once through
the outbox with one-click unsubscribe from announcements."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from announcements.dispatch import AnnouncementRefused, announcement_send_request
from announcements.models import Announcement
from announcements.services import announcement_audience, announcement_send
from announcements.tasks import announcements_sending_resume
from members.models import Member, OutgoingEmail
from tests.factories import MemberFactory, UserFactory, sector, topic
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.outbox_helpers import deliver_all, html_part, path_of

pytestmark = pytest.mark.django_db

SITE = "https://cop.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def audience(**fields):
    sectors = fields.pop("sectors", [])
    topics = fields.pop("topics", [])
    announcement = Announcement.objects.create(subject="News", body="Hello all.", **fields)
    announcement.audience_sectors.set(sectors)
    announcement.audience_topics.set(topics)
    return set(announcement_audience(announcement=announcement))


def test_the_audience_is_active_members_who_want_announcements_by_default():
    active = MemberFactory()
    MemberFactory(status=Member.Status.PROSPECT)
    MemberFactory(status=Member.Status.LEFT)
    MemberFactory(wants_announcements=False)
    MemberFactory(email_bounced_at=timezone.now())

    assert audience() == {active}


def test_the_audience_by_status_sector_and_interest():
    school_prospect = MemberFactory(status="prospect", sector=sector("school"))
    MemberFactory(status="prospect", sector=sector("health"))
    reader = MemberFactory(interests=[topic("outreach"), topic("value-impact")])
    MemberFactory(interests=[topic("digital-services")])

    assert audience(audience_statuses=["prospect"], sectors=[sector("school")]) == {school_prospect}
    # Interested in either topic; listed once even when interested in both.
    assert audience(topics=[topic("outreach"), topic("value-impact")]) == {reader}


def test_the_audience_of_a_meeting_registrants_or_attendees():
    meeting = MeetingFactory()
    going = RegistrationFactory(meeting=meeting).member
    waiting = RegistrationFactory(meeting=meeting, status="waitlisted").member
    RegistrationFactory(meeting=meeting, status="cancelled")
    came = RegistrationFactory(meeting=meeting, attended=True).member
    RegistrationFactory(meeting=MeetingFactory())  # another meeting

    registrants = audience(audience_meeting=meeting)
    attendees = audience(audience_meeting=meeting, audience_meeting_who="attendees")

    assert registrants == {going, waiting, came}
    assert attendees == {came}


def test_sending_queues_one_bulk_email_each_once():
    people = MemberFactory.create_batch(3)
    announcement = Announcement.objects.create(
        subject="Summer social",
        body="Join us on **12 June** at [the library](https://lib.example.org/).",
    )
    coordinator = UserFactory(is_staff=True)

    announcement_send_request(announcement=announcement, by=coordinator)
    queued = announcement_send(announcement_id=announcement.pk)
    again = announcement_send(announcement_id=announcement.pk)
    messages = {m.to[0]: m for m in deliver_all()}

    assert (queued, again) == (3, 0)
    announcement.refresh_from_db()
    assert (announcement.status, announcement.recipients, announcement.sent_by) == (
        "sent",
        3,
        coordinator,
    )
    assert set(messages) == {person.email for person in people}
    message = messages[people[0].email]
    assert message.subject == "Summer social"
    assert message.body.startswith(f"Hello {people[0].full_name},\n\nJoin us on **12 June**")
    assert "<strong>12 June</strong>" in html_part(message)
    assert 'href="https://lib.example.org/"' in html_part(message)
    assert "announcements are switched on in your email preferences" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with pytest.raises(AnnouncementRefused):
        announcement_send_request(announcement=announcement, by=coordinator)


def test_one_click_unsubscribe_stops_announcements_only():
    member = MemberFactory(checkin_cadence="monthly")
    announcement = Announcement.objects.create(subject="News", body="Hello.")
    announcement_send_request(announcement=announcement, by=UserFactory())
    announcement_send(announcement_id=announcement.pk)
    [message] = deliver_all()
    url = message.extra_headers["List-Unsubscribe"].split(", ")[0].strip("<>")

    Client(enforce_csrf_checks=True).post(path_of(url, SITE), {"List-Unsubscribe": "One-Click"})

    member.refresh_from_db()
    assert (member.wants_announcements, member.checkin_cadence, member.wants_digest) == (
        False,
        "monthly",
        True,
    )


@pytest.fixture
def coordinator_client(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(user)
    return client


def test_a_coordinator_composes_reviews_the_count_and_preview_then_sends(
    coordinator_client, django_capture_on_commit_callbacks
):
    health = MemberFactory(full_name="Hana Health", sector=sector("health"))
    MemberFactory(sector=sector("school"))
    add = coordinator_client.post(
        reverse("admin:announcements_announcement_add"),
        {
            "subject": "Health libraries meetup",
            "body": "We meet **on Friday**.",
            "audience_statuses": ["active"],
            "audience_sectors": [sector("health").pk],
            "audience_topics": [],
            "audience_meeting": "",
            "audience_meeting_who": "registrants",
            "_review": "Save and review before sending",
        },
    )
    announcement = Announcement.objects.get()
    review_url = reverse("admin:announcements_announcement_review", args=[announcement.pk])
    assert add.url == review_url

    review = coordinator_client.get(review_url).content.decode()
    preview = coordinator_client.get(
        reverse("admin:announcements_announcement_preview_html", args=[announcement.pk])
    )

    assert "It will go to <strong>1</strong> person" in review
    assert "Hello Hana Health," in review  # the text version, as the first recipient sees it
    assert 'value="Send to 1 person"' in review
    assert OutgoingEmail.objects.count() == 0  # reviewing sends nothing
    assert "<strong>on Friday</strong>" in preview.content.decode()
    assert "sandbox" in preview["Content-Security-Policy"]
    assert preview["X-Frame-Options"] == "SAMEORIGIN"

    # Send: the worker renders and queues after the commit, then the outbox sends.
    with django_capture_on_commit_callbacks(execute=True):
        sent = coordinator_client.post(review_url, follow=True)

    assert "is being sent to 1 person" in sent.content.decode()
    [message] = mail.outbox
    assert message.to == [health.email]
    assert message.subject == "Health libraries meetup"
    announcement.refresh_from_db()
    assert announcement.status == "sent"
    # Sent: a record; no second Send.
    assert 'value="Send to' not in coordinator_client.get(review_url).content.decode()


def test_an_empty_audience_is_said_plainly(coordinator_client):
    announcement = Announcement.objects.create(
        subject="Nobody", body="Hi.", audience_statuses=["lapsed"]
    )

    review = coordinator_client.get(
        reverse("admin:announcements_announcement_review", args=[announcement.pk])
    ).content.decode()

    assert "It will go to <strong>0</strong> people" in review
    assert "Hello Sam Example," in review


def test_each_person_gets_our_words_around_the_text_in_their_own_language():
    french = MemberFactory(full_name="Chloé Roy", language="fr-ca")
    english = MemberFactory(full_name="Ann Smith", language="en-ca")
    announcement = Announcement.objects.create(subject="Pique-nique", body="Le **12 juin**.")
    announcement_send_request(announcement=announcement, by=UserFactory(is_staff=True))

    announcement_send(announcement_id=announcement.pk)
    messages = {m.to[0]: m for m in deliver_all()}

    to_french, to_english = messages[french.email], messages[english.email]
    assert to_french.subject == to_english.subject == "Pique-nique"  # the coordinator's text
    assert to_french.body.startswith("Bonjour Chloé Roy,\n\nLe **12 juin**.\n\nL'équipe de")
    assert "<p>L'équipe de coordination</p>" in html_part(to_french)
    assert to_english.body.startswith("Hello Ann Smith,\n\nLe **12 juin**.\n\nThe coordinators")


def test_the_review_page_in_french(coordinator_client):
    MemberFactory(full_name="Hana Health", language="fr-ca")
    announcement = Announcement.objects.create(subject="Nouvelles", body="Bonjour à tous.")

    review = coordinator_client.get(
        reverse("admin:announcements_announcement_review", args=[announcement.pk]),
        headers={"accept-language": "fr-CA"},
    ).content.decode()

    assert "Elle sera envoyée à <strong>1</strong> personne" in review
    assert 'value="Envoyer à 1 personne"' in review
    assert "Le courriel tel que Hana Health le verra" in review
    assert "Bonjour Hana Health," in review  # the preview, in the recipient's language


@pytest.mark.django_db(transaction=True)
def test_send_with_the_broker_down_succeeds_and_the_resume_task_sends_it(client, broker_down):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(user)
    member = MemberFactory(full_name="Rita Redis")
    announcement = Announcement.objects.create(subject="Outage notes", body="Back soon.")
    review_url = reverse("admin:announcements_announcement_review", args=[announcement.pk])

    sent = client.post(review_url, follow=True)

    assert sent.status_code == 200
    assert "is being sent to 1 person" in sent.content.decode()
    announcement.refresh_from_db()
    assert announcement.status == "sending"
    assert OutgoingEmail.objects.count() == 0

    # Beat's safety net, once the broker is back (run here in-process).
    assert announcements_sending_resume.apply().get() == 1
    announcement.refresh_from_db()
    assert announcement.status == "sent"
    assert OutgoingEmail.objects.get(kind="announcement").to_email == member.email
    assert announcements_sending_resume.apply().get() == 0  # nothing twice
