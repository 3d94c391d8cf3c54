"""What cancelling meetings would do, counted and shown before anyone is emailed."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from meetings.models import Meeting, Registration
from meetings.services.emails import registrant_email
from members.bulk_confirmation import BulkPreview, PreviewSection, people_sample
from members.models import Member, OutgoingEmail

# Whom `meeting_cancel` emails: everyone holding a place or waiting for one.
NOTIFIED = (Registration.Status.GOING, Registration.Status.WAITLISTED)


def _cancellation_email(*, meeting: Meeting, member: Member):
    """The email `meeting_cancel` would send this registrant (the meeting not yet cancelled)."""
    registration = Registration.objects.select_related("member").get(meeting=meeting, member=member)
    registration.meeting = meeting
    return registrant_email(
        registration=registration,
        kind=OutgoingEmail.Kind.MEETING,
        dedupe_key="preview",
        template="meeting_cancelled",
    )


def cancel_preview(*, meetings) -> BulkPreview:
    sections = []
    for meeting in meetings.order_by("starts_at", "pk"):
        heading = gettext("“%(meeting)s”, %(date)s") % {
            "meeting": meeting,
            "date": date_format(timezone.localtime(meeting.starts_at)),
        }
        if meeting.status == Meeting.Status.CANCELLED:
            sections.append(
                PreviewSection(
                    heading=heading,
                    count=0,
                    noun=gettext("emails"),
                    note=gettext("already cancelled"),
                )
            )
            continue
        people = Member.objects.filter(
            meeting_registrations__meeting=meeting, meeting_registrations__status__in=NOTIFIED
        )
        count = people.count()
        sample = people_sample(people)
        sections.append(
            PreviewSection(
                heading=heading,
                count=count,
                noun=ngettext("registrant will be emailed", "registrants will be emailed", count),
                note=gettext("going and waiting-list registrants, with a calendar cancellation"),
                people=sample,
                email=_cancellation_email(meeting=meeting, member=sample[0]) if sample else None,
            )
        )
    to_cancel = sum(1 for m in meetings if m.status != Meeting.Status.CANCELLED)
    return BulkPreview(
        title=gettext("Cancel these meetings?"),
        lead=gettext("Nothing is cancelled or sent until you confirm."),
        confirm_label=ngettext(
            "Cancel %(n)d meeting and email its registrants",
            "Cancel %(n)d meetings and email their registrants",
            to_cancel,
        )
        % {"n": to_cancel},
        sections=sections,
        work=to_cancel,
    )
