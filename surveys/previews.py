"""What "Invite the audience" and "Remind" would do, counted and shown before anything is sent.

The querysets here answer who the services email: `invitations_create` emails the audience
less those already emailed (plus invitations left unsent), `invitations_remind` emails the
invitations due for a reminder.
"""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from members.bulk_confirmation import BulkPreview, PreviewSection, email_preview, people_sample
from members.models import Member
from members.services import preferences_url
from surveys.models import Invitation, Survey
from surveys.services import answer_url, survey_audience


def invitation_recipients(*, survey: Survey):
    """The people "Invite the audience" would email now (round 0 is a one-off survey's)."""
    invitations = Invitation.objects.filter(survey=survey, round=0)
    emailed = invitations.filter(sent_at__isnull=False).values("member_id")
    unsent = invitations.filter(sent_at__isnull=True).values("member_id")
    audience = survey_audience(survey=survey).values("pk")
    return Member.objects.filter((Q(pk__in=audience) & ~Q(pk__in=emailed)) | Q(pk__in=unsent))


def reminder_invitations(*, survey: Survey, now=None):
    """The invitations "Remind" would email now: none unless the survey is open."""
    now = now or timezone.now()
    if not survey.is_open(now):
        return Invitation.objects.none()
    return Invitation.objects.due_for_reminder(
        survey=survey,
        now=now,
        gap=timezone.timedelta(days=settings.SURVEY_REMINDER_MIN_GAP_DAYS),
        most=settings.SURVEY_REMINDER_MAX,
    )


def _survey_email(*, survey: Survey, member: Member, template: str):
    # An unsaved invitation: its link is well formed but opens nothing.
    invitation = Invitation(survey=survey, member=member, nonce="preview")
    return email_preview(
        template=f"surveys/email/{template}",
        context={
            "survey": survey,
            "member": member,
            "answer_url": answer_url(invitation),
            "preferences_url": preferences_url(member=member),
        },
        member=member,
    )


def _why_closed(survey: Survey) -> str:
    if survey.is_template:
        return "a template is never sent: copy it to run it"
    if survey.is_draft:
        return "a draft: schedule it first"
    return "not open now"


def invite_preview(*, surveys) -> BulkPreview:
    sections = []
    for survey in surveys:
        if not survey.is_open():
            sections.append(
                PreviewSection(
                    heading=f"“{survey}”", count=0, noun="invitations", note=_why_closed(survey)
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
                note="one email each, never twice",
                people=sample,
                email=_survey_email(survey=survey, member=sample[0], template="invitation")
                if sample
                else None,
            )
        )
    total = sum(section.count for section in sections)
    return BulkPreview(
        title="Invite the audience?",
        lead="Nothing is sent until you confirm.",
        confirm_label=ngettext("Send %(n)d invitation", "Send %(n)d invitations", total)
        % {"n": total},
        sections=sections,
    )


def remind_preview(*, surveys, now=None) -> BulkPreview:
    now = now or timezone.now()
    sections = []
    for survey in surveys:
        invitations = reminder_invitations(survey=survey, now=now)
        people = Member.objects.filter(pk__in=invitations.values("member_id"))
        count = invitations.count()
        sample = people_sample(people)
        sections.append(
            PreviewSection(
                heading=f"“{survey}”",
                count=count,
                noun=ngettext("person will be reminded", "people will be reminded", count),
                note=(
                    f"only those who have not answered, at most {settings.SURVEY_REMINDER_MAX} "
                    f"times, {settings.SURVEY_REMINDER_MIN_GAP_DAYS} days apart"
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
        title="Remind those who have not answered?",
        lead="Nothing is sent until you confirm.",
        confirm_label=ngettext("Send %(n)d reminder", "Send %(n)d reminders", total) % {"n": total},
        sections=sections,
    )
