"""The stored message: each email's bytes are built once when it is queued, and what reaches the
SMTP server is exactly those bytes, on the first attempt and on a retry, with the Message-ID a
provider's bounce report is matched by."""

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.utils import timezone

from meetings.services.registrations import registration_create
from members.models import OutgoingEmail
from members.outbox import delivery
from members.outbox.queue import bulk_email_queue, outgoing_email_queue
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory, emails_to
from tests.members.outbox.test_delivery import smtp  # noqa: F401 -- the fixture, shared

pytestmark = pytest.mark.django_db


def parsed(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def text(message, subtype: str) -> str:
    """A part's text, its line endings as in the row (they travel as CRLF, as SMTP wants)."""
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n")


def queue_welcome(member, key="test:stored") -> OutgoingEmail:
    return outgoing_email_queue(
        kind=OutgoingEmail.Kind.WELCOME,
        dedupe_key=key,
        template="members/email/welcome",
        context={"member": member},
        member=member,
    )


def stored(email: OutgoingEmail) -> bytes:
    return bytes(OutgoingEmail.objects.values_list("message", flat=True).get(pk=email.pk))


def test_queueing_stores_the_whole_message_with_the_rows_message_id():
    member = MemberFactory(full_name="Ana Ruiz", email="ana@example.org")

    email = bulk_email_queue(
        kind=OutgoingEmail.Kind.CHECKIN,
        member=member,
        dedupe_key="test:checkin",
        template="members/email/welcome",
        context={},
    )

    message = parsed(stored(email))
    assert message["Message-ID"] == email.message_id
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == email.subject
    # Folded onto the next line, as Django's SMTP backend has always sent it.
    assert message["List-Unsubscribe"].strip() == email.headers["List-Unsubscribe"]
    assert text(message, "plain") == email.body_text
    assert text(message, "html") == email.body_html


def test_delivery_sends_the_stored_bytes_as_they_are(smtp):  # noqa: F811 -- the fixture
    member = MemberFactory()
    email = queue_welcome(member)
    raw = stored(email)
    # Were the message built again at sending time, this subject would go out.
    OutgoingEmail.objects.filter(pk=email.pk).update(subject="Built again")

    sent = delivery.outgoing_emails_send_batch()

    assert (sent.claimed, sent.sent) == (1, 1)
    [envelope] = smtp.sink.messages
    assert envelope.rcpt_tos == [member.email]
    assert envelope.original_content == raw
    assert parsed(envelope.original_content)["Subject"] == email.subject


def test_a_retry_sends_the_same_bytes(smtp):  # noqa: F811 -- the fixture
    member = MemberFactory()
    email = queue_welcome(member)
    raw = stored(email)
    smtp.stop()

    first = delivery.outgoing_emails_send_batch()
    email.refresh_from_db()
    assert (first.sent, email.state, email.attempts) == (0, "queued", 1)

    smtp.start()
    retry = delivery.outgoing_emails_send_batch(now=timezone.now() + timedelta(minutes=2))

    email.refresh_from_db()
    assert (retry.sent, email.state, email.attempts) == (1, "sent", 2)
    [envelope] = smtp.sink.messages
    # The same Date and Message-ID too: a retry is the same message, not a new one.
    assert envelope.original_content == raw


def test_the_attachment_goes_in_the_stored_message(smtp):  # noqa: F811 -- the fixture
    registration = registration_create(meeting=MeetingFactory(), member=MemberFactory())
    [email] = emails_to(registration.member)

    delivery.outgoing_email_send(email_id=email.pk)

    [envelope] = smtp.sink.messages
    [attachment] = parsed(envelope.original_content).iter_attachments()
    assert (attachment.get_filename(), attachment.get_content_type()) == (
        "meeting.ics",
        "text/calendar",
    )
    assert "BEGIN:VCALENDAR" in attachment.get_content()


def test_a_row_queued_before_messages_were_stored_is_built_at_sending(smtp):  # noqa: F811
    member = MemberFactory()
    email = queue_welcome(member)
    OutgoingEmail.objects.filter(pk=email.pk).update(message=b"")

    delivery.outgoing_emails_send_batch()

    [envelope] = smtp.sink.messages
    message = parsed(envelope.original_content)
    assert (message["Message-ID"], message["Subject"]) == (email.message_id, email.subject)
    assert OutgoingEmail.objects.for_message_id(message["Message-ID"]).get() == email
