"""The message an outbox row becomes: its bytes built once, and stored before the first send.

Building a message (Django's EmailMultiAlternatives, then Python's email package serialising it)
costs more than handing it to an SMTP server: raw smtplib spends most of its time there. A row's
RFC 5322 bytes are built once and stored in `OutgoingEmail.message` before anything is sent:
when it is queued in bulk (a check-in round's chunk, queued by a worker, in parallel with the
other chunks), otherwise by the first worker that claims it (an email queued by a request does
not wait for it). From then on every attempt hands those very bytes to the SMTP connection: a
retry sends the same message, Date and Message-ID included.

Backends that are not SMTP (the console, the tests' locmem, an ESP's HTTP API through anymail)
take an EmailMessage instead, built from the row's parts: `outgoing_email_message`.
"""

from email.generator import BytesGenerator
from email.policy import Compat32
from io import BytesIO

from django.conf import settings
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from members.outbox.models import OutgoingEmail


def sends_stored_bytes(connection) -> bool:
    """Whether this mail connection takes a row's stored bytes (SMTP) rather than an
    EmailMessage built from its parts (the console, locmem, anymail's HTTP APIs)."""
    return isinstance(connection, SmtpBackend)


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


class _Compat32Unfolded(Compat32):
    """Python's compat32 policy, which Django's messages use, with one shortcut: a header that
    is ASCII and fits on its line is written as it is. compat32 runs every header through
    email.header.Header, which returns such a one unchanged, at a quarter of the cost of
    serialising the whole message."""

    def _fold(self, name, value, sanitize):
        if (
            isinstance(value, str)
            and value.isascii()
            and "\r" not in value
            and "\n" not in value
            and len(name) + 2 + len(value) <= self.max_line_length
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


# CRLF line endings, as Django's SMTP backend sends them.
_SMTP = _Compat32Unfolded(linesep="\r\n")


def outgoing_email_bytes(email) -> bytes:
    """The row's message as an SMTP server receives it: what Django's SMTP backend would send
    for `outgoing_email_message`, the Date header being the time it was built."""
    message = outgoing_email_message(email).message()
    # Boundaries made from the row's id: left to the generator, each is random and checked
    # against the message's text with a regular expression compiled for that one message.
    for index, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=={email.id.hex}.{index}==")
    out = BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=_SMTP).flatten(message)
    return out.getvalue()


def outgoing_emails_messages_store(*, emails: list[OutgoingEmail]) -> None:
    """Build and store the bytes of the rows that have none yet, in one UPDATE; the rows are
    claimed by this worker, so nobody else builds them meanwhile."""
    missing = [email for email in emails if not email.message]
    for email in missing:
        email.message = outgoing_email_bytes(email)
    OutgoingEmail.objects.bulk_update(missing, ["message"], batch_size=200)
