"""What coordinators do to meetings: edit, cancel, duplicate, export attendance."""

import csv
import io
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from meetings.models import MEETING_DETAILS, Meeting, Registration
from meetings.services.emails import registrant_email_queue
from meetings.services.registrations import registrations_promote
from members.models import OutgoingEmail

CALENDAR_FIELDS = frozenset(
    {"title", "summary", "starts_at", "ends_at", "location", "online_url", "format", "status"}
)


def meeting_save(*, meeting: Meeting, changed_fields: Iterable[str] = ()) -> Meeting:
    """Save a meeting edited by a coordinator.

    Calendars that hold it must update, so SEQUENCE goes up when something they show changed;
    cancelling tells every registrant; a larger capacity gives seats to the waiting list.
    """
    changed = set(changed_fields)
    with transaction.atomic():
        if meeting.pk is None:
            meeting.save()
            return meeting
        previous = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if changed & CALENDAR_FIELDS:
            meeting.sequence = previous.sequence + 1
        newly_cancelled = (
            meeting.status == Meeting.Status.CANCELLED
            and previous.status != Meeting.Status.CANCELLED
        )
        if newly_cancelled:
            meeting.cancelled_at = timezone.now()
        elif meeting.status != Meeting.Status.CANCELLED:
            meeting.cancelled_at = None
        meeting.save()
        if newly_cancelled:
            _notify_cancellation(meeting=meeting)
        else:
            registrations_promote(meeting=meeting)
    return meeting


def meeting_cancel(*, meeting: Meeting) -> Meeting:
    """Cancel a meeting and email every registrant once, with a cancelled calendar entry."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED:
            return meeting
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancelled_at = timezone.now()
        meeting.sequence += 1
        meeting.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
        _notify_cancellation(meeting=meeting)
    return meeting


def _notify_cancellation(*, meeting: Meeting) -> int:
    registrations = meeting.registrations.filter(
        status__in=[Registration.Status.GOING, Registration.Status.WAITLISTED]
    ).select_related("member")
    count = 0
    for registration in registrations:
        registration.meeting = meeting
        # One email per registration and cancellation: the SEQUENCE tells a later
        # cancellation (after reinstating) from a repeated one.
        registrant_email_queue(
            registration=registration,
            kind=OutgoingEmail.Kind.MEETING,
            dedupe_key=f"meeting-cancelled:{registration.pk}:{meeting.sequence}",
            template="meeting_cancelled",
            attach_ics=registration.status == Registration.Status.GOING,
        )
        count += 1
    return count


def meeting_duplicate(*, meeting: Meeting) -> Meeting:
    """A draft copy for the coordinator to adjust: same details, no registrations."""
    details = {name: getattr(meeting, name) for name in MEETING_DETAILS}
    details["title"] = f"{meeting.title} (copy)"[:200]
    with transaction.atomic():
        copy = Meeting.objects.create(
            **details,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            status=Meeting.Status.DRAFT,
            series=meeting.series,
        )
        copy.topics.set(meeting.topics.all())
    return copy


ATTENDANCE_COLUMNS = (
    "meeting",
    "starts_at",
    "name",
    "email",
    "sector",
    "organisation",
    "status",
    "registered_at",
    "attended",
)


def attendance_csv(*, meetings: QuerySet[Meeting]) -> str:
    """Registrations of the given meetings as CSV, times in the community's zone."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    registrations = (
        Registration.objects.filter(meeting__in=meetings)
        .select_related("meeting", "member__sector")
        .order_by("meeting__starts_at", "meeting_id", "member__full_name", "pk")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ATTENDANCE_COLUMNS)
    for r in registrations:
        writer.writerow(
            [
                _csv_safe(r.meeting.title),
                r.meeting.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                _csv_safe(r.member.full_name),
                r.member.email,
                r.member.sector.name if r.member.sector else "",
                _csv_safe(r.member.organisation),
                r.status,
                r.registered_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "yes" if r.attended else "no",
            ]
        )
    return out.getvalue()


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets (CSV injection).
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
