"""The message an outbox row becomes: built once, when the row is queued, and stored as bytes.

Building a message (Django's EmailMultiAlternatives, then Python's email package serialising it)
costs more than handing it to an SMTP server: raw smtplib spends most of its time there. So a
row's RFC 5322 bytes are made when it is queued (members/outbox/queue.py) and kept in
`OutgoingEmail.message`; delivery hands those very bytes to its SMTP connection, and a retry
sends the same bytes again, Message-ID and Date included.

Backends that are not SMTP (the console, the tests' locmem, an ESP's HTTP API through anymail)
take an EmailMessage instead, built from the row's parts: `outgoing_email_message`.
"""

from django.conf import settings
from django.core import mail


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
