"""Registering for a meeting: seats, the waiting list, cancelling and attendance."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Meeting, Registration
from meetings.services.registrations import (
    RegistrationRefused,
    registration_cancel,
    registration_create,
    registration_set_attendance,
)
from members.models import EngagementEvent, Member, OutgoingEmail
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory, emails_to

pytestmark = pytest.mark.django_db


# --- Capacity and the waiting list -----------------------------------------------------------


def test_registration_create_going_when_seats_left_sends_confirmation_with_ics():
    meeting = MeetingFactory(capacity=2)
    member = MemberFactory()

    registration = registration_create(meeting=meeting, member=member)

    assert registration.status == Registration.Status.GOING
    [email] = emails_to(member)
    assert email.subject == f"You are registered: {meeting.title}"
    assert "https://meet.example.org/secret-room" in email.body_text
    assert [a["filename"] for a in email.attachments] == ["meeting.ics"]
    assert "BEGIN:VEVENT" in email.attachments[0]["content"]


def test_registration_create_waitlisted_with_position_when_full():
    meeting = MeetingFactory(capacity=1)
    registration_create(meeting=meeting, member=MemberFactory())
    second, third = MemberFactory(), MemberFactory()

    r2 = registration_create(meeting=meeting, member=second)
    r3 = registration_create(meeting=meeting, member=third)

    assert (r2.status, r3.status) == ("waitlisted", "waitlisted")
    assert (r2.waitlist_position(), r3.waitlist_position()) == (1, 2)
    [email] = emails_to(third)
    assert "number 2 on its waiting list" in email.body_text
    # The waiting list gets no online link and no calendar entry yet.
    assert "secret-room" not in email.body_text
    assert email.attachments == []


def test_registration_create_without_capacity_always_going():
    meeting = MeetingFactory(capacity=None)
    statuses = {
        registration_create(meeting=meeting, member=MemberFactory()).status for _ in range(5)
    }
    assert statuses == {"going"}


@pytest.mark.parametrize(
    ("meeting_kwargs", "message"),
    [
        ({"status": Meeting.Status.DRAFT}, "not open for registration"),
        ({"status": Meeting.Status.CANCELLED}, "has been cancelled"),
        (
            {"starts_at": timezone.now() - timedelta(days=1)},
            "has already started",
        ),
    ],
    ids=["draft", "cancelled", "past"],
)
def test_registration_create_refused_writes_nothing(meeting_kwargs, message):
    meeting = MeetingFactory(**meeting_kwargs)
    member = MemberFactory()

    with pytest.raises(RegistrationRefused, match=message):
        registration_create(meeting=meeting, member=member)

    assert Registration.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert EngagementEvent.objects.count() == 0


def test_registration_create_twice_refused():
    meeting = MeetingFactory()
    member = MemberFactory()
    registration_create(meeting=meeting, member=member)

    with pytest.raises(RegistrationRefused, match="already registered"):
        registration_create(meeting=meeting, member=member)

    assert Registration.objects.filter(member=member).count() == 1
    assert len(emails_to(member)) == 1


def test_registration_create_refused_for_lapsed_member():
    member = MemberFactory(status=Member.Status.LAPSED)
    with pytest.raises(RegistrationRefused, match="active members"):
        registration_create(meeting=MeetingFactory(), member=member)
    assert Registration.objects.count() == 0


def test_registration_create_counts_as_rsvp_engagement_once():
    meeting = MeetingFactory()
    member = MemberFactory()
    registration = registration_create(meeting=meeting, member=member)
    registration_cancel(registration=registration)
    registration_create(meeting=meeting, member=member)

    events = EngagementEvent.objects.filter(member=member)
    assert [(e.kind, e.source) for e in events] == [("rsvp", f"meeting:{meeting.pk}")]


# --- Cancelling and promotion ----------------------------------------------------------------


def test_registration_cancel_promotes_first_waitlisted_and_tells_them():
    meeting = MeetingFactory(capacity=1)
    first, second, third = MemberFactory(), MemberFactory(), MemberFactory()
    going = registration_create(meeting=meeting, member=first)
    registration_create(meeting=meeting, member=second)
    registration_create(meeting=meeting, member=third)

    registration_cancel(registration=going)

    statuses = dict(Registration.objects.values_list("member_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "going", third.pk: "waitlisted"}
    promoted_email = emails_to(second)[-1]
    assert promoted_email.subject == f"A place is yours: {meeting.title}"
    assert "secret-room" in promoted_email.body_text
    assert promoted_email.attachments[0]["filename"] == "meeting.ics"
    assert Registration.objects.get(member=third).waitlist_position() == 1


def test_registration_cancel_from_waitlist_promotes_nobody():
    meeting = MeetingFactory(capacity=1)
    registration_create(meeting=meeting, member=MemberFactory())
    waiting = registration_create(meeting=meeting, member=MemberFactory())
    behind = MemberFactory()
    registration_create(meeting=meeting, member=behind)

    registration_cancel(registration=waiting)

    assert Registration.objects.get(member=behind).status == "waitlisted"
    assert meeting.registrations.filter(status="going").count() == 1


def test_registration_cancel_twice_refused():
    registration = registration_create(meeting=MeetingFactory(), member=MemberFactory())
    registration_cancel(registration=registration)
    with pytest.raises(RegistrationRefused, match="already cancelled"):
        registration_cancel(registration=registration)


def test_registering_again_after_cancelling_joins_the_back_of_the_queue():
    meeting = MeetingFactory(capacity=1)
    registration_create(meeting=meeting, member=MemberFactory())
    early = MemberFactory()
    early_registration = registration_create(meeting=meeting, member=early)
    registration_create(meeting=meeting, member=MemberFactory())
    registration_cancel(registration=early_registration)

    again = registration_create(meeting=meeting, member=early)

    assert again.pk == early_registration.pk
    assert (again.status, again.waitlist_position()) == ("waitlisted", 2)


# --- Attendance ------------------------------------------------------------------------------


def test_registration_set_attendance_counts_as_engagement_once():
    meeting = MeetingFactory(starts_at=timezone.now() - timedelta(days=2))
    registration = RegistrationFactory(meeting=meeting)

    registration_set_attendance(registration=registration, attended=True)
    registration_set_attendance(registration=registration, attended=True)

    registration.refresh_from_db()
    assert registration.attended is True
    [event] = EngagementEvent.objects.filter(member=registration.member)
    assert (event.kind, event.occurred_at) == ("attended", meeting.starts_at)

    registration_set_attendance(registration=registration, attended=False)
    assert EngagementEvent.objects.filter(member=registration.member).count() == 0
