"""The reminder about a day before a meeting, once per registration."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from meetings.models import Meeting, Registration
from meetings.services.emails import registrant_email_queue
from members.contact import contactable
from members.models import OutgoingEmail


def registrations_due_for_reminder(*, now: datetime | None = None) -> QuerySet[Registration]:
    now = now or timezone.now()
    window = timedelta(hours=settings.MEETING_REMINDER_HOURS)
    return Registration.objects.filter(
        contactable(kind=OutgoingEmail.Kind.REMINDER, now=now, through="member"),
        status=Registration.Status.GOING,
        reminded_at__isnull=True,
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
            registrant_email_queue(
                registration=registration,
                kind=OutgoingEmail.Kind.REMINDER,
                dedupe_key=f"meeting-reminder:{registration.pk}",
                template="meeting_reminder",
            )
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at", "updated_at"])
            count += 1
    return count
