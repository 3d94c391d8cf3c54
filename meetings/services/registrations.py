"""Registration: RSVP with a concurrency-safe waiting list, cancelling, attendance."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from meetings.models import Meeting, Registration
from meetings.services.emails import registrant_email_queue
from members.models import EngagementEvent, Member, OutgoingEmail
from members.services.engagement import engagement_record_once


class RegistrationRefused(Exception):
    """A registration change that the rules forbid; the message is for the member."""


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
        raise RegistrationRefused(gettext("Only active members can register for meetings."))
    now = timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED:
            raise RegistrationRefused(gettext("This meeting has been cancelled."))
        if meeting.status != Meeting.Status.PUBLISHED:
            raise RegistrationRefused(gettext("This meeting is not open for registration."))
        if meeting.starts_at <= now:
            raise RegistrationRefused(gettext("This meeting has already started."))
        registration = Registration.objects.filter(meeting=meeting, member=member).first()
        if registration is not None and registration.status == Registration.Status.GOING:
            raise RegistrationRefused(gettext("You are already registered for this meeting."))
        if registration is not None and registration.status == Registration.Status.WAITLISTED:
            raise RegistrationRefused(
                gettext("You are already on the waiting list for this meeting.")
            )
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
        engagement_record_once(
            member=member,
            kind=EngagementEvent.Kind.RSVP,
            occurred_at=now,
            source=f"meeting:{meeting.pk}",
        )
        stamp = int(now.timestamp())
        if status == Registration.Status.GOING:
            registrant_email_queue(
                registration=registration,
                kind=OutgoingEmail.Kind.MEETING,
                dedupe_key=f"meeting-going:{registration.pk}:{stamp}",
                template="registration_going",
                attach_ics=True,
            )
        else:
            registrant_email_queue(
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
            raise RegistrationRefused(gettext("Your registration is already cancelled."))
        if meeting.starts_at <= now:
            raise RegistrationRefused(gettext("This meeting has already started."))
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
        registrant_email_queue(
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
            engagement_record_once(
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
