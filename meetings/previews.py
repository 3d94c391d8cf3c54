"""What cancelling meetings would do, counted and shown before anyone is emailed."""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

from meetings.models import Meeting, Registration
from members.bulk_confirmation import BulkPreview, PreviewSection, email_preview, people_sample
from members.models import Member

# Whom `meeting_cancel` emails: everyone holding a place or waiting for one.
NOTIFIED = (Registration.Status.GOING, Registration.Status.WAITLISTED)


def _cancellation_email(*, meeting: Meeting, member: Member):
    registration = Registration.objects.get(meeting=meeting, member=member)
    with timezone.override(member.zone()):
        return email_preview(
            template="meetings/email/meeting_cancelled",
            context={
                "meeting": meeting,
                "registration": registration,
                "member": member,
                "show_online_url": False,
                "meeting_url": f"{settings.SITE_URL}{meeting.get_absolute_url()}",
            },
            member=member,
        )


def cancel_preview(*, meetings) -> BulkPreview:
    sections = []
    for meeting in meetings.order_by("starts_at", "pk"):
        heading = f"“{meeting}”, {date_format(timezone.localtime(meeting.starts_at))}"
        if meeting.status == Meeting.Status.CANCELLED:
            sections.append(
                PreviewSection(heading=heading, count=0, noun="emails", note="already cancelled")
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
                note="going and waiting-list registrants, with a calendar cancellation",
                people=sample,
                email=_cancellation_email(meeting=meeting, member=sample[0]) if sample else None,
            )
        )
    to_cancel = sum(1 for m in meetings if m.status != Meeting.Status.CANCELLED)
    return BulkPreview(
        title="Cancel these meetings?",
        lead="Nothing is cancelled or sent until you confirm.",
        confirm_label=ngettext(
            "Cancel %(n)d meeting and email its registrants",
            "Cancel %(n)d meetings and email their registrants",
            to_cancel,
        )
        % {"n": to_cancel},
        sections=sections,
        work=to_cancel,
    )
