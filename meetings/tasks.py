import logging

from celery import shared_task

from meetings import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def meeting_reminders_send() -> int:
    count = services.meeting_reminders_send()
    logger.info("Queued %s meeting reminders", count)
    return count
