"""Announcements: who they go to, what they look like, and sending them once, through the outbox.

The admin asks for the count and a preview first (`announcement_audience`,
`announcement_preview`); pressing Send (`announcement_send_request`, in dispatch.py, the one
module that enqueues the task) marks it as being sent and hands the rendering of every email to
a worker (`announcement_send`, here), so the coordinator's request never waits on 10,000
renders. The task imports this module and nothing imports the task back. Each email is a bulk
email of kind "announcement": one-click unsubscribe from announcements, a preferences link, a
reason in its footer.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from announcements.models import Announcement
from meetings.models import Registration
from members.contact import contactable
from members.markdown import markdown_to_html
from members.models import Member, OutgoingEmail
from members.outbox.bulk import bulk_email_render
from members.outbox.queue import outgoing_emails_queue_bulk

TEMPLATE = "announcements/email/announcement"


def announcement_audience(*, announcement: Announcement) -> QuerySet[Member]:
    """The people it goes to: its statuses, sectors, interests and meeting, among those who may
    be sent announcements now (not unsubscribed, not bounced)."""
    people = Member.objects.filter(
        contactable(kind=OutgoingEmail.Kind.ANNOUNCEMENT, statuses=announcement.statuses())
    )
    sector_ids = list(announcement.audience_sectors.values_list("pk", flat=True))
    if sector_ids:
        people = people.filter(sector_id__in=sector_ids)
    topic_ids = list(announcement.audience_topics.values_list("pk", flat=True))
    if topic_ids:
        # Through a subquery: a join on interests would list a person once per shared topic.
        interested = Member.interests.through.objects.filter(topic_id__in=topic_ids)
        people = people.filter(pk__in=interested.values("member_id"))
    if announcement.audience_meeting_id:
        registrations = Registration.objects.filter(meeting_id=announcement.audience_meeting_id)
        if announcement.audience_meeting_who == Announcement.MeetingAudience.ATTENDEES:
            registrations = registrations.filter(attended=True)
        else:
            registrations = registrations.filter(
                status__in=[Registration.Status.GOING, Registration.Status.WAITLISTED]
            )
        people = people.filter(pk__in=registrations.values("member_id"))
    return people.order_by("pk")


def _email(announcement: Announcement, member: Member, body_html: str) -> OutgoingEmail:
    # The coordinator's text is as written; our greeting, signature and footer around it are
    # in the member's own language.
    with translation.override(member.language):
        return bulk_email_render(
            kind=OutgoingEmail.Kind.ANNOUNCEMENT,
            dedupe_key=f"announcement:{announcement.pk}:{member.pk}",
            member=member,
            template=TEMPLATE,
            context={"announcement": announcement, "body_html": body_html},
        )


def announcement_preview(*, announcement: Announcement) -> OutgoingEmail:
    """The email as its first recipient will get it (or as a sample person, if nobody is in
    the audience yet). Unsaved: previewing sends and stores nothing."""
    member = announcement_audience(announcement=announcement).first()
    if member is None:
        member = Member(pk=0, full_name="Sam Example", email="sam@example.org")
    return _email(announcement, member, markdown_to_html(announcement.body))


def announcements_sending_resume() -> int:
    """Send the announcements left being sent: their task never reached a worker (the broker
    was down when the coordinator pressed Send). Safe beside a task still on its way: each
    announcement is locked and sent once. Returns how many emails were queued."""
    being_sent = Announcement.objects.filter(status=Announcement.Status.SENDING)
    return sum(
        announcement_send(announcement_id=pk) for pk in being_sent.values_list("pk", flat=True)
    )


def announcement_send(*, announcement_id: int, now=None) -> int:
    """Render and queue one email per person in the audience, once; returns how many.

    Safe to run twice: only an announcement being sent is sent, and each email's dedupe key
    (announcement, person) keeps a second run from queueing anything again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        announcement = Announcement.objects.select_for_update().filter(pk=announcement_id).first()
        if announcement is None or announcement.status != Announcement.Status.SENDING:
            return 0
        body_html = markdown_to_html(announcement.body)
        people = announcement_audience(announcement=announcement)
        emails = [_email(announcement, member, body_html) for member in people.iterator(2000)]
        queued = outgoing_emails_queue_bulk(emails=emails)
        announcement.status = Announcement.Status.SENT
        announcement.sent_at = now
        announcement.recipients = len(emails)
        announcement.save(update_fields=["status", "sent_at", "recipients"])
    return queued
