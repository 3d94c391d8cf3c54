"""The outbox's workers: thin Celery tasks around members/outbox/delivery.py.

The queue (members/outbox/queue.py) enqueues these after its commit; this module imports only
delivery, never the queue, so the two cannot import each other.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from members.outbox import delivery

logger = logging.getLogger(__name__)


# The fast lane: account emails (verification, password reset) are sent by a worker of their
# own (`--queues=account`, see bin/run-dev and docker-compose.yml), never behind a round.
FAST_LANE_QUEUE = "account"


def enqueue(task, *args, countdown: int | None = None, queue: str | None = None) -> None:
    """Hand a task to the broker. The rows are committed: if the broker is down the sweep picks
    them up later, so the request or round that queued the mail must not fail."""
    options = {"queue": queue} if queue else {}
    try:
        task.apply_async(args, countdown=countdown, **options)
    except Exception:
        logger.warning("Could not enqueue %s%s; the sweep will retry", task.name, args)


def email_send_after_commit(email_id, *, fast: bool = False) -> None:
    queue = FAST_LANE_QUEUE if fast else None
    transaction.on_commit(lambda: enqueue(outgoing_email_send, str(email_id), queue=queue))


def batches_enqueue(count: int, *, after_commit: bool = False) -> int:
    """Enough batch tasks to send `count` emails (ceil of count / OUTBOX_BATCH_SIZE)."""
    batches = -(-count // settings.OUTBOX_BATCH_SIZE)
    for _ in range(batches):
        if after_commit:
            transaction.on_commit(lambda: enqueue(outgoing_emails_send_batch))
        else:
            enqueue(outgoing_emails_send_batch)
    return batches


def _schedule_retry(sent: delivery.Delivery) -> None:
    # Wake a batch when the first retry falls due, rather than waiting for the sweep.
    if sent.retry_in is not None:
        enqueue(outgoing_emails_send_batch, countdown=sent.retry_in)


def batches_send_here(count: int) -> int:
    """Send about `count` due emails from this task's own process, batch by batch; returns how
    many went. For a task that has just queued them (a check-in round's chunk): the batch tasks
    it enqueued wait behind the round's other chunks, and the SMTP connections would stay idle
    until every chunk was rendered. Those tasks still run, and send whatever is left."""
    sent = 0
    for _ in range(-(-count // settings.OUTBOX_BATCH_SIZE)):
        delivery_ = delivery.outgoing_emails_send_batch()
        _schedule_retry(delivery_)
        sent += delivery_.sent
        if delivery_.claimed < settings.OUTBOX_BATCH_SIZE:
            break
    return sent


# Sending claims rows in the database first, so a redelivered task sends nothing twice: late
# acknowledgement is safe here, and a worker killed mid-task leaves its task to be redone.
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def outgoing_email_send(email_id: str) -> None:
    sent = delivery.outgoing_email_send(email_id=email_id)
    if sent.email is None:
        logger.info("Outgoing email %s is gone", email_id)
    _schedule_retry(sent)


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def outgoing_emails_send_batch() -> int:
    sent = delivery.outgoing_emails_send_batch()
    _schedule_retry(sent)
    if sent.claimed == settings.OUTBOX_BATCH_SIZE:
        # A full batch: more may be due, so keep going without waiting for the sweep.
        enqueue(outgoing_emails_send_batch)
    return sent.sent


@shared_task(ignore_result=True)
def outgoing_email_sweep() -> int:
    """Enqueue enough batches for rows that are due but were never (or no longer) enqueued."""
    due = delivery.outgoing_emails_unsent().count()
    batches_enqueue(due)
    return due
