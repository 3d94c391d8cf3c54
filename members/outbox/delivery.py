"""Sending: claim due rows, send them over one SMTP connection, record each outcome.

Over SMTP, each row's message is built once and stored before its first attempt
(members/outbox/message.py); every attempt hands those stored bytes to the connection.

Nothing here enqueues tasks: a delivery says when its retries fall due, and the task that ran it
(members/tasks.py) schedules the next one.
"""

import functools
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.core.mail.message import sanitize_address
from django.utils import timezone

from members.outbox import states
from members.outbox.message import (
    outgoing_email_message,
    outgoing_emails_messages_store,
    sends_stored_bytes,
)
from members.outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)


@dataclass
class Delivery:
    claimed: int = 0
    sent: int = 0
    # Seconds until the first retry of this delivery falls due, if any row is waiting for one.
    retry_in: int | None = None
    # For a single email: the row as it stands afterwards (None if it is gone).
    email: OutgoingEmail | None = None


@functools.lru_cache(maxsize=4)
def _envelope_sender(address: str, charset: str) -> str:
    # The same for every message: parsed once, not once per message as the recipient is.
    return sanitize_address(address, charset)


def _send(email: OutgoingEmail, connection) -> None:
    """Hand one row to the open connection; raises what the server answered, as Django's SMTP
    backend does (it is the same smtplib call).

    The stored bytes go as they are over SMTP. Other backends (anymail's HTTP APIs, the console,
    locmem) take an EmailMessage built from the parts.
    """
    if email.message and sends_stored_bytes(connection):
        # The envelope as Django's SMTP backend makes it from the same addresses.
        connection.connection.sendmail(
            _envelope_sender(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET),
            [sanitize_address(email.to_email, settings.DEFAULT_CHARSET)],
            bytes(email.message),
        )
    else:
        outgoing_email_message(email, connection).send()


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer about the recipient: retrying will not help and the address bounces."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500 and not isinstance(exc, smtplib.SMTPSenderRefused)
    return False


def _retry_in(rows: list[OutgoingEmail], now) -> int | None:
    due = [email.not_before for email in rows if email.state == OutgoingEmail.State.QUEUED]
    return max(1, round((min(due) - now).total_seconds())) if due else None


def _deliver(rows: list[OutgoingEmail], now) -> Delivery:
    """Send claimed rows over one SMTP connection; record each outcome."""
    delivery = Delivery(claimed=len(rows))
    if not rows:
        return delivery
    connection = mail.get_connection()
    if sends_stored_bytes(connection):
        # Built once, stored before the first attempt: every attempt sends the same bytes.
        outgoing_emails_messages_store(emails=rows)
    try:
        connection.open()
    except Exception as exc:  # the server is down: every row waits for a retry
        for email in rows:
            states.email_retry_or_fail(email=email, exc=exc, now=now)
        logger.warning("SMTP unavailable, emails to retry: %d (%s)", len(rows), exc)
        delivery.retry_in = _retry_in(rows, now)
        return delivery
    unrecorded = []  # accepted by the SMTP server, not yet recorded as sent
    try:
        for email in rows:
            try:
                _send(email, connection)
            except Exception as exc:  # classify: permanent (bounce) or worth retrying
                if _is_permanent(exc):
                    states.email_bounce(email=email, exc=exc, now=now)
                else:
                    states.email_retry_or_fail(email=email, exc=exc, now=now)
                continue
            delivery.sent += 1
            unrecorded.append(email)
            # Recording every few messages rather than each one: a worker killed mid-batch
            # re-sends at most the messages it handed over since its last record, and never
            # loses one. A round trip to the database per message cost a fifth of the throughput.
            if len(unrecorded) == settings.OUTBOX_RECORD_EVERY:
                states.emails_mark_sent(emails=unrecorded)
                unrecorded = []
    finally:
        connection.close()
        # Also when the task is interrupted: what the server accepted is recorded as sent.
        states.emails_mark_sent(emails=unrecorded)
    if delivery.sent < len(rows):
        delivery.retry_in = _retry_in(rows, now)
    return delivery


def outgoing_email_send(*, email_id, now=None) -> Delivery:
    """Claim one email, send it, and record the outcome. Safe to call twice."""
    now = now or timezone.now()
    rows = states.emails_claim(queryset=OutgoingEmail.objects.filter(pk=email_id), now=now)
    delivery = _deliver(rows, now)
    delivery.email = rows[0] if rows else OutgoingEmail.objects.filter(pk=email_id).first()
    return delivery


def outgoing_emails_send_batch(*, limit: int | None = None, now=None) -> Delivery:
    """Claim up to `limit` due emails and send them over one SMTP connection; a full batch
    means more may be waiting."""
    now = now or timezone.now()
    limit = limit or settings.OUTBOX_BATCH_SIZE
    rows = states.emails_claim(queryset=OutgoingEmail.objects.all(), now=now, limit=limit)
    return _deliver(rows, now)


def outgoing_emails_unsent(*, now=None):
    """Rows that are due but whose task may have been lost, and sending rows past their lease."""
    return OutgoingEmail.objects.unsent(now or timezone.now())
