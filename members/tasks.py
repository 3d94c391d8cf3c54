import logging

from celery import shared_task
from django.conf import settings

from members import services

logger = logging.getLogger(__name__)


# Sending claims rows in the database first, so a redelivered task sends nothing twice: late
# acknowledgement is safe here, and a worker killed mid-task leaves its task to be redone.
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def outgoing_email_send(email_id: str) -> None:
    email = services.outgoing_email_send(email_id=email_id)
    if email is None:
        logger.info("Outgoing email %s is gone", email_id)


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def outgoing_emails_send_batch() -> int:
    claimed, sent = services.outgoing_emails_send_batch()
    if claimed == settings.OUTBOX_BATCH_SIZE:
        # A full batch: more may be due, so keep going without waiting for the sweep.
        outgoing_emails_send_batch.delay()
    return sent


@shared_task(ignore_result=True)
def outgoing_email_sweep() -> int:
    """Enqueue enough batches for rows that are due but were never (or no longer) enqueued."""
    due = services.outgoing_emails_unsent().count()
    batches = -(-due // settings.OUTBOX_BATCH_SIZE)
    for _ in range(batches):
        outgoing_emails_send_batch.delay()
    return due


@shared_task(ignore_result=True)
def attrition_run() -> dict:
    """Daily: re-engagement check-ins for members at risk; lapse those who never answered."""
    return services.attrition_run()
