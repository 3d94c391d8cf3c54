"""Every email says why the person receives it and links to their email preferences; every bulk
email carries List-Unsubscribe for its own kind, and both links work. Checked on the emails as
they leave the outbox, made by the services that send them."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from announcements.dispatch import announcement_send_request
from announcements.models import Announcement
from announcements.services import announcement_send
from copsite.digest import digests_send
from meetings.services.coordinating import meeting_cancel, meeting_save
from meetings.services.registrations import registration_create
from meetings.services.reminders import meeting_reminders_send
from members.contact import members_contactable
from members.links import link_claims
from members.models import OutgoingEmail
from members.outbox.bulk import UNSUBSCRIBE_LINK
from members.outbox.reasons import EMAIL_REASONS, email_reason
from members.services.attrition import attrition_run
from members.services.joining import member_activate_on_verification
from resources.services import resource_publish
from surveys.services.checkins import checkin_round_run
from surveys.services.invitations import invitations_create, invitations_remind
from tests.factories import MemberFactory, UserFactory, member_with_account
from tests.meetings.factories import MeetingFactory
from tests.outbox_helpers import deliver_all, html_part, path_of, urls
from tests.resources.factories import ResourceFactory, editor_account
from tests.surveys.factories import survey_with_questions

# The outbox rows are sent by deliver_all(), as a worker would: no commit needed.
pytestmark = pytest.mark.django_db

SITE = "https://cop.example.org"
TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def ago(days):
    return timezone.now() - timedelta(days=days)


# Each sends one bulk email of its kind to the member it returns.
def checkin_round():
    survey_with_questions(is_checkin=True)
    member = MemberFactory(joined_at=ago(60))
    checkin_round_run()
    return member, "checkin"


def survey_invitation():
    survey = survey_with_questions(audience_statuses=["active"])
    member = MemberFactory()
    invitations_create(survey=survey)
    return member, "survey"


def survey_reminder():
    survey = survey_with_questions()
    member = MemberFactory()
    invitations_create(survey=survey)
    deliver_all()
    survey.invitations.update(sent_at=ago(10))
    invitations_remind(survey=survey)
    return member, "survey"


def meeting_reminder():
    member = MemberFactory()
    registration_create(
        meeting=MeetingFactory(starts_at=timezone.now() + timedelta(hours=5)), member=member
    )
    deliver_all()
    meeting_reminders_send()
    return member, "reminder"


def digest():
    member = MemberFactory()
    MeetingFactory(starts_at=timezone.now() + timedelta(days=5))
    digests_send()
    return member, "digest"


def reengagement():
    member = MemberFactory(joined_at=ago(200))
    attrition_run()
    return member, "checkin"


def announcement():
    member = MemberFactory()
    sent = Announcement.objects.create(subject="Summer social", body="Join us **in June**.")
    announcement_send_request(announcement=sent, by=UserFactory(is_staff=True))
    announcement_send(announcement_id=sent.pk)
    return member, "announcement"


BULK = [
    checkin_round,
    survey_invitation,
    survey_reminder,
    meeting_reminder,
    digest,
    reengagement,
    announcement,
]


@pytest.mark.parametrize("send", BULK, ids=[send.__name__ for send in BULK])
def test_bulk_email_unsubscribes_from_its_own_kind_and_links_to_preferences(send):
    member, kind = send()
    [message] = [m for m in deliver_all() if m.to == [member.email]][-1:]

    # List-Unsubscribe: https and mailto, one-click POST (RFC 8058), for this kind only.
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = message.extra_headers["List-Unsubscribe"].split(", ")
    assert mailto.startswith("<mailto:")
    unsubscribe = https.strip("<>")
    token = path_of(unsubscribe, SITE).rstrip("/").rsplit("/", 1)[1]
    assert link_claims(purpose=UNSUBSCRIBE_LINK, token=token, required={"k"})["k"] == kind
    # The body says why, and links to the preferences and to stopping this kind.
    reason = email_reason(kind=kind, community=settings.COMMUNITY_NAME)
    for body in (message.body, html_part(message)):
        assert f"You receive this email because {reason}" in body.replace("&#x27;", "'")
        assert unsubscribe in body
    [preferences] = [url for url in urls(message.body) if "/members/preferences/" in url]
    assert preferences in html_part(message)

    page = Client().get(path_of(preferences, SITE))
    one_click = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe, SITE), {"List-Unsubscribe": "One-Click"}
    )

    assert page.status_code == 200
    assert f"For {member.email}." in page.content.decode()
    assert one_click.status_code == 200
    assert not members_contactable(kind=kind).filter(pk=member.pk).exists()


def welcome():
    member = member_with_account(status="prospect")
    member_activate_on_verification(user=member.user)
    return member, "welcome"


def registration_going():
    member = MemberFactory()
    registration_create(meeting=MeetingFactory(), member=member)
    return member, "meeting"


def meeting_changed():
    member = MemberFactory()
    meeting = MeetingFactory()
    registration_create(meeting=meeting, member=member)
    deliver_all()
    meeting.location, meeting.format = "Central Library, room 2", "hybrid"
    meeting_save(meeting=meeting, changed_fields=["location", "format"])
    return member, "meeting"


def meeting_cancelled():
    member = MemberFactory()
    meeting = MeetingFactory()
    registration_create(meeting=meeting, member=member)
    deliver_all()
    meeting_cancel(meeting=meeting)
    return member, "meeting"


def resource_published():
    resource = ResourceFactory(status="submitted", published_at=None)
    resource_publish(resource=resource, by=editor_account().user)
    return resource.author, "resource"


OWN = [welcome, registration_going, meeting_changed, meeting_cancelled, resource_published]


@pytest.mark.parametrize("send", OWN, ids=[send.__name__ for send in OWN])
def test_other_emails_say_why_and_link_to_preferences_without_unsubscribe(send):
    member, kind = send()
    [message] = [m for m in deliver_all() if m.to == [member.email]][-1:]

    assert "List-Unsubscribe" not in message.extra_headers
    reason = email_reason(kind=kind, community=settings.COMMUNITY_NAME)
    [preferences] = [url for url in urls(message.body) if "/members/preferences/" in url]
    for body in (message.body, html_part(message)):
        assert f"You receive this email because {reason}" in body.replace("&#x27;", "'")
        assert preferences in body
    assert Client().get(path_of(preferences, SITE)).status_code == 200
    # Every link in it is on the site (or the meeting's own online room).
    for url in urls(message.body):
        assert url.startswith((SITE, "https://meet.example.org/")), url


def test_the_meeting_reminder_no_longer_sends_people_to_their_profile():
    member, _ = meeting_reminder()
    [message] = [m for m in deliver_all() if m.to == [member.email]]

    assert "profile" not in message.body
    assert "profile" not in html_part(message)
    assert "Stop meeting reminder emails" in message.body


def test_every_kind_of_email_has_a_reason():
    assert set(EMAIL_REASONS) == set(OutgoingEmail.Kind.values)


def email_templates():
    for path in sorted(TEMPLATES.glob("**/email/*.txt")):
        if path.name.startswith("_") or path.name.endswith("_subject.txt"):
            continue
        if path.name in {"base_message.txt", "base_notification.txt"}:
            continue
        yield path


@pytest.mark.parametrize(
    "path", list(email_templates()), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_every_email_template_has_the_footer_and_an_html_part(path):
    text = path.read_text()
    html = path.with_suffix(".html")

    assert text.startswith(
        ('{% extends "emails/base.txt" %}', '{% extends "account/email/base_message.txt" %}')
    )
    assert html.exists()
    assert html.read_text().startswith(
        ('{% extends "emails/base.html" %}', '{% extends "account/email/base_message.html" %}')
    )
