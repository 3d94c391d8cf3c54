"""In `make run` the worker prints each email as one readable block on the terminal, not as its
own log lines (Celery turns a worker's stdout into WARNING log records, one per line)."""

import pytest
from django.db import transaction

from members.models import OutgoingEmail
from members.outbox.queue import outgoing_email_queue
from tests.factories import MemberFactory
from tests.workers import wait_until


@pytest.mark.django_db(transaction=True)
def test_a_worker_prints_the_email_as_one_block(worker_processes, tmp_path):
    output = tmp_path / "worker.log"
    member = MemberFactory(full_name="Zoë Console")
    with output.open("w") as stdout:
        worker = worker_processes(
            smtp_port=1, env={"EMAIL_URL": "consolemail://", "LOG_LEVEL": "INFO"}, stdout=stdout
        )
        with transaction.atomic():
            email = outgoing_email_queue(
                kind=OutgoingEmail.Kind.WELCOME,
                dedupe_key="console:1",
                member=member,
                template="members/email/welcome",
                context={"member": member},
            )
        wait_until(lambda: OutgoingEmail.objects.get(pk=email.pk).state == "sent")
        worker.stop()

    printed = output.read_text()
    block = printed[printed.index("=" * 78) :]
    block = block[: block.index("=" * 78, 78) + 78]
    lines = block.splitlines()
    assert f"To:               {member.email}" in lines
    assert (
        "Subject:          Welcome to the City Librarians Community of Practice, Zoë Console"
        in lines
    )
    assert "Hello Zoë Console," in lines
    # No line of the email is a log record.
    assert not [line for line in lines if "WARNING/" in line or "ForkPoolWorker" in line]
    assert "WARNING/ForkPoolWorker" not in printed
