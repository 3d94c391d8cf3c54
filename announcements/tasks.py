import logging

from celery import shared_task

from announcements import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def announcement_send(announcement_id: int) -> int:
    """Render and queue an announcement's emails (the admin's Send, after its commit)."""
    queued = services.announcement_send(announcement_id=announcement_id)
    logger.info("Announcement %s: emails queued: %s", announcement_id, queued)
    return queued


@shared_task(ignore_result=True)
def announcements_sending_resume() -> int:
    """Beat's safety net: announcements whose send task was lost (broker down at Send)."""
    return services.announcements_sending_resume()
