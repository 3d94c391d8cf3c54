"""The outbox's tables: every email the portal sends is a row here before it is sent, and what
the mail provider later reports about it (bounces, complaints) is recorded beside it."""

import re
import uuid
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

    def for_message_id(self, message_id: str | None):
        """The row a provider's report is about, from the Message-ID we gave it."""
        match = _MESSAGE_ID.match((message_id or "").strip())
        if match is None:
            return self.none()
        return self.filter(pk=match.group(1))

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
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed")
        # Accepted by the SMTP server, then reported by the provider as undeliverable.
        BOUNCED = "bounced", _("Bounced (reported by the provider)")

    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        CHECKIN = "checkin", _("Check-in")
        REMINDER = "reminder", _("Meeting reminder")
        MEETING = "meeting", _("Meeting update")
        DIGEST = "digest", _("Digest")
        SURVEY = "survey", _("Survey invitation")
        RESOURCE = "resource", _("Resource review")
        # Verification, password reset, "an account already exists": the person is waiting.
        ACCOUNT = "account", _("Account")
        ANNOUNCEMENT = "announcement", _("Announcement")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dedupe_key = models.CharField(_("once-only key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    to_email = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # Files sent with the message, e.g. an .ics invitation: [{filename, content, mimetype}].
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # The whole message as sent over SMTP (RFC 5322 bytes), built once by the first worker that
    # claims the row and stored before its first attempt: every attempt, retries included, hands
    # these bytes to SMTP without building the message again (members/outbox/message.py).
    message = models.BinaryField(_("message as sent"), default=b"", blank=True, editable=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # After a transient failure: not to be retried before this time (exponential backoff).
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        app_label = "members"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "created_at"]),
            # The fast lane: workers claim queued account emails first, found without scanning
            # the rows of a 10,000-person round.
            models.Index(
                fields=["created_at"],
                name="outbox_fast_lane_queued",
                condition=Q(kind="account", state="queued"),
            ),
        ]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to_email} ({self.state})"

    @property
    def message_id(self) -> str:
        """The Message-ID header this email is sent with: the row's own key, so that a
        provider's later report (a bounce, a complaint) finds the row by primary key."""
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
        return f"<{self.id}.outbox@{domain or 'localhost'}>"


# Kinds a person is waiting for on the site: claimed before everything else.
FAST_LANE_KINDS = (OutgoingEmail.Kind.ACCOUNT,)

_MESSAGE_ID = re.compile(
    r"^<?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.outbox@[^>]*>?$", re.I
)


class DeliveryEvent(models.Model):
    """What the mail provider reported after sending (django-anymail's tracking webhook), once
    per provider event: the record that suppressions and soft-bounce counts are made from."""

    class Kind(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        SOFT_BOUNCE = "soft_bounce", _("Soft bounce (temporary)")
        HARD_BOUNCE = "hard_bounce", _("Hard bounce (permanent)")
        COMPLAINT = "complaint", _("Complaint (marked as spam)")

    # The provider's id for the event: a webhook delivered twice is recorded once.
    event_id = models.CharField(_("provider's event id"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    recipient = models.EmailField(_("recipient"), blank=True)
    email = models.ForeignKey(
        OutgoingEmail,
        verbose_name=_("email"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delivery_events",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delivery_events",
    )
    esp = models.CharField(_("provider"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        app_label = "members"
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")
        indexes = [models.Index(fields=["email", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.recipient}"
