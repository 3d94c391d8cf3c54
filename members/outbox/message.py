"""The message an outbox row becomes: its bytes built once, and stored before the first send.

Building a message (Django's EmailMultiAlternatives, then Python's email package serialising it)
costs more than handing it to an SMTP server: raw smtplib spends most of its time there. A row
is rendered (templates) when it is queued; its RFC 5322 bytes are made by the first worker that
claims it, stored in `OutgoingEmail.message` before anything is sent, and from then on every
attempt hands those very bytes to the SMTP connection: a retry sends the same message, Date
and Message-ID included. Why the worker and not the queue: a check-in round is queued by one
process, while the workers build in parallel; building 10,000 messages where they are queued
made that one process the slowest part of the round (bench/checkin_throughput.py).

Backends that are not SMTP (the console, the tests' locmem, an ESP's HTTP API through anymail)
take an EmailMessage instead, built from the row's parts: `outgoing_email_message`.
"""

from django.conf import settings
from django.core import mail

from members.outbox.models import OutgoingEmail


def outgoing_email_message(email, connection=None) -> mail.EmailMultiAlternatives:
    """The row as a Django EmailMessage: its parts, its headers (Message-ID among them)."""
    message = mail.EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers=email.headers,
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def outgoing_email_bytes(email) -> bytes:
    """The row's message as an SMTP server receives it (CRLF line endings, as Django's SMTP
    backend sends it); the Date header is the time it was built."""
    return outgoing_email_message(email).message().as_bytes(linesep="\r\n")


def outgoing_emails_messages_store(*, emails: list[OutgoingEmail]) -> None:
    """Build and store the bytes of the rows that have none yet, in one UPDATE; the rows are
    claimed by this worker, so nobody else builds them meanwhile."""
    missing = [email for email in emails if not email.message]
    for email in missing:
        email.message = outgoing_email_bytes(email)
    OutgoingEmail.objects.bulk_update(missing, ["message"], batch_size=200)
