"""What the mail provider reports after sending: bounces, complaints, deliveries.

An SMTP server's 5xx answer while sending is handled in delivery (states.email_bounce). Most
bounces come later: the provider accepted the message, then could not deliver it, or the person
marked it as spam. The provider calls django-anymail's tracking webhook (members/webhooks.py),
anymail checks its signature and normalises the event, and each one lands here, once:

- a hard bounce (no such address) or a complaint suppresses the address at once;
- a soft bounce (mailbox full, server busy) counts once per email; OUTBOX_SOFT_BOUNCE_LIMIT of
  them in a row suppress the address; a delivery starts the count again;
- a report about an address the member no longer has changes nothing for them, and a changed
  address clears the flag and the count (`member_email_change`).

Suppressed means `Member.email_bounced_at` is set: members/contact.py leaves the person out of
every bulk email, and new rows to them start suppressed (states.initial_state).
"""

import hashlib
import logging

from anymail.signals import AnymailTrackingEvent, EventType, RejectReason
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from members.models import DeliveryEvent, Member, OutgoingEmail, SuppressionReason
from members.outbox import states

logger = logging.getLogger(__name__)

Kind = DeliveryEvent.Kind
# Reasons for which a failed delivery says the address itself is bad.
_ADDRESS_REASONS = {RejectReason.BOUNCED, RejectReason.INVALID, None}


class AddressTaken(Exception):
    """Another community record already has this address."""


def delivery_event_kind(event: AnymailTrackingEvent) -> str | None:
    """What a provider's event means here; None for events that change nothing (opens…)."""
    if event.event_type == EventType.DELIVERED:
        return Kind.DELIVERED
    if event.event_type == EventType.DEFERRED:
        return Kind.SOFT_BOUNCE
    if event.event_type == EventType.COMPLAINED:
        return Kind.COMPLAINT
    if event.event_type in (EventType.BOUNCED, EventType.REJECTED):
        if event.reject_reason == RejectReason.SPAM:
            return Kind.COMPLAINT
        # A permanent failure for another reason (the provider gave up retrying, a block
        # on its side) may pass: it counts like a soft bounce rather than suppressing.
        return Kind.HARD_BOUNCE if event.reject_reason in _ADDRESS_REASONS else Kind.SOFT_BOUNCE
    return None


def _event_id(event: AnymailTrackingEvent, esp_name: str) -> str:
    if event.event_id:
        return f"{esp_name}:{event.event_id}"[:255]
    # No id from the provider: the event's own facts, so a resent webhook still matches.
    facts = f"{event.event_type}|{event.message_id}|{event.recipient}|{event.timestamp}"
    return f"{esp_name}:sha256:{hashlib.sha256(facts.encode()).hexdigest()}"


def _member_for(email: OutgoingEmail | None, recipient: str) -> Member | None:
    """The person the report is about, only while the reported address is still theirs."""
    member = email.member if email is not None and email.member_id else None
    if member is None and recipient:
        member = Member.objects.filter(email__iexact=recipient).first()
    if member is None or member.email.lower() != recipient.lower():
        return None
    return member


def member_suppress(*, member: Member, reason: str, now=None) -> bool:
    """Send nothing more to this address: bulk mail leaves them out, queued mail is held.
    Returns whether the address was newly suppressed."""
    now = now or timezone.now()
    newly = Member.objects.filter(pk=member.pk, email_bounced_at__isnull=True).update(
        email_bounced_at=now, email_suppressed_reason=reason
    )
    if newly:
        member.email_bounced_at, member.email_suppressed_reason = now, reason
        states.emails_suppress_queued(member=member)
        logger.info("Suppressed %s: %s", member.email, reason)
    return bool(newly)


def _soft_bounce(member: Member, email: OutgoingEmail | None, now) -> None:
    if email is not None:
        # Providers retry a deferred message and report each attempt: one email counts once.
        # (This event is recorded already, so one report means it is the first.)
        reports = DeliveryEvent.objects.filter(email=email, kind=Kind.SOFT_BOUNCE).count()
        if reports > 1:
            return
    Member.objects.filter(pk=member.pk).update(email_soft_bounces=F("email_soft_bounces") + 1)
    member.refresh_from_db(fields=["email_soft_bounces"])
    if member.email_soft_bounces >= settings.OUTBOX_SOFT_BOUNCE_LIMIT:
        member_suppress(member=member, reason=SuppressionReason.SOFT_BOUNCES, now=now)


def delivery_event_record(
    *, event: AnymailTrackingEvent, esp_name: str, now=None
) -> DeliveryEvent | None:
    """Record one provider event, once, and act on it. None if it was ignored or seen before."""
    kind = delivery_event_kind(event)
    if kind is None:
        return None
    now = now or timezone.now()
    recipient = (event.recipient or "").strip()
    with transaction.atomic():
        email = OutgoingEmail.objects.for_message_id(event.message_id).select_related("member")
        email = email.first()
        recipient = recipient or (email.to_email if email is not None else "")
        member = _member_for(email, recipient)
        record, created = DeliveryEvent.objects.get_or_create(
            event_id=_event_id(event, esp_name),
            defaults={
                "kind": kind,
                "recipient": recipient[:254],
                "email": email,
                "member": member,
                "esp": esp_name[:40],
                "description": (event.description or event.mta_response or "")[:2000],
                "occurred_at": event.timestamp or now,
                "received_at": now,
            },
        )
        if not created:  # the provider sent the same event again
            return None
        if kind == Kind.HARD_BOUNCE and email is not None:
            states.email_bounced_late(email=email, description=record.description or "Bounced")
        if member is None:
            return record
        if kind == Kind.HARD_BOUNCE:
            member_suppress(member=member, reason=SuppressionReason.HARD_BOUNCE, now=now)
        elif kind == Kind.COMPLAINT:
            member_suppress(member=member, reason=SuppressionReason.COMPLAINT, now=now)
        elif kind == Kind.SOFT_BOUNCE:
            _soft_bounce(member, email, now)
        elif kind == Kind.DELIVERED:
            Member.objects.filter(pk=member.pk, email_soft_bounces__gt=0).update(
                email_soft_bounces=0
            )
    return record


def member_bounces_clear(*, member: Member) -> Member:
    """Forget the old address's bounces (on the instance; the caller saves it)."""
    member.email_bounced_at = None
    member.email_suppressed_reason = ""
    member.email_soft_bounces = 0
    return member


@transaction.atomic
def member_email_change(*, member: Member, email: str) -> Member:
    """The person's address changed (they confirmed a new one): a fresh start for bounces."""
    email = email.strip().lower()
    if member.email.lower() == email:
        return member
    if Member.objects.filter(email__iexact=email).exclude(pk=member.pk).exists():
        raise AddressTaken(email)
    member.email = email
    member_bounces_clear(member=member)
    member.save(
        update_fields=[
            "email",
            "email_bounced_at",
            "email_suppressed_reason",
            "email_soft_bounces",
            "updated_at",
        ]
    )
    return member
