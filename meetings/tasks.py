import logging

from celery import shared_task

from meetings.services import reminders

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def meeting_reminders_send() -> int:
    count = reminders.meeting_reminders_send()
    logger.info("Queued %s meeting reminders", count)
    return count
