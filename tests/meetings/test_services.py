import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from meetings.models import Meeting, Registration, Series, TopicVote
from meetings.services.coordinating import meeting_cancel, meeting_save
from meetings.services.feeds import calendar_feed_get_or_create, calendar_feed_regenerate
from meetings.services.registrations import (
    RegistrationRefused,
    registration_cancel,
    registration_create,
    registration_set_attendance,
)
from meetings.services.series import series_create_occurrences, series_dates
from meetings.services.topics import VoteRefused, suggestion_create, suggestion_vote
from members.models import EngagementEvent, Member, OutgoingEmail
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def emails_to(member, kind=OutgoingEmail.Kind.MEETING):
    return list(OutgoingEmail.objects.filter(member=member, kind=kind).order_by("created_at"))


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


def test_registration_unique_per_member_and_meeting_in_the_database():
    registration = RegistrationFactory()
    with pytest.raises(IntegrityError):
        Registration.objects.create(meeting=registration.meeting, member=registration.member)


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


def test_meeting_cancel_emails_every_registrant_once_and_raises_sequence():
    meeting = MeetingFactory(capacity=1)
    going, waiting = MemberFactory(), MemberFactory()
    registration_create(meeting=meeting, member=going)
    registration_create(meeting=meeting, member=waiting)
    cancelled_member = MemberFactory()
    r = registration_create(meeting=meeting, member=cancelled_member)
    registration_cancel(registration=r)

    meeting_cancel(meeting=meeting)
    meeting_cancel(meeting=meeting)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    cancellations = OutgoingEmail.objects.filter(subject=f"Cancelled: {meeting.title}")
    assert sorted(e.member_id for e in cancellations) == sorted([going.pk, waiting.pk])
    ics = cancellations.get(member=going).attachments[0]["content"]
    assert "STATUS:CANCELLED" in ics


def test_meeting_save_raises_sequence_only_for_calendar_changes():
    meeting = MeetingFactory()
    meeting.capacity = 30
    meeting_save(meeting=meeting, changed_fields=["capacity"])
    assert meeting.sequence == 0

    meeting.starts_at += timedelta(hours=1)
    meeting.ends_at += timedelta(hours=1)
    meeting_save(meeting=meeting, changed_fields=["starts_at", "ends_at"])

    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_meeting_save_with_more_capacity_promotes_the_waiting_list():
    meeting = MeetingFactory(capacity=1)
    registration_create(meeting=meeting, member=MemberFactory())
    waiting = MemberFactory()
    registration_create(meeting=meeting, member=waiting)

    meeting.capacity = 2
    meeting_save(meeting=meeting, changed_fields=["capacity"])

    assert Registration.objects.get(member=waiting).status == "going"


def test_meeting_save_cancelling_in_the_admin_emails_registrants():
    meeting = MeetingFactory()
    member = MemberFactory()
    registration_create(meeting=meeting, member=member)

    meeting.status = Meeting.Status.CANCELLED
    meeting_save(meeting=meeting, changed_fields=["status"])

    assert emails_to(member)[-1].subject == f"Cancelled: {meeting.title}"
    assert meeting.cancelled_at is not None


# --- Database rules --------------------------------------------------------------------------


def test_meeting_ending_before_it_starts_is_refused_by_the_database():
    starts = timezone.now() + timedelta(days=1)
    with pytest.raises(IntegrityError):
        MeetingFactory(starts_at=starts, ends_at=starts - timedelta(hours=1))


def test_meeting_capacity_zero_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        MeetingFactory(capacity=0)


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


# --- Series ----------------------------------------------------------------------------------


def first_tuesday_series(**kwargs):
    defaults = {
        "title": "Lunch chat",
        "format": "online",
        "online_url": "https://meet.example.org/lunch",
        "frequency": Series.Frequency.MONTHLY,
        "weekday": Series.Weekday.TUESDAY,
        "week_of_month": Series.WeekOfMonth.FIRST,
        "starts_on": date(2027, 1, 1),
        "start_time": time(12),
        "end_time": time(13),
        "occurrences": 6,
    }
    return Series.objects.create(**{**defaults, **kwargs})


def test_series_dates_first_tuesday_of_each_month_for_six_months():
    assert series_dates(series=first_tuesday_series()) == [
        date(2027, 1, 5),
        date(2027, 2, 2),
        date(2027, 3, 2),
        date(2027, 4, 6),
        date(2027, 5, 4),
        date(2027, 6, 1),
    ]


def test_series_dates_last_friday_and_fortnightly():
    last_friday = first_tuesday_series(
        weekday=Series.Weekday.FRIDAY, week_of_month=Series.WeekOfMonth.LAST, occurrences=2
    )
    fortnightly = first_tuesday_series(
        frequency=Series.Frequency.FORTNIGHTLY, weekday=Series.Weekday.MONDAY, occurrences=3
    )
    assert series_dates(series=last_friday) == [date(2027, 1, 29), date(2027, 2, 26)]
    assert series_dates(series=fortnightly) == [
        date(2027, 1, 4),
        date(2027, 1, 18),
        date(2027, 2, 1),
    ]


def test_series_create_occurrences_local_noon_across_daylight_saving_and_idempotent():
    series = first_tuesday_series()

    created = series_create_occurrences(series=series)
    again = series_create_occurrences(series=series)

    assert again == []
    assert len(created) == 6
    local = [m.starts_at.astimezone(LONDON) for m in Meeting.objects.filter(series=series)]
    assert {(t.hour, t.minute) for t in local} == {(12, 0)}
    # Noon in London is 12:00 UTC in winter and 11:00 UTC in summer.
    utc_hours = [m.starts_at.astimezone(zoneinfo.ZoneInfo("UTC")).hour for m in created]
    assert utc_hours == [12, 12, 12, 11, 11, 11]
    assert {m.status for m in created} == {"published"}


# --- Topic suggestions -----------------------------------------------------------------------


def test_suggestion_create_counts_the_suggesters_vote():
    member = MemberFactory()
    suggestion = suggestion_create(member=member, title="Makerspaces")
    assert list(suggestion.votes.values_list("member_id", flat=True)) == [member.pk]


def test_suggestion_vote_twice_refused_and_one_vote_kept():
    suggestion = suggestion_create(member=MemberFactory(), title="Makerspaces")
    voter = MemberFactory()
    suggestion_vote(suggestion=suggestion, member=voter)

    with pytest.raises(VoteRefused, match="already voted"):
        suggestion_vote(suggestion=suggestion, member=voter)

    assert TopicVote.objects.filter(suggestion=suggestion).count() == 2


def test_suggestions_ranked_by_votes():
    few = suggestion_create(member=MemberFactory(), title="Few")
    many = suggestion_create(member=MemberFactory(), title="Many")
    for _ in range(3):
        suggestion_vote(suggestion=many, member=MemberFactory())

    ranked = list(type(few).objects.ranked().values_list("title", "vote_count"))
    assert ranked == [("Many", 4), ("Few", 1)]


# --- Calendar feed ---------------------------------------------------------------------------


def test_calendar_feed_regenerate_revokes_the_old_token():
    member = MemberFactory()
    old = calendar_feed_get_or_create(member=member).token

    new = calendar_feed_regenerate(member=member).token

    assert new != old
    assert calendar_feed_get_or_create(member=member).token == new


def test_confirmation_email_shows_times_in_the_members_zone():
    starts = datetime(2027, 1, 12, 12, 0, tzinfo=LONDON)
    meeting = MeetingFactory(starts_at=starts, ends_at=starts + timedelta(hours=1))
    member = MemberFactory(time_zone="America/New_York")

    registration_create(meeting=meeting, member=member)

    [email] = emails_to(member)
    assert "Tuesday 12 January 2027, 07:00\N{EN DASH}08:00" in email.body_text
