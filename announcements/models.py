"""Announcements: a coordinator writes to part of the community (CiviMail, Wild Apricot blasts).

It depends on members (the people, their sectors and interests) and meetings (a meeting's
registrants or attendees); neither depends on it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import Meeting
from members.models import Member, Sector, Topic


class Announcement(models.Model):
    """One message to an audience chosen by status, sector, interest or meeting; sent once."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("announcement status", "Draft")
        SENDING = "sending", pgettext_lazy("announcement status", "Being sent")
        SENT = "sent", pgettext_lazy("announcement status", "Sent")

    class MeetingAudience(models.TextChoices):
        REGISTRANTS = "registrants", _("Its registrants (going or on the waiting list)")
        ATTENDEES = "attendees", _("Its attendees (ticked as attended)")

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Markdown: **bold**, lists, [links](https://…). It starts after “Hello <name>,”."
        ),
    )
    audience_statuses = models.JSONField(
        _("statuses"),
        default=list,
        blank=True,
        help_text=_("Who, by status. Empty: active members."),
    )
    audience_sectors = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="+",
        verbose_name=_("sectors"),
        help_text=_("Only people in these sectors. Empty: every sector."),
    )
    audience_topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="+",
        verbose_name=_("interests"),
        help_text=_("Only people interested in at least one of these topics. Empty: anyone."),
    )
    audience_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("meeting"),
        help_text=_("Only people registered for (or who attended) this meeting. Empty: no limit."),
    )
    audience_meeting_who = models.CharField(
        _("of the meeting"),
        max_length=12,
        choices=MeetingAudience.choices,
        default=MeetingAudience.REGISTRANTS,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(
        _("recipients"), default=0, help_text=_("Emails queued when sent.")
    )

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def statuses(self) -> list[str]:
        return self.audience_statuses or [Member.Status.ACTIVE]
