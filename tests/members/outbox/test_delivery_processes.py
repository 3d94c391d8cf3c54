"""The outbox with real worker processes, a real SMTP server, Redis and PostgreSQL.

The two failures the issue names: a worker killed with SIGKILL in the middle of a batch, and
the SMTP server down then back. Nothing may be lost; only messages already handed to SMTP
when the worker died, and not yet recorded as sent, may go twice.
"""

from collections import Counter
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.db import transaction
from django.utils import timezone

from members.models import OutgoingEmail
from members.outbox.queue import outgoing_emails_queue_bulk
from members.tasks import outgoing_email_sweep
from surveys.services.checkins import checkin_round_run
from tests.factories import MemberFactory
from tests.outbox_helpers import emails_for
from tests.smtp_sink import SmtpServer
from tests.surveys.factories import survey_with_questions
from tests.workers import TEST_LEASE_SECONDS, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def queue_emails(count: int) -> list[str]:
    """One welcome email each to `count` people, committed together; returns the addresses."""
    people = MemberFactory.create_batch(count)
    with transaction.atomic():
        outgoing_emails_queue_bulk(emails=emails_for(people, key="test"))
    return [person.email for person in people]


def states() -> Counter:
    return Counter(OutgoingEmail.objects.values_list("state", flat=True))


@pytest.fixture
def smtp():
    # Each message takes the server 20 ms, so a batch of 60 lasts over a second.
    server = SmtpServer(delay=0.02)
    server.start()
    yield server
    server.stop()


def test_worker_killed_mid_batch_loses_nothing_and_resends_only_what_smtp_had_accepted(
    smtp, worker_processes, settings
):
    first = worker_processes(smtp_port=smtp.port)
    addresses = queue_emails(60)

    wait_until(lambda: len(smtp.sink.messages) >= 15, what="the batch to be under way")
    first.kill()
    wait_until(lambda: smtp.sink.in_flight == 0, what="the server to finish what it received")

    # Killed mid-batch: some recorded as sent, the rest still claimed by the dead worker.
    handed_over = set(smtp.sink.recipients())
    at_kill = states()
    assert at_kill["sent"] >= 10
    assert at_kill["sending"] > 0
    assert at_kill["sent"] + at_kill["sending"] == 60
    recorded = set(OutgoingEmail.objects.filter(state="sent").values_list("to_email", flat=True))
    assert recorded <= handed_over

    # A new worker; the beat's sweep re-enqueues the rows once their lease has run out (the
    # killed worker's task was never acknowledged, but Redis only redelivers it after an hour).
    worker_processes(smtp_port=smtp.port)
    leased_until = timezone.now().timestamp() + TEST_LEASE_SECONDS
    wait_until(lambda: timezone.now().timestamp() > leased_until, what="the lease to run out")
    outgoing_email_sweep.delay()

    wait_until(lambda: states() == Counter({"sent": 60}), what="every email to be sent")
    received = Counter(smtp.sink.recipients())
    assert set(received) == set(addresses)
    twice = {address for address, times in received.items() if times > 1}
    # Only messages the server had accepted before the worker died, and not yet recorded,
    # may repeat: at most the few since the worker's last record.
    assert twice <= handed_over - recorded
    assert len(twice) <= settings.OUTBOX_RECORD_EVERY
    assert max(received.values()) <= 2
    assert sum(received.values()) == 60 + len(twice)


def test_smtp_down_keeps_mail_queued_and_retrying_then_all_go_when_it_returns(
    worker_processes,
):
    smtp = SmtpServer()  # not started: nothing listens on its port
    worker_processes(smtp_port=smtp.port)
    addresses = queue_emails(20)

    # The worker tried, recorded the error and keeps the rows queued for a retry.
    wait_until(
        lambda: OutgoingEmail.objects.filter(state="queued", attempts__gte=1).count() == 20,
        what="a failed attempt on every row",
    )
    row = OutgoingEmail.objects.first()
    assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
    assert row.not_before > row.claimed_at

    smtp.start()
    try:
        # No one intervenes: the retry the worker scheduled for itself sends them.
        wait_until(lambda: states() == Counter({"sent": 20}), what="the retries to send all")
        assert sorted(smtp.sink.recipients()) == sorted(addresses)
    finally:
        smtp.stop()


def test_a_worker_on_the_mail_queue_alone_sends_a_round_as_the_bytes_it_stored(
    smtp, worker_processes
):
    # Only "mail": every task a round needs is routed there (copsite/settings.py).
    worker_processes(smtp_port=smtp.port, queues=("mail",))
    queue_emails(25)

    wait_until(lambda: states() == Counter({"sent": 25}), what="the round to be sent")
    stored = {
        to: (bytes(message), subject, message_id)
        for to, message, subject, message_id in OutgoingEmail.objects.values_list(
            "to_email", "message", "subject", "headers__Message-ID"
        )
    }
    assert sorted(smtp.sink.recipients()) == sorted(stored)
    for envelope in smtp.sink.messages:
        message, subject, message_id = stored[envelope.rcpt_tos[0]]
        assert envelope.original_content == message
        received = message_from_bytes(envelope.original_content, policy=policy.default)
        assert (received["Subject"], received["Message-ID"]) == (subject, message_id)
        assert "Welcome" in received.get_body(("plain",)).get_content()


def test_a_french_members_check_in_reaches_smtp_in_french_from_its_stored_bytes(
    smtp, worker_processes
):
    # The bytes are built by the worker, long after the round rendered the email in the
    # member's language: what arrives must still be that language, not the worker's.
    worker_processes(smtp_port=smtp.port, queues=("mail",))
    survey_with_questions(title="Community check-in", is_checkin=True)
    joined = timezone.now() - timedelta(days=60)
    MemberFactory(full_name="Élise Roy", language="fr-ca", joined_at=joined)
    MemberFactory(full_name="Ann Lee", language="en-ca", joined_at=joined)

    checkin_round_run()

    wait_until(lambda: states() == Counter({"sent": 2}), what="the round to be sent")
    received = {
        envelope.rcpt_tos[0]: message_from_bytes(envelope.original_content, policy=policy.default)
        for envelope in smtp.sink.messages
    }
    french, english = (
        received[OutgoingEmail.objects.get(member__full_name=name).to_email]
        for name in ("Élise Roy", "Ann Lee")
    )
    # Encoded, the subject is folded onto the next line after "Subject:", as Django's own SMTP
    # backend folds it; the parser reads it back with that line's leading space.
    subject = french["Subject"].strip()
    assert subject == "Élise Roy, comment la communauté vous est-elle utile ces temps-ci?"
    assert "Bonjour Élise Roy," in french.get_body(("plain",)).get_content()
    assert english["Subject"] == "Ann Lee, how is the community working for you?"
