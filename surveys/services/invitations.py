"""Invitations: a survey's audience, the signed single-use link each person gets, reminders."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from members.contact import contactable
from members.links import InvalidLink, link_claims, link_token, token_url
from members.models import Member, OutgoingEmail
from members.outbox.bulk import bulk_email_render
from members.outbox.queue import email_queue
from surveys.models import Invitation, Survey

INVITATION_LINK = "surveys.invitation.v1"


def invitation_token(invitation: Invitation) -> str:
    """The link's claims: survey, invitation and its nonce. The survey's closing date is the
    real expiry; the nonce lets an invitation's link be revoked."""
    return link_token(
        purpose=INVITATION_LINK,
        claims={"s": invitation.survey_id, "i": invitation.pk, "n": invitation.nonce},
    )


def survey_audience(*, survey: Survey):
    """The people a survey is for: by status, sector and (for feedback on one meeting) its
    attendees, among those who may be sent survey emails."""
    statuses = survey.audience_statuses or [Member.Status.ACTIVE]
    people = Member.objects.filter(contactable(kind=OutgoingEmail.Kind.SURVEY, statuses=statuses))
    sector_ids = list(survey.audience_sectors.values_list("pk", flat=True))
    if sector_ids:
        people = people.filter(sector_id__in=sector_ids)
    if survey.audience_meeting_id:
        # One registration per member and meeting: the join lists nobody twice.
        people = people.filter(
            meeting_registrations__meeting_id=survey.audience_meeting_id,
            meeting_registrations__attended=True,
        )
    return people


def answer_url(invitation: Invitation) -> str:
    return token_url("surveys:answer", invitation.survey_id, token=invitation_token(invitation))


def invitation_recipients(*, survey: Survey):
    """The people "invite the audience" emails now (round 0 is a one-off survey's): the
    audience not yet emailed, and anyone invited but never emailed."""
    invitations = Invitation.objects.filter(survey=survey, round=0)
    emailed = invitations.filter(sent_at__isnull=False).values("member_id")
    unsent = invitations.filter(sent_at__isnull=True).values("member_id")
    audience = survey_audience(survey=survey).values("pk")
    return Member.objects.filter((Q(pk__in=audience) & ~Q(pk__in=emailed)) | Q(pk__in=unsent))


@transaction.atomic
def invitations_create(*, survey: Survey, round: int = 0, members=None) -> int:
    """Invite the audience: one invitation per person (and round), each emailed once."""
    people = members if members is not None else survey_audience(survey=survey)
    Invitation.objects.bulk_create(
        [Invitation(survey=survey, member=member, round=round) for member in people],
        ignore_conflicts=True,
    )
    unsent = Invitation.objects.filter(
        survey=survey, round=round, sent_at__isnull=True
    ).select_related("member", "survey")
    now = timezone.now()
    count = 0
    for invitation in unsent:
        _email_invitation(invitation=invitation, template="invitation", key="invite")
        count += 1
    unsent.update(sent_at=now)
    return count


def invitation_email(*, invitation: Invitation, template: str, key: str) -> OutgoingEmail:
    """The unsaved email of an invitation ("invitation") or one of its reminders ("reminder"),
    in the person's language."""
    survey = invitation.survey
    with translation.override(invitation.member.language):
        return bulk_email_render(
            kind=OutgoingEmail.Kind.SURVEY,
            dedupe_key=_dedupe_key(invitation, key),
            member=invitation.member,
            template=f"surveys/email/{template}",
            context={"survey": survey, "answer_url": answer_url(invitation)},
        )


def _dedupe_key(invitation: Invitation, key: str) -> str:
    return f"survey:{invitation.survey_id}:{invitation.round}:{invitation.member_id}:{key}"


def _email_invitation(*, invitation: Invitation, template: str, key: str) -> OutgoingEmail:
    return email_queue(
        dedupe_key=_dedupe_key(invitation, key),
        render=lambda: invitation_email(invitation=invitation, template=template, key=key),
    )


def invitations_due_for_reminder(*, survey: Survey, now=None):
    """Invitations whose person may be reminded now: not answered, emailed at least the gap
    ago, reminded fewer than SURVEY_REMINDER_MAX times and not within the gap, and still
    willing to get survey emails. None unless the survey is open."""
    now = now or timezone.now()
    if not survey.is_open(now):
        return Invitation.objects.none()
    gap = timedelta(days=settings.SURVEY_REMINDER_MIN_GAP_DAYS)
    return (
        Invitation.objects.filter(
            survey=survey,
            completed=False,
            sent_at__isnull=False,
            sent_at__lte=now - gap,
            reminders_sent__lt=settings.SURVEY_REMINDER_MAX,
        )
        .filter(contactable(kind=OutgoingEmail.Kind.SURVEY, now=now, through="member"))
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - gap))
    )


@transaction.atomic
def invitations_remind(*, survey: Survey, now=None) -> int:
    """Remind those who have not answered, with a minimum gap and a maximum count."""
    now = now or timezone.now()
    due = (
        invitations_due_for_reminder(survey=survey, now=now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("member", "survey")
    )
    count = 0
    for invitation in due:
        invitation.reminders_sent += 1
        invitation.last_reminded_at = now
        invitation.save(update_fields=["reminders_sent", "last_reminded_at"])
        _email_invitation(
            invitation=invitation, template="reminder", key=f"remind{invitation.reminders_sent}"
        )
        count += 1
    return count


def invitation_for_token(*, survey_id: int, token: str) -> Invitation:
    """The invitation behind a survey link, or InvalidLink (tampered, unknown, revoked, or a
    link to another survey)."""
    claims = link_claims(purpose=INVITATION_LINK, token=token, required={"s", "i", "n"})
    if claims["s"] != survey_id:
        raise InvalidLink
    invitation = (
        Invitation.objects.select_related("survey", "member")
        .filter(pk=claims["i"], survey_id=survey_id, nonce=claims["n"])
        .first()
    )
    if invitation is None:
        raise InvalidLink
    return invitation


def open_invitations_for(*, member: Member):
    """The member's unanswered invitations to surveys open now."""
    return (
        Invitation.objects.filter(member=member, completed=False)
        .filter(survey__in=Survey.objects.open())
        .select_related("survey")
        .order_by("survey__closes_at")
    )
