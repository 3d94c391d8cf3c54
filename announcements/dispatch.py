"""The admin's Send: an announcement marked as being sent, and its worker enqueued after the commit.

Apart from services.py so that the task (which calls services) and this module (which enqueues
the task) never import each other in a cycle.
"""

from django.db import transaction
from django.utils.translation import gettext

from announcements import tasks
from announcements.models import Announcement
from members.models import User
from members.tasks import enqueue


class AnnouncementRefused(Exception):
    """Sending that the rules forbid (sent already); the message is for the coordinator."""


def announcement_send_request(*, announcement: Announcement, by: User) -> Announcement:
    """Draft → being sent; a worker renders and queues the emails after the commit (or, if the
    broker is down then, the resume task within minutes of its return)."""
    with transaction.atomic():
        announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if not announcement.is_draft:
            raise AnnouncementRefused(gettext("This announcement has already been sent."))
        announcement.status = Announcement.Status.SENDING
        announcement.sent_by = by
        announcement.save(update_fields=["status", "sent_by"])
        pk = announcement.pk
        transaction.on_commit(lambda: enqueue(tasks.announcement_send, pk))
    return announcement
