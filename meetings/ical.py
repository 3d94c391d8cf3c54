"""iCalendar for meetings: one event per meeting, stable UID, SEQUENCE, time zones, a reminder."""

import zoneinfo
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Alarm, Calendar, Event, vText

from meetings.models import Meeting
from members.links import absolute_url

PRODID = "-//Librarians CoP//Meetings//EN"
ALARM_BEFORE = timedelta(hours=1)
ICS_MIMETYPE = "text/calendar"


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"meeting-{meeting.uid}@{host}"


def meeting_event(meeting: Meeting, *, with_online_url: bool, cancelled: bool = False) -> Event:
    """The VEVENT of a meeting. The online link goes only to members who are going.

    Our own words (the description's labels, the alarm) are in the active language; the title,
    summary and place are the coordinator's and stay as written."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    url = absolute_url(meeting.get_absolute_url())
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("last-modified", meeting.updated_at)
    # Times in the community's zone with a TZID, so that calendars show local time correctly
    # across daylight-saving changes; the reader's calendar converts to their own zone.
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    description = [meeting.summary] if meeting.summary else []
    if with_online_url and meeting.online_url:
        description.append(gettext("Join online: %(url)s") % {"url": meeting.online_url})
    description.append(gettext("Details: %(url)s") % {"url": url})
    event.add("description", "\n\n".join(description))
    event.add("url", url)
    location = meeting.location if meeting.is_in_person else ""
    if with_online_url and meeting.online_url and not location:
        location = meeting.online_url
    if location:
        event.add("location", location)
    if cancelled or meeting.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", gettext("Reminder: %(title)s") % {"title": meeting.title})
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    return event


def _calendar(events: list[Event], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is written as given unless typed: as TEXT its newlines, commas and
    # semicolons are escaped (RFC 5545 3.3.11), so a title with a line break stays one line.
    calendar.add("x-wr-calname", vText(name))
    for event in events:
        calendar.add_component(event)
    if events:
        starts = [event.start.date() for event in events]
        # Only the years the events need, so the VTIMEZONE stays short.
        calendar.add_missing_timezones(
            first_date=min(starts).replace(month=1, day=1),
            last_date=max(starts).replace(year=max(starts).year + 1, month=1, day=1),
        )
    return calendar.to_ical()


def meeting_ics(meeting: Meeting, *, with_online_url: bool) -> bytes:
    # Always PUBLISH: METHOD:CANCEL is an iTIP scheduling message that needs an organiser and
    # attendees; a published event with STATUS:CANCELLED and a higher SEQUENCE is what
    # calendars import and subscribe to correctly.
    return _calendar([meeting_event(meeting, with_online_url=with_online_url)], name=meeting.title)


def feed_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A subscription feed: the member is going to each of these, so links are included."""
    return _calendar([meeting_event(m, with_online_url=True) for m in meetings], name=name)


def meeting_ics_attachment(meeting: Meeting, *, with_online_url: bool) -> dict:
    """An outbox attachment (see members.outbox.queue.outgoing_email_queue)."""
    return {
        "filename": "meeting.ics",
        "content": meeting_ics(meeting, with_online_url=with_online_url).decode(),
        "mimetype": ICS_MIMETYPE,
    }
