from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from meetings import ical
from meetings.models import Format
from meetings.services.coordinating import meeting_cancel, meeting_save
from meetings.services.feeds import calendar_feed_meetings
from meetings.services.registrations import registration_create
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    [event] = calendar.events
    return calendar, event


def summer_meeting(**kwargs):
    starts = datetime(2027, 7, 6, 12, 0, tzinfo=LONDON)
    return MeetingFactory(starts_at=starts, ends_at=starts + timedelta(hours=1), **kwargs)


def test_meeting_ics_has_time_zone_uid_sequence_and_alarm():
    meeting = summer_meeting(format=Format.HYBRID, location="City Central Library")

    calendar, event = parse(ical.meeting_ics(meeting, with_online_url=False))

    assert event.start == datetime(2027, 7, 6, 12, 0, tzinfo=LONDON)
    assert event.start.tzinfo.key == "Europe/London"
    assert event.end - event.start == timedelta(hours=1)
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(event["uid"]) == f"meeting-{meeting.uid}@127.0.0.1"
    assert int(event["sequence"]) == 0
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["location"]) == "City Central Library"
    [alarm] = event.walk("VALARM")
    assert alarm["trigger"].dt == -timedelta(hours=1)
    assert "secret-room" not in ical.meeting_ics(meeting, with_online_url=False).decode()


def test_meeting_ics_includes_the_online_link_only_when_asked():
    meeting = summer_meeting()
    _, event = parse(ical.meeting_ics(meeting, with_online_url=True))
    assert "https://meet.example.org/secret-room" in str(event["description"])
    assert str(event["location"]) == "https://meet.example.org/secret-room"


def test_meeting_ics_uid_stable_and_sequence_raised_on_change():
    meeting = summer_meeting()
    _, before = parse(ical.meeting_ics(meeting, with_online_url=False))

    meeting.starts_at += timedelta(hours=2)
    meeting.ends_at += timedelta(hours=2)
    meeting_save(meeting=meeting, changed_fields=["starts_at", "ends_at"])
    _, after = parse(ical.meeting_ics(meeting, with_online_url=False))

    assert str(after["uid"]) == str(before["uid"])
    assert (int(before["sequence"]), int(after["sequence"])) == (0, 1)
    assert after.start.hour == 14


def test_meeting_ics_cancelled():
    meeting = summer_meeting()
    meeting_cancel(meeting=meeting)
    meeting.refresh_from_db()

    _, event = parse(ical.meeting_ics(meeting, with_online_url=False))

    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
    assert event.walk("VALARM") == []


def test_winter_meeting_is_in_gmt_and_summer_in_bst():
    winter_start = datetime(2027, 1, 5, 12, 0, tzinfo=LONDON)
    winter = MeetingFactory(starts_at=winter_start, ends_at=winter_start + timedelta(hours=1))
    summer = summer_meeting()

    _, w = parse(ical.meeting_ics(winter, with_online_url=False))
    _, s = parse(ical.meeting_ics(summer, with_online_url=False))

    assert (w.start.utcoffset(), s.start.utcoffset()) == (timedelta(0), timedelta(hours=1))


def test_feed_lists_going_meetings_including_cancelled_ones():
    member = MemberFactory()
    going = summer_meeting(title="Going")
    cancelled = summer_meeting(title="Called off")
    waitlisted = summer_meeting(title="Full one", capacity=1)
    registration_create(meeting=waitlisted, member=MemberFactory())
    for meeting in (going, cancelled, waitlisted):
        registration_create(meeting=meeting, member=member)
    meeting_cancel(meeting=cancelled)

    data = ical.feed_ics(calendar_feed_meetings(member=member), name="Mine")

    events = {str(e["summary"]): str(e["status"]) for e in Calendar.from_ical(data).events}
    assert events == {"Going": "CONFIRMED", "Called off": "CANCELLED"}
