"""Account emails take a fast lane: claimed before a waiting round, and sent from a queue of
their own by a worker of their own, so a signup is never stuck behind 10,000 check-ins."""

import pytest
from django.db import transaction
from django.utils import timezone

from members import tasks
from members.models import OutgoingEmail
from members.outbox import states
from members.outbox.queue import outgoing_email_queue, outgoing_emails_queue_bulk
from tests.factories import MemberFactory
from tests.outbox_helpers import emails_for
from tests.smtp_sink import SmtpServer
from tests.workers import wait_until


def round_of(people) -> list[OutgoingEmail]:
    return emails_for(people, key="round", kind=OutgoingEmail.Kind.CHECKIN)


def account_email(person) -> OutgoingEmail:
    return outgoing_email_queue(
        kind=OutgoingEmail.Kind.ACCOUNT,
        dedupe_key=f"account:{person.pk}",
        to_email=person.email,
        template="members/email/welcome",
        context={"member": person},
    )


@pytest.mark.django_db
def test_a_batch_claims_account_emails_before_an_older_round():
    people = MemberFactory.create_batch(5)
    outgoing_emails_queue_bulk(emails=round_of(people[:4]))
    signup = account_email(people[4])

    claimed = states.emails_claim(queryset=OutgoingEmail.objects.all(), now=timezone.now(), limit=2)

    assert [email.kind for email in claimed] == ["account", "checkin"]
    assert claimed[0].pk == signup.pk


@pytest.mark.django_db(transaction=True)
def test_account_emails_are_sent_while_a_round_is_still_going(worker_processes, settings):
    smtp = SmtpServer(delay=0.02)  # 20 ms a message: a round of 600 takes 12 s or more
    smtp.start()
    try:
        worker_processes(smtp_port=smtp.port, queues=("celery", "mail"))
        worker_processes(smtp_port=smtp.port, queues=(tasks.FAST_LANE_QUEUE,))
        people = MemberFactory.create_batch(601)
        with transaction.atomic():
            outgoing_emails_queue_bulk(emails=round_of(people[:600]))
        wait_until(
            lambda: OutgoingEmail.objects.filter(kind="checkin", state="sent").exists(),
            what="the round to start",
        )

        with transaction.atomic():
            signup = account_email(people[600])

        wait_until(
            lambda: OutgoingEmail.objects.get(pk=signup.pk).state == "sent",
            what="the account email to be sent",
        )
        # Sent in the fast lane: most of the round is still waiting its turn.
        waiting = OutgoingEmail.objects.filter(kind="checkin").exclude(state="sent").count()
        assert waiting > 100
        assert people[600].email in smtp.sink.recipients()
    finally:
        smtp.stop()
