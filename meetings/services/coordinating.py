"""What coordinators do to meetings: edit, cancel, duplicate, export attendance."""

import io
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.models import MEETING_DETAILS, Format, Meeting, Registration
from meetings.services.emails import registrant_email_queue
from meetings.services.registrations import registrations_promote
from members.models import OutgoingEmail
from members.spreadsheets import SafeCsvWriter

CALENDAR_FIELDS = frozenset(
    {"title", "summary", "starts_at", "ends_at", "location", "online_url", "format", "status"}
)
# What registrants are emailed about when it changes: when, where, how, and the online link.
NOTIFIED_FIELDS = ("starts_at", "ends_at", "format", "location", "online_url")


def meeting_save(*, meeting: Meeting, changed_fields: Iterable[str] = ()) -> Meeting:
    """Save a meeting edited by a coordinator.

    Calendars that hold it must update, so SEQUENCE goes up when something they show changed;
    a change of time, place, format or online link of an upcoming meeting emails its
    registrants (once per change, with the updated .ics); cancelling tells every registrant;
    a larger capacity gives seats to the waiting list.
    """
    changed = set(changed_fields)
    with transaction.atomic():
        if meeting.pk is None:
            meeting.save()
            return meeting
        previous = Meeting.objects.select_for_update().get(pk=meeting.pk)
        # Compared with the stored row, not taken from the caller: an email must never go out
        # about a change that did not happen, nor be missed for one that did.
        notified = [
            name for name in NOTIFIED_FIELDS if getattr(previous, name) != getattr(meeting, name)
        ]
        if changed & CALENDAR_FIELDS or notified:
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
            upcoming = previous.ends_at > timezone.now()
            if notified and upcoming and meeting.status == Meeting.Status.PUBLISHED:
                _notify_change(meeting=meeting, previous=previous, fields=notified)
    return meeting


def meeting_change_dedupe_prefix(meeting: Meeting) -> str:
    """The dedupe keys of the emails about one change (its SEQUENCE) start with this."""
    return f"meeting-changed:{meeting.pk}:{meeting.sequence}:"


def _changes(previous: Meeting, meeting: Meeting, fields: list[str]) -> list[dict]:
    """What changed, old and new, as the email lists it (times in the reader's zone)."""
    changes = []
    if {"starts_at", "ends_at"} & set(fields):
        changes.append(
            {
                "field": "when",
                "label": _("When"),
                "old": (previous.starts_at, previous.ends_at),
                "new": (meeting.starts_at, meeting.ends_at),
            }
        )
    labels = {"format": _("Format"), "location": _("Where"), "online_url": _("Online link")}
    for name in ("format", "location", "online_url"):
        if name not in fields:
            continue
        old, new = getattr(previous, name), getattr(meeting, name)
        if name == "format":
            old, new = Format(old).label, Format(new).label
        changes.append(
            {
                "field": name,
                "label": labels[name],
                # Lazy: each registrant reads the change in their own language.
                "old": old or _("none"),
                "new": new or _("none"),
            }
        )
    return changes


def _notify_change(*, meeting: Meeting, previous: Meeting, fields: list[str]) -> int:
    """Email each going or waitlisted registrant once about this change (keyed by SEQUENCE).

    The online link is only ever shown to people going: a change to it alone is news to them,
    not to the waiting list.
    """
    changes = _changes(previous, meeting, fields)
    registrations = meeting.registrations.filter(
        status__in=[Registration.Status.GOING, Registration.Status.WAITLISTED]
    ).select_related("member")
    count = 0
    for registration in registrations:
        going = registration.status == Registration.Status.GOING
        theirs = [change for change in changes if going or change["field"] != "online_url"]
        if not theirs:
            continue
        registration.meeting = meeting
        registrant_email_queue(
            registration=registration,
            kind=OutgoingEmail.Kind.MEETING,
            dedupe_key=f"{meeting_change_dedupe_prefix(meeting)}{registration.pk}",
            template="meeting_changed",
            attach_ics=going,
            changes=theirs,
        )
        count += 1
    return count


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
    details["title"] = (gettext("%(title)s (copy)") % {"title": meeting.title})[:200]
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
    writer = SafeCsvWriter(out)
    writer.writerow(ATTENDANCE_COLUMNS)
    for r in registrations:
        writer.writerow(
            [
                r.meeting.title,
                r.meeting.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                r.member.full_name,
                r.member.email,
                r.member.sector.name if r.member.sector else "",
                r.member.organisation,
                r.status,
                r.registered_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "yes" if r.attended else "no",
            ]
        )
    return out.getvalue()
