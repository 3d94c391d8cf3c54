"""Emails to a meeting's registrants: in their own language and zone, the .ics where it helps."""

from django.utils import timezone, translation

from meetings import ical
from meetings.models import Registration
from members.links import absolute_reverse, absolute_url
from members.models import OutgoingEmail
from members.outbox.bulk import bulk_email_render
from members.outbox.queue import email_queue
from members.outbox.render import outgoing_email_render


def registrant_email(
    *,
    registration: Registration,
    kind: str,
    dedupe_key: str,
    template: str,
    attach_ics: bool = False,
    **context,
) -> OutgoingEmail:
    """An unsaved email about a meeting to one registrant, in their language and time zone."""
    meeting, member = registration.meeting, registration.member
    going = registration.status == Registration.Status.GOING
    context = {
        "meeting": meeting,
        "registration": registration,
        "member": member,
        "show_online_url": going and bool(meeting.online_url),
        "meeting_url": absolute_url(meeting.get_absolute_url()),
        # The confirmation page: cancelling takes a second, deliberate press.
        "cancel_url": absolute_reverse("meetings:cancel", meeting.pk),
        **context,
    }
    # Reminders are bulk mail, with one-click unsubscribe; the rest answer the member's own act.
    render = bulk_email_render if kind == OutgoingEmail.Kind.REMINDER else outgoing_email_render
    # The member's language, not the request's: a coordinator's edit or the reminder task
    # emails people who each chose theirs (the .ics's own words included).
    with timezone.override(member.zone()), translation.override(member.language):
        attachments = []
        if attach_ics:
            attachments.append(ical.meeting_ics_attachment(meeting, with_online_url=going))
        return render(
            kind=kind,
            dedupe_key=dedupe_key,
            member=member,
            template=f"meetings/email/{template}",
            context=context,
            attachments=attachments,
        )


def registrant_email_queue(*, dedupe_key: str, **kwargs) -> OutgoingEmail:
    """Queue `registrant_email` once per dedupe key (it takes the same arguments)."""
    return email_queue(
        dedupe_key=dedupe_key, render=lambda: registrant_email(dedupe_key=dedupe_key, **kwargs)
    )
