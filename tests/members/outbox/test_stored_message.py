"""The stored message: each email's bytes are built once, before its first attempt (as they are
queued, for emails queued in bulk), and what reaches the SMTP server is exactly those bytes, on
the first attempt and on a retry, with the Message-ID a provider's bounce report is matched by."""

import re
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.utils import timezone

from meetings.services.registrations import registration_create
from members.models import OutgoingEmail
from members.outbox import delivery
from members.outbox.message import outgoing_email_bytes, outgoing_email_message
from members.outbox.queue import bulk_email_queue, outgoing_email_queue, outgoing_emails_queue_bulk
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory, emails_to
from tests.members.outbox.test_delivery import smtp  # noqa: F401 -- the fixture, shared
from tests.outbox_helpers import emails_for

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


def test_the_message_sent_is_the_one_stored_with_the_rows_message_id(smtp):  # noqa: F811 -- the fixture
    member = MemberFactory(full_name="Ana Ruiz", email="ana@example.org")
    email = bulk_email_queue(
        kind=OutgoingEmail.Kind.CHECKIN,
        member=member,
        dedupe_key="test:checkin",
        template="members/email/welcome",
        context={},
    )

    sent = delivery.outgoing_emails_send_batch()

    assert (sent.claimed, sent.sent) == (1, 1)
    [envelope] = smtp.sink.messages
    assert envelope.rcpt_tos == ["ana@example.org"]
    assert envelope.original_content == stored(email)
    message = parsed(envelope.original_content)
    assert message["Message-ID"] == email.message_id
    assert OutgoingEmail.objects.for_message_id(message["Message-ID"]).get() == email
    assert (message["To"], message["Subject"]) == ("ana@example.org", email.subject)
    # Folded onto the next line, as Django's SMTP backend has always sent it.
    assert message["List-Unsubscribe"].strip() == email.headers["List-Unsubscribe"]
    assert text(message, "plain") == email.body_text
    assert text(message, "html") == email.body_html


def test_a_retry_sends_the_bytes_stored_before_the_first_attempt(smtp):  # noqa: F811 -- the fixture
    member = MemberFactory()
    email = queue_welcome(member)
    smtp.stop()

    first = delivery.outgoing_emails_send_batch()
    email.refresh_from_db()
    assert (first.sent, email.state, email.attempts) == (0, "queued", 1)
    raw = stored(email)
    assert parsed(raw)["Message-ID"] == email.message_id
    # Were the message built again for the retry, this subject would go out.
    OutgoingEmail.objects.filter(pk=email.pk).update(subject="Built again")

    smtp.start()
    retry = delivery.outgoing_emails_send_batch(now=timezone.now() + timedelta(minutes=2))

    email.refresh_from_db()
    assert (retry.sent, email.state, email.attempts) == (1, "sent", 2)
    [envelope] = smtp.sink.messages
    # The same Date and Message-ID too: a retry is the same message, not a new one.
    assert envelope.original_content == raw
    assert parsed(envelope.original_content)["Subject"] != "Built again"


def test_the_attachment_goes_in_the_stored_message(smtp):  # noqa: F811 -- the fixture
    registration = registration_create(meeting=MeetingFactory(), member=MemberFactory())
    [email] = emails_to(registration.member)

    delivery.outgoing_email_send(email_id=email.pk)

    [envelope] = smtp.sink.messages
    assert envelope.original_content == stored(email)
    [attachment] = parsed(envelope.original_content).iter_attachments()
    assert (attachment.get_filename(), attachment.get_content_type()) == (
        "meeting.ics",
        "text/calendar",
    )
    assert "BEGIN:VCALENDAR" in attachment.get_content()


def comparable(raw: bytes) -> bytes:
    """A message with its boundaries numbered in order, without its Date header, and the
    boundary parameter on its Content-Type's line (a longer boundary is folded onto the next)."""
    for index, boundary in enumerate(re.findall(rb'boundary="([^"]+)"', raw)):
        raw = raw.replace(boundary, b"boundary-%d" % index)
    raw = raw.replace(b';\r\n boundary="', b'; boundary="')
    return re.sub(rb"\r\nDate: [^\r]*", b"", raw)


def test_the_stored_bytes_are_what_djangos_smtp_backend_would_send():
    people = [
        MemberFactory(full_name="Zoë Tremblay-Côté", email="zoe@example.org"),
        MemberFactory(full_name="A" * 90, email="long@example.org"),
    ]
    emails = [queue_welcome(person, key=f"test:{person.pk}") for person in people]
    emails += [
        bulk_email_queue(
            kind=OutgoingEmail.Kind.CHECKIN,
            member=person,
            dedupe_key=f"test:bulk:{person.pk}",
            template="members/email/welcome",
            context={},
        )
        for person in people
    ]
    registration = registration_create(meeting=MeetingFactory(), member=people[0])
    emails += emails_to(registration.member)[-1:]

    for email in emails:
        django_bytes = outgoing_email_message(email).message().as_bytes(linesep="\r\n")
        assert comparable(outgoing_email_bytes(email)) == comparable(django_bytes)


def test_emails_queued_in_bulk_store_their_bytes_as_they_are_queued_and_send_those(smtp):  # noqa: F811 -- the fixture
    people = MemberFactory.create_batch(2)
    outgoing_emails_queue_bulk(emails=emails_for(people, key="test:bulk"))
    queued = {email.to_email: email for email in OutgoingEmail.objects.all()}
    # Built where they were queued (a round's chunk, in a worker), before any claim.
    assert all(email.message for email in queued.values())
    assert all(email.state == "queued" for email in queued.values())

    sent = delivery.outgoing_emails_send_batch()

    assert sent.sent == 2
    for envelope in smtp.sink.messages:
        email = queued[envelope.rcpt_tos[0]]
        assert envelope.original_content == bytes(email.message)
        assert parsed(envelope.original_content)["Message-ID"] == email.message_id
