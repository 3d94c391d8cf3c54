"""What "Invite the audience" and "Remind" would do, counted and shown before anything is sent.

The counts and emails come from the services themselves (`invitation_recipients`,
`invitations_due_for_reminder`, `invitation_email`), so the preview is what is sent.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from members.bulk_confirmation import BulkPreview, PreviewSection, people_sample
from members.models import Member
from surveys.models import Invitation, Survey
from surveys.services.invitations import (
    invitation_email,
    invitation_recipients,
    invitations_due_for_reminder,
)


def _survey_email(*, survey: Survey, member: Member, template: str):
    # An unsaved invitation: its link is well formed but opens nothing.
    invitation = Invitation(survey=survey, member=member, nonce="preview")
    return invitation_email(invitation=invitation, template=template, key="preview")


def _why_closed(survey: Survey) -> str:
    if survey.is_template:
        return gettext("a template is never sent: copy it to run it")
    if survey.is_draft:
        return gettext("a draft: schedule it first")
    return gettext("not open now")


def invite_preview(*, surveys) -> BulkPreview:
    sections = []
    for survey in surveys:
        if not survey.is_open():
            sections.append(
                PreviewSection(
                    heading=f"“{survey}”",
                    count=0,
                    noun=gettext("invitations"),
                    note=_why_closed(survey),
                )
            )
            continue
        people = invitation_recipients(survey=survey)
        count = people.count()
        sample = people_sample(people)
        sections.append(
            PreviewSection(
                heading=f"“{survey}”",
                count=count,
                noun=ngettext("person will be emailed", "people will be emailed", count),
                note=gettext("one email each, never twice"),
                people=sample,
                email=_survey_email(survey=survey, member=sample[0], template="invitation")
                if sample
                else None,
            )
        )
    total = sum(section.count for section in sections)
    return BulkPreview(
        title=gettext("Invite the audience?"),
        lead=gettext("Nothing is sent until you confirm."),
        confirm_label=ngettext("Send %(n)d invitation", "Send %(n)d invitations", total)
        % {"n": total},
        sections=sections,
    )


def remind_preview(*, surveys, now=None) -> BulkPreview:
    now = now or timezone.now()
    sections = []
    for survey in surveys:
        invitations = invitations_due_for_reminder(survey=survey, now=now)
        people = Member.objects.filter(pk__in=invitations.values("member_id"))
        count = invitations.count()
        sample = people_sample(people)
        sections.append(
            PreviewSection(
                heading=f"“{survey}”",
                count=count,
                noun=ngettext("person will be reminded", "people will be reminded", count),
                note=(
                    gettext(
                        "only those who have not answered, at most %(max)d times, "
                        "%(gap)d days apart"
                    )
                    % {
                        "max": settings.SURVEY_REMINDER_MAX,
                        "gap": settings.SURVEY_REMINDER_MIN_GAP_DAYS,
                    }
                )
                if survey.is_open(now)
                else _why_closed(survey),
                people=sample,
                email=_survey_email(survey=survey, member=sample[0], template="reminder")
                if sample
                else None,
            )
        )
    total = sum(section.count for section in sections)
    return BulkPreview(
        title=gettext("Remind those who have not answered?"),
        lead=gettext("Nothing is sent until you confirm."),
        confirm_label=ngettext("Send %(n)d reminder", "Send %(n)d reminders", total) % {"n": total},
        sections=sections,
    )
