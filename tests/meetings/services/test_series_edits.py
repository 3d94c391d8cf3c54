"""Editing a series reaches its future meetings, and only the fields that changed."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from meetings.models import Meeting, Registration, Series
from meetings.services.coordinating import meeting_cancel
from meetings.services.series import series_create_occurrences
from meetings.services.series_edits import (
    series_edit_apply,
    series_edit_summary,
    series_leftover_cancel,
    series_leftover_meetings,
)
from members.models import OutgoingEmail
from tests.factories import topic
from tests.meetings.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Between the second and the third Monday of the series below.
NOW = datetime(2027, 1, 12, 12, 0, tzinfo=LONDON)


@pytest.fixture
def weekly():
    """Four Mondays, 4 to 25 January 2027, 16:00 to 17:00; two are past at NOW."""
    series = Series.objects.create(
        title="Monday drop-in",
        format="online",
        online_url="https://meet.example.org/drop-in",
        frequency=Series.Frequency.WEEKLY,
        weekday=Series.Weekday.MONDAY,
        starts_on=date(2027, 1, 4),
        start_time=time(16),
        end_time=time(17),
        occurrences=4,
    )
    series_create_occurrences(series=series)
    return series


def schedule(series):
    return [
        (m.starts_at.astimezone(LONDON).strftime("%d %b %H:%M"), m.status)
        for m in Meeting.objects.filter(series=series).order_by("starts_at")
    ]


def test_more_meetings_and_a_later_time_reach_future_meetings_only(weekly):
    registration = RegistrationFactory(meeting=Meeting.objects.get(starts_at__day=18))
    weekly.occurrences, weekly.start_time, weekly.end_time = 6, time(16, 30), time(17, 30)
    weekly.save()

    edit = series_edit_apply(
        series=weekly, changed_fields=["occurrences", "start_time", "end_time"], now=NOW
    )

    assert schedule(weekly) == [
        ("04 Jan 16:00", "published"),
        ("11 Jan 16:00", "published"),
        ("18 Jan 16:30", "published"),
        ("25 Jan 16:30", "published"),
        ("01 Feb 16:30", "published"),
        ("08 Feb 16:30", "published"),
    ]
    registration.meeting.refresh_from_db()
    assert registration.meeting.sequence == 1  # calendars holding it update
    assert series_edit_summary(edit=edit) == [
        "Changed start time, end time on 2 future meetings (18 Jan 2027, 25 Jan 2027).",
        "Created 2 meetings (1 Feb 2027, 8 Feb 2027).",
        "2 past or cancelled meetings were left as they were.",
    ]


def test_details_copied_only_where_changed_keeping_other_edits(weekly):
    later = Meeting.objects.get(starts_at__day=25)
    later.summary = "Special guest this week"
    later.save()
    weekly.title, weekly.capacity = "Monday drop-in (new room)", 12
    weekly.save()
    weekly.topics.set([topic("outreach")])

    series_edit_apply(series=weekly, changed_fields=["title", "capacity", "topics"], now=NOW)

    future = Meeting.objects.filter(series=weekly, starts_at__gt=NOW)
    assert {(m.title, m.capacity) for m in future} == {("Monday drop-in (new room)", 12)}
    assert {t.slug for m in future for t in m.topics.all()} == {"outreach"}
    later.refresh_from_db()
    assert later.summary == "Special guest this week"
    past = Meeting.objects.filter(series=weekly, starts_at__lt=NOW)
    assert {m.title for m in past} == {"Monday drop-in"}


def test_fewer_meetings_keep_the_leftover_and_name_it(weekly):
    last = Meeting.objects.get(starts_at__day=25)
    RegistrationFactory(meeting=last)
    weekly.occurrences = 3
    weekly.save()

    kept = series_edit_apply(series=weekly, changed_fields=["occurrences"], now=NOW)

    assert [m.pk for m in kept.leftover] == [last.pk]
    assert series_leftover_meetings(series=weekly, now=NOW) == [last]
    assert series_edit_summary(edit=kept)[0] == (
        "1 future meeting is beyond the series' dates and was kept (25 Jan 2027). To cancel it, "
        "select the series in the list and choose “Cancel the meetings left over”: it shows who "
        "will be emailed before anything is sent."
    )
    last.refresh_from_db()
    assert last.status == Meeting.Status.PUBLISHED
    assert OutgoingEmail.objects.filter(subject__startswith="Cancelled:").count() == 0


def test_cancelling_the_leftover_emails_its_registrants_once_and_takes_it_out(weekly):
    last = Meeting.objects.get(starts_at__day=25)
    RegistrationFactory(meeting=last)
    weekly.occurrences = 3
    weekly.save()

    first = series_leftover_cancel(series=weekly, now=NOW)
    again = series_leftover_cancel(series=weekly, now=NOW)

    assert (first, again) == ([last], [])
    last.refresh_from_db()
    assert (last.status, last.series_id) == (Meeting.Status.CANCELLED, None)
    assert OutgoingEmail.objects.filter(subject__startswith="Cancelled:").count() == 1
    assert schedule(weekly) == [
        ("04 Jan 16:00", "published"),
        ("11 Jan 16:00", "published"),
        ("18 Jan 16:00", "published"),
    ]


def test_leftover_after_a_later_first_date_are_the_meetings_not_moved(weekly):
    # Two future meetings (18 and 25 Jan); the rule now starts on 8 Feb with one meeting left
    # to hold: the one moved to 8 Feb stays, the other is left over, although it is earlier.
    weekly.starts_on, weekly.occurrences = date(2027, 2, 8), 3
    weekly.save()

    edit = series_edit_apply(series=weekly, changed_fields=["starts_on", "occurrences"], now=NOW)

    [moved] = edit.moved
    assert moved.starts_at.astimezone(LONDON).date() == date(2027, 2, 8)
    assert series_leftover_meetings(series=weekly, now=NOW) == edit.leftover
    assert [m.starts_at.astimezone(LONDON).day for m in edit.leftover] == [25]


def test_no_leftover_while_the_number_of_meetings_is_kept(weekly):
    weekly.weekday = Series.Weekday.WEDNESDAY
    weekly.save()  # saved but not applied: the meetings are off the rule's dates, none too many

    assert series_leftover_meetings(series=weekly, now=NOW) == []


def test_a_new_weekday_moves_the_future_meetings_in_order_keeping_the_number(weekly):
    going = RegistrationFactory(meeting=Meeting.objects.get(starts_at__day=18))
    weekly.weekday = Series.Weekday.WEDNESDAY
    weekly.save()

    edit = series_edit_apply(series=weekly, changed_fields=["weekday"], now=NOW)

    assert schedule(weekly) == [
        ("04 Jan 16:00", "published"),
        ("11 Jan 16:00", "published"),
        ("13 Jan 16:00", "published"),
        ("20 Jan 16:00", "published"),
    ]
    assert len(edit.moved) == 2 and edit.created == [] and edit.leftover == []
    # Registrations travel with their meeting.
    assert Registration.objects.get(pk=going.pk).meeting.starts_at.day == 13


def test_cancelled_meetings_are_never_touched_and_hold_their_date(weekly):
    cancelled = meeting_cancel(meeting=Meeting.objects.get(starts_at__day=18))
    weekly.title = "Renamed"
    weekly.save()

    edit = series_edit_apply(series=weekly, changed_fields=["title"], now=NOW)

    cancelled.refresh_from_db()
    assert cancelled.title == "Monday drop-in"
    assert [m.starts_at.day for m in edit.updated] == [25]
    assert edit.created == []


def test_nothing_to_change_says_so(weekly):
    edit = series_edit_apply(series=weekly, changed_fields=[], now=NOW)

    assert series_edit_summary(edit=edit) == [
        "No meeting of the series needed a change.",
        "2 past or cancelled meetings were left as they were.",
    ]
