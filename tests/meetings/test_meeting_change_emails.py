"""A change to an upcoming meeting's time, place, format or online link emails each registrant
once per change, with the updated .ics; nothing else does."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting, Registration
from meetings.services.coordinating import meeting_save
from members.models import OutgoingEmail
from tests.factories import MemberFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.outbox_helpers import deliver_all, html_part

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
STARTS = datetime(2027, 3, 2, 12, 0, tzinfo=LONDON)


@pytest.fixture
def meeting():
    return MeetingFactory(
        title="Cataloguing clinic",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=1),
        capacity=1,
        format="hybrid",
        location="Central Library, room 1",
    )


@pytest.fixture
def registrants(meeting):
    going = RegistrationFactory(meeting=meeting, member=MemberFactory(full_name="Gina Going"))
    waiting = RegistrationFactory(
        meeting=meeting, member=MemberFactory(full_name="Will Waiting"), status="waitlisted"
    )
    RegistrationFactory(meeting=meeting, status="cancelled")
    return going, waiting


def changed(meeting, **values):
    meeting = Meeting.objects.get(pk=meeting.pk)
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting_save(meeting=meeting, changed_fields=values)
    return meeting


def ics_event(message):
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("meeting.ics", "text/calendar")
    [event] = Calendar.from_ical(content).events
    return event


def test_a_new_time_emails_going_and_waitlisted_registrants_once_with_the_new_ics(
    meeting, registrants
):
    going, waiting = registrants
    later = STARTS + timedelta(hours=2)

    meeting = changed(meeting, starts_at=later, ends_at=later + timedelta(hours=1))
    messages = {m.to[0]: m for m in deliver_all()}

    assert set(messages) == {going.member.email, waiting.member.email}
    to_going = messages[going.member.email]
    assert to_going.subject == "Changed: Cataloguing clinic (when)"
    assert "When: Tuesday 2 March 2027, 14:00–15:00 (GMT)" in to_going.body
    assert "(was: Tuesday 2 March 2027, 12:00–13:00)" in to_going.body
    assert "Tuesday 2 March 2027, 14:00" in html_part(to_going)
    event = ics_event(to_going)
    assert event.start == later
    assert int(event["sequence"]) == meeting.sequence == 1
    assert "/meetings/" in to_going.body and "/cancel/" in to_going.body
    # The waiting list hears of the change too, without a calendar entry for a seat it lacks.
    assert messages[waiting.member.email].attachments == []


def test_saving_again_without_a_change_emails_nobody_and_a_second_change_emails_again(
    meeting, registrants
):
    changed(meeting, location="Central Library, room 2")
    first = deliver_all()

    changed(meeting, title="Cataloguing clinic (bring examples)")
    unchanged = deliver_all()
    changed(meeting, location="Branch library")
    second = deliver_all()

    assert len(first) == 2
    assert unchanged == []
    assert len(second) == 2
    assert all("Where: Branch library" in m.body for m in second)
    assert all("(was: Central Library, room 2)" in m.body for m in second)


def test_a_new_online_link_is_news_only_to_those_going(meeting, registrants):
    going, _waiting = registrants

    changed(meeting, online_url="https://meet.example.org/new-room")
    [message] = deliver_all()

    assert message.to == [going.member.email]
    assert "Online link: https://meet.example.org/new-room" in message.body
    assert "Join online: https://meet.example.org/new-room" in message.body


@pytest.mark.parametrize(
    "make",
    [
        lambda m: Meeting.objects.filter(pk=m.pk).update(
            starts_at=timezone.now() - timedelta(days=2),
            ends_at=timezone.now() - timedelta(days=2, hours=-1),
        ),
        lambda m: Meeting.objects.filter(pk=m.pk).update(status=Meeting.Status.DRAFT),
    ],
    ids=["past", "draft"],
)
def test_changes_to_a_past_or_draft_meeting_email_nobody(meeting, registrants, make):
    make(meeting)

    changed(meeting, location="Somewhere else")

    assert deliver_all() == []


def test_cancelled_registrations_are_not_emailed(meeting):
    RegistrationFactory(meeting=meeting, status=Registration.Status.CANCELLED)

    changed(meeting, location="Somewhere else")

    assert deliver_all() == []


def test_the_admin_says_how_many_registrants_are_emailed(client, meeting, registrants):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = {
        "title": meeting.title,
        "summary": meeting.summary,
        "description": "",
        "kind": meeting.kind,
        "status": "published",
        "starts_at_0": "2027-03-02",
        "starts_at_1": "18:00",
        "ends_at_0": "2027-03-02",
        "ends_at_1": "19:00",
        "format": meeting.format,
        "location": meeting.location,
        "online_url": meeting.online_url,
        "capacity": "1",
        "series": "",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
    }

    response = client.post(url, data, follow=True)

    assert "2 registrants are being emailed about the change" in response.content.decode()
    assert OutgoingEmail.objects.filter(dedupe_key__startswith="meeting-changed:").count() == 2


def test_a_french_registrant_reads_the_change_in_french(meeting):
    RegistrationFactory(
        meeting=meeting, member=MemberFactory(full_name="Chloé Roy", language="fr-ca")
    )
    later = STARTS + timedelta(hours=2)

    changed(meeting, starts_at=later, ends_at=later + timedelta(hours=1), format="online")
    [message] = deliver_all()

    nbsp = "\N{NO-BREAK SPACE}"
    # French typography survives the subject's tidying: a no-break space before the colon.
    assert message.subject == "Changement\u00a0: Cataloguing clinic (quand, format)"
    assert message.body.startswith("Bonjour Chloé Roy,\n\nUne rencontre à laquelle vous êtes")
    assert f"Quand{nbsp}: mardi 2 mars 2027, 14{nbsp}h{nbsp}00–15{nbsp}h{nbsp}00" in message.body
    assert f"(auparavant{nbsp}: mardi 2 mars 2027, 12{nbsp}h{nbsp}00–13{nbsp}h{nbsp}00)" in (
        message.body
    )
    assert f"Format{nbsp}: En ligne\n  (auparavant{nbsp}: Hybride)" in message.body
    assert "Ouvrez le fichier joint <em>meeting.ics</em>" in html_part(message)
    assert ics_event(message).start == later
