"""Announcements: a coordinator writes to part of the community (CiviMail, Wild Apricot blasts).

It depends on members (the people, their sectors and interests) and meetings (a meeting's
registrants or attendees); neither depends on it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from meetings.models import Meeting
from members.models import Member, Sector, Topic


class Announcement(models.Model):
    """One message to an audience chosen by status, sector, interest or meeting; sent once."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"

    class MeetingAudience(models.TextChoices):
        REGISTRANTS = "registrants", "Its registrants (going or on the waiting list)"
        ATTENDEES = "attendees", "Its attendees (ticked as attended)"

    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Markdown: **bold**, lists, [links](https://…). It starts after “Hello <name>,”."
    )
    audience_statuses = models.JSONField(
        "statuses",
        default=list,
        blank=True,
        help_text="Who, by status. Empty: active members.",
    )
    audience_sectors = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="+",
        verbose_name="sectors",
        help_text="Only people in these sectors. Empty: every sector.",
    )
    audience_topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="+",
        verbose_name="interests",
        help_text="Only people interested in at least one of these topics. Empty: anyone.",
    )
    audience_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="meeting",
        help_text="Only people registered for (or who attended) this meeting. Empty: no limit.",
    )
    audience_meeting_who = models.CharField(
        "of the meeting",
        max_length=12,
        choices=MeetingAudience.choices,
        default=MeetingAudience.REGISTRANTS,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0, help_text="Emails queued when sent.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def statuses(self) -> list[str]:
        return self.audience_statuses or [Member.Status.ACTIVE]
