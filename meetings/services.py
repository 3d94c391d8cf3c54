"""Rules about meetings: registration and the waiting list, cancellation, attendance, reminders,
series, topic suggestions and calendar feeds."""

import calendar
import csv
import io
import logging
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from meetings import ical
from meetings.models import (
    CalendarFeed,
    Meeting,
    Registration,
    Series,
    TopicSuggestion,
    TopicVote,
    new_feed_token,
)
from members.models import EngagementEvent, Member, OutgoingEmail
from members.services import bulk_email_headers, engagement_record, outgoing_email_queue

logger = logging.getLogger(__name__)

# A change to any of these must reach calendars that already hold the meeting.
CALENDAR_FIELDS = frozenset(
    {"title", "summary", "starts_at", "ends_at", "location", "online_url", "format", "status"}
)


class RegistrationRefused(Exception):
    """A registration change that the rules forbid; the message is for the member."""


class VoteRefused(Exception):
    """A vote that the rules forbid; the message is for the member."""


def _email_registrant(
    *,
    registration: Registration,
    kind: str,
    dedupe_key: str,
    template: str,
    attach_ics: bool = False,
    **context,
) -> OutgoingEmail:
    """Queue an email about a meeting to one registrant, with times in their own zone."""
    meeting, member = registration.meeting, registration.member
    going = registration.status == Registration.Status.GOING
    attachments = []
    if attach_ics:
        attachments.append(ical.meeting_ics_attachment(meeting, with_online_url=going))
    with timezone.override(member.zone()):
        return outgoing_email_queue(
            kind=kind,
            dedupe_key=dedupe_key,
            member=member,
            template=f"meetings/email/{template}",
            context={
                "meeting": meeting,
                "registration": registration,
                "member": member,
                "show_online_url": going and bool(meeting.online_url),
                "meeting_url": f"{settings.SITE_URL}{meeting.get_absolute_url()}",
                **context,
            },
            attachments=attachments,
            # Reminders are bulk mail: they carry one-click unsubscribe (RFC 8058).
            headers=bulk_email_headers(member=member, kind=kind)
            if kind == OutgoingEmail.Kind.REMINDER
            else None,
        )


# --- Registration and the waiting list -------------------------------------------------------


def registration_for(*, meeting: Meeting, member: Member | None) -> Registration | None:
    if member is None:
        return None
    return Registration.objects.filter(meeting=meeting, member=member).first()


def registration_create(*, meeting: Meeting, member: Member) -> Registration:
    """Register a member: going while seats are left, else on the waiting list.

    The meeting row is locked for the short transaction, so concurrent registrations are counted
    one after another and a meeting never has more members going than seats.
    """
    if not member.is_active_member:
        raise RegistrationRefused("Only active members can register for meetings.")
    now = timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED:
            raise RegistrationRefused("This meeting has been cancelled.")
        if meeting.status != Meeting.Status.PUBLISHED:
            raise RegistrationRefused("This meeting is not open for registration.")
        if meeting.starts_at <= now:
            raise RegistrationRefused("This meeting has already started.")
        registration = Registration.objects.filter(meeting=meeting, member=member).first()
        if registration is not None and registration.status == Registration.Status.GOING:
            raise RegistrationRefused("You are already registered for this meeting.")
        if registration is not None and registration.status == Registration.Status.WAITLISTED:
            raise RegistrationRefused("You are already on the waiting list for this meeting.")
        going = meeting.registrations.filter(status=Registration.Status.GOING).count()
        full = meeting.capacity is not None and going >= meeting.capacity
        status = Registration.Status.WAITLISTED if full else Registration.Status.GOING
        if registration is None:
            registration = Registration.objects.create(
                meeting=meeting, member=member, status=status, registered_at=now
            )
        else:  # registering again after cancelling: back of the queue
            registration.status = status
            registration.registered_at = now
            registration.cancelled_at = None
            registration.save(
                update_fields=["status", "registered_at", "cancelled_at", "updated_at"]
            )
        registration.meeting = meeting
        registration.member = member
        _record_engagement_once(
            member=member,
            kind=EngagementEvent.Kind.RSVP,
            occurred_at=now,
            source=f"meeting:{meeting.pk}",
        )
        stamp = int(now.timestamp())
        if status == Registration.Status.GOING:
            _email_registrant(
                registration=registration,
                kind=OutgoingEmail.Kind.MEETING,
                dedupe_key=f"meeting-going:{registration.pk}:{stamp}",
                template="registration_going",
                attach_ics=True,
            )
        else:
            _email_registrant(
                registration=registration,
                kind=OutgoingEmail.Kind.MEETING,
                dedupe_key=f"meeting-waitlisted:{registration.pk}:{stamp}",
                template="registration_waitlisted",
                position=registration.waitlist_position(),
            )
    return registration


def registration_cancel(*, registration: Registration) -> Registration:
    """A member cancels; a seat they free goes to the first member on the waiting list."""
    now = timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration = Registration.objects.select_related("member").get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            raise RegistrationRefused("Your registration is already cancelled.")
        if meeting.starts_at <= now:
            raise RegistrationRefused("This meeting has already started.")
        was_going = registration.status == Registration.Status.GOING
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        registration.meeting = meeting
        if was_going:
            registrations_promote(meeting=meeting)
    return registration


def registrations_promote(*, meeting: Meeting) -> list[Registration]:
    """Give free seats to the waiting list in order and tell each member promoted.

    The caller holds the lock on the meeting row.
    """
    if meeting.status != Meeting.Status.PUBLISHED or meeting.starts_at <= timezone.now():
        return []
    waiting = meeting.registrations.filter(status=Registration.Status.WAITLISTED)
    if meeting.capacity is None:
        promoted = list(waiting.select_related("member"))
    else:
        going = meeting.registrations.filter(status=Registration.Status.GOING).count()
        free = meeting.capacity - going
        if free <= 0:
            return []
        promoted = list(waiting.select_related("member").order_by("registered_at", "pk")[:free])
    for registration in promoted:
        registration.status = Registration.Status.GOING
        registration.save(update_fields=["status", "updated_at"])
        registration.meeting = meeting
        _email_registrant(
            registration=registration,
            kind=OutgoingEmail.Kind.MEETING,
            dedupe_key=f"meeting-promoted:{registration.pk}:{int(registration.registered_at.timestamp())}",
            template="registration_promoted",
            attach_ics=True,
        )
    return promoted


def registration_set_attendance(*, registration: Registration, attended: bool) -> Registration:
    """Record whether a member came; attending counts as engagement, once per meeting."""
    source = f"meeting:{registration.meeting_id}"
    with transaction.atomic():
        if registration.attended != attended:
            registration.attended = attended
            registration.save(update_fields=["attended", "updated_at"])
        if attended:
            _record_engagement_once(
                member=registration.member,
                kind=EngagementEvent.Kind.ATTENDED,
                occurred_at=registration.meeting.starts_at,
                source=source,
            )
        else:
            EngagementEvent.objects.filter(
                member_id=registration.member_id,
                kind=EngagementEvent.Kind.ATTENDED,
                source=source,
            ).delete()
    return registration


def _record_engagement_once(*, member: Member, kind: str, occurred_at, source: str) -> None:
    exists = EngagementEvent.objects.filter(member=member, kind=kind, source=source).exists()
    if not exists:
        engagement_record(member=member, kind=kind, occurred_at=occurred_at, source=source)


# --- Coordinators: editing, cancelling, duplicating, exporting -------------------------------


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
        _email_registrant(
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
    with transaction.atomic():
        copy = Meeting.objects.create(
            title=f"{meeting.title} (copy)"[:200],
            summary=meeting.summary,
            description=meeting.description,
            kind=meeting.kind,
            format=meeting.format,
            location=meeting.location,
            online_url=meeting.online_url,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            capacity=meeting.capacity,
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


# --- Series ----------------------------------------------------------------------------------


def series_dates(*, series: Series) -> list[date]:
    """The dates of a series' occurrences, from its rule."""
    dates: list[date] = []
    if series.frequency == Series.Frequency.MONTHLY:
        year, month = series.starts_on.year, series.starts_on.month
        while len(dates) < series.occurrences:
            day = _nth_weekday(year, month, series.weekday, series.week_of_month)
            if day is not None and day >= series.starts_on:
                dates.append(day)
            month += 1
            if month > 12:
                year, month = year + 1, 1
    else:
        step = 7 if series.frequency == Series.Frequency.WEEKLY else 14
        first = series.starts_on + timedelta(days=(series.weekday - series.starts_on.weekday()) % 7)
        dates = [first + timedelta(days=step * i) for i in range(series.occurrences)]
    return dates


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    days = [
        week[weekday]
        for week in calendar.Calendar().monthdatescalendar(year, month)
        if week[weekday].month == month
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def series_create_occurrences(*, series: Series) -> list[Meeting]:
    """Create the meetings of a series; dates that already have one are skipped, so it is safe
    to run again. Times are wall-clock times in the community's zone on each date."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    topics = list(series.topics.all())
    created = []
    with transaction.atomic():
        Series.objects.select_for_update().get(pk=series.pk)
        existing = {
            m.starts_at.astimezone(zone).date() for m in Meeting.objects.filter(series=series)
        }
        for day in series_dates(series=series):
            if day in existing:
                continue
            meeting = Meeting.objects.create(
                title=series.title,
                summary=series.summary,
                description=series.description,
                kind=series.kind,
                format=series.format,
                location=series.location,
                online_url=series.online_url,
                capacity=series.capacity,
                starts_at=datetime.combine(day, series.start_time, tzinfo=zone),
                ends_at=datetime.combine(day, series.end_time, tzinfo=zone),
                status=Meeting.Status.PUBLISHED if series.publish else Meeting.Status.DRAFT,
                series=series,
            )
            meeting.topics.set(topics)
            created.append(meeting)
    return created


# --- Reminders -------------------------------------------------------------------------------


def registrations_due_for_reminder(*, now: datetime | None = None) -> QuerySet[Registration]:
    now = now or timezone.now()
    window = timedelta(hours=settings.MEETING_REMINDER_HOURS)
    return Registration.objects.filter(
        status=Registration.Status.GOING,
        reminded_at__isnull=True,
        member__wants_meeting_reminders=True,
        member__status=Member.Status.ACTIVE,
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=now + window,
    )


def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Email going registrants about a day before, exactly once per registration.

    Record, then send: `reminded_at` and the outbox's dedupe key are written in the same
    transaction, so a second run (or two workers at once) sends nothing more.
    """
    now = now or timezone.now()
    count = 0
    ids = list(registrations_due_for_reminder(now=now).values_list("pk", flat=True))
    for registration_id in ids:
        with transaction.atomic():
            registration = (
                registrations_due_for_reminder(now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("meeting", "member")
                .filter(pk=registration_id)
                .first()
            )
            if registration is None:
                continue
            _email_registrant(
                registration=registration,
                kind=OutgoingEmail.Kind.REMINDER,
                dedupe_key=f"meeting-reminder:{registration.pk}",
                template="meeting_reminder",
            )
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at", "updated_at"])
            count += 1
    return count


# --- Topic suggestions -----------------------------------------------------------------------


def suggestion_create(*, member: Member, title: str, description: str = "") -> TopicSuggestion:
    with transaction.atomic():
        suggestion = TopicSuggestion.objects.create(
            title=title, description=description, suggested_by=member
        )
        # Suggesting a topic is a vote for it.
        TopicVote.objects.create(suggestion=suggestion, member=member)
    return suggestion


def suggestion_vote(*, suggestion: TopicSuggestion, member: Member) -> TopicVote:
    if suggestion.status != TopicSuggestion.Status.OPEN:
        raise VoteRefused("Voting on this suggestion has closed.")
    try:
        with transaction.atomic():
            return TopicVote.objects.create(suggestion=suggestion, member=member)
    except IntegrityError:
        raise VoteRefused("You have already voted for this topic.") from None


def suggestion_unvote(*, suggestion: TopicSuggestion, member: Member) -> bool:
    deleted, _ = TopicVote.objects.filter(suggestion=suggestion, member=member).delete()
    return bool(deleted)


# --- Calendar feed ---------------------------------------------------------------------------


def calendar_feed_get_or_create(*, member: Member) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(member=member)
    return feed


def calendar_feed_regenerate(*, member: Member) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(member=member)
    if not created:
        feed.token = new_feed_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_meetings(*, member: Member) -> QuerySet[Meeting]:
    """What the member's feed lists: meetings they are going to, cancelled ones included so that
    calendars remove them, from the last three months onwards."""
    return (
        Meeting.objects.published()
        .filter(
            registrations__member=member,
            registrations__status=Registration.Status.GOING,
            ends_at__gte=timezone.now() - timedelta(days=90),
        )
        .order_by("starts_at")
    )
