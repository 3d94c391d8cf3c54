import logging

from celery import shared_task

from members import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def outgoing_email_send(email_id: str) -> None:
    email = services.outgoing_email_send(email_id=email_id)
    if email is None:
        logger.info("Outgoing email %s is gone or being sent by another worker", email_id)


@shared_task(ignore_result=True)
def outgoing_email_sweep() -> int:
    """Re-enqueue outbox rows whose send was never enqueued or whose sender died."""
    ids = list(services.outgoing_emails_unsent().values_list("pk", flat=True)[:1000])
    for email_id in ids:
        outgoing_email_send.delay(str(email_id))
    return len(ids)
