"""The outbox's one table: every email the portal sends is a row here before it is sent."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now):
        """Queued and not held back by a retry's backoff."""
        return self.filter(state=OutgoingEmail.State.QUEUED).filter(
            Q(not_before__isnull=True) | Q(not_before__lte=now)
        )

    def past_lease(self, now):
        """Claimed by a worker that has not finished within the lease: presumed dead."""
        return self.filter(
            state=OutgoingEmail.State.SENDING,
            claimed_at__lt=now - settings.OUTBOX_SENDING_LEASE,
        )

    def claimable(self, now):
        return self.due(now) | self.past_lease(now)

    def unsent(self, now, *, grace=timedelta(seconds=60)):
        """Claimable rows whose task may have been lost; fresh rows still have theirs coming."""
        return self.claimable(now).exclude(
            state=OutgoingEmail.State.QUEUED,
            not_before__isnull=True,
            created_at__gte=now - grace,
        )


class OutgoingEmail(models.Model):
    """One email. `dedupe_key` makes queueing idempotent: queueing the same message twice
    yields one row. Its state only moves along TRANSITIONS (see members/outbox/states.py)."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Suppressed"

    class Kind(models.TextChoices):
        WELCOME = "welcome", "Welcome"
        CHECKIN = "checkin", "Check-in"
        REMINDER = "reminder", "Meeting reminder"
        MEETING = "meeting", "Meeting update"
        DIGEST = "digest", "Digest"
        SURVEY = "survey", "Survey invitation"
        RESOURCE = "resource", "Resource review"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dedupe_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # Files sent with the message, e.g. an .ics invitation: [{filename, content, mimetype}].
    attachments = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # After a transient failure: not to be retried before this time (exponential backoff).
    not_before = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        app_label = "members"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"])]
        verbose_name = "outgoing email"

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to_email} ({self.state})"
