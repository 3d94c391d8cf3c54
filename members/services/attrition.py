"""Attrition: members who drift away get a re-engagement check-in (stay, pause or leave), and
lapse if they never answer."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.contact import contactable, contactable_flag
from members.links import InvalidLink, link_claims, link_token, token_url
from members.models import EngagementEvent, Member, OutgoingEmail, Reengagement, User
from members.outbox.queue import bulk_email_queue
from members.services.lifecycle import member_change_status

REENGAGEMENT_LINK = "members.reengagement.v1"
PAUSE_DAYS = 91


def members_at_risk(*, now=None):
    """Active members with no engagement (attendance, RSVP, answer, contribution, login) for
    ATTRITION_AT_RISK_DAYS, and no re-engagement check-in already open: who coordinators see
    drifting away. Whom attrition may write to is `members_to_reengage`.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ATTRITION_AT_RISK_DAYS)
    last_event = (
        EngagementEvent.objects.filter(member=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return (
        Member.objects.filter(status=Member.Status.ACTIVE)
        .annotate(
            last_event=Subquery(last_event),
            last_seen=Greatest(
                Coalesce(Subquery(last_event), "joined_at", "created_at"),
                Coalesce("user__last_login", "joined_at", "created_at"),
            ),
        )
        .filter(last_seen__lt=cutoff)
        .exclude(reengagements__closed_at__isnull=True, reengagements__isnull=False)
        .order_by("pk")
    )


def members_to_reengage(*, now=None):
    """Members at risk who may be sent a check-in: someone who turned check-ins off, paused
    them or whose address bounces is not asked."""
    return members_at_risk(now=now).filter(
        contactable(kind=OutgoingEmail.Kind.CHECKIN, now=now, statuses=[Member.Status.ACTIVE])
    )


def reengagement_token(*, reengagement: Reengagement) -> str:
    return link_token(
        purpose=REENGAGEMENT_LINK, claims={"r": reengagement.pk, "m": reengagement.member_id}
    )


def reengagement_for_token(*, token: str) -> Reengagement:
    claims = link_claims(purpose=REENGAGEMENT_LINK, token=token, required={"r", "m"})
    reengagement = (
        Reengagement.objects.select_related("member")
        .filter(pk=claims["r"], member_id=claims["m"])
        .first()
    )
    if reengagement is None:
        raise InvalidLink
    return reengagement


def _reengagement_email_queue(*, reengagement: Reengagement, sent_by: User | None = None):
    """The re-engagement check-in: from the portal, or signed by the coordinator who sent it
    (their name, and replies reach them)."""
    context = {
        "answer_url": token_url(
            "members:reengagement", token=reengagement_token(reengagement=reengagement)
        ),
        "lapse_days": settings.ATTRITION_LAPSE_AFTER_DAYS,
    }
    if sent_by is None:
        return bulk_email_queue(
            kind=OutgoingEmail.Kind.CHECKIN,
            dedupe_key=f"reengagement:{reengagement.pk}",
            member=reengagement.member,
            template="members/email/reengagement",
            context=context,
        )
    return bulk_email_queue(
        kind=OutgoingEmail.Kind.CHECKIN,
        dedupe_key=f"personal-checkin:{reengagement.pk}",
        member=reengagement.member,
        template="members/email/personal_checkin",
        context={**context, "coordinator_name": sent_by.get_full_name() or sent_by.email},
        extra_headers={"Reply-To": sent_by.email},
    )


@transaction.atomic
def attrition_run(*, now=None) -> dict:
    """Daily: send re-engagement check-ins to members at risk; lapse those who never answered."""
    now = now or timezone.now()
    invited = 0
    for member in members_to_reengage(now=now):
        reengagement = Reengagement.objects.create(member=member, sent_at=now)
        _reengagement_email_queue(reengagement=reengagement)
        invited += 1
    lapsed = 0
    unanswered = Reengagement.objects.filter(
        closed_at__isnull=True,
        sent_at__lt=now - timedelta(days=settings.ATTRITION_LAPSE_AFTER_DAYS),
        member__status=Member.Status.ACTIVE,
    ).select_related("member")
    for reengagement in unanswered:
        member_change_status(
            member=reengagement.member,
            to_status=Member.Status.LAPSED,
            reason=(
                f"No answer to the re-engagement check-in for "
                f"{settings.ATTRITION_LAPSE_AFTER_DAYS} days"
            ),
        )
        reengagement.closed_at = now
        reengagement.answer = Reengagement.Answer.LAPSED
        reengagement.save(update_fields=["closed_at", "answer"])
        lapsed += 1
    return {"invited": invited, "lapsed": lapsed}


@transaction.atomic
def reengagement_answer(*, reengagement: Reengagement, answer: str, now=None) -> Reengagement:
    """Stay, pause check-ins for three months, or leave; the person's own choice by POST."""
    now = now or timezone.now()
    reengagement = Reengagement.objects.select_for_update().get(pk=reengagement.pk)
    member = reengagement.member
    if answer == Reengagement.Answer.PAUSE:
        member.checkins_paused_until = timezone.localdate(now) + timedelta(days=PAUSE_DAYS)
        member.save(update_fields=["checkins_paused_until", "updated_at"])
    elif answer == Reengagement.Answer.LEAVE and member.status != Member.Status.LEFT:
        member_change_status(
            member=member,
            to_status=Member.Status.LEFT,
            reason="Chose to leave from a re-engagement check-in",
            changed_by=member.user,
        )
    elif answer == Reengagement.Answer.STAY and member.status == Member.Status.LAPSED:
        member_change_status(
            member=member,
            to_status=Member.Status.ACTIVE,
            reason="Chose to stay from a re-engagement check-in",
            changed_by=member.user,
        )
    reengagement.answer = answer
    reengagement.closed_at = reengagement.closed_at or now
    reengagement.save(update_fields=["answer", "closed_at"])
    if answer in (Reengagement.Answer.STAY, Reengagement.Answer.PAUSE):
        EngagementEvent.objects.create(
            member=member,
            kind=EngagementEvent.Kind.RESPONDED,
            occurred_at=now,
            source=f"reengagement:{reengagement.pk}",
        )
    return reengagement


# --- A personal check-in: the re-engagement sent early, by a coordinator ---------------------


class PersonalCheckinRefused(Exception):
    """Why this person cannot be sent a check-in now; the message is for the coordinator."""


def may_be_checked_in(*, now=None):
    """Annotate members with this, as `may_checkin`, to ask `personal_checkin_refusal` without
    a query per member."""
    return contactable_flag(
        kind=OutgoingEmail.Kind.CHECKIN, now=now, statuses=[Member.Status.ACTIVE]
    )


def personal_checkin_refusal(*, member: Member, now=None) -> str:
    """Why a personal check-in cannot go to this member, or "" when it can.

    Whether it can is the contact rule for check-ins; the reasons only explain it.
    """
    allowed = getattr(member, "may_checkin", None)
    if allowed is None:
        allowed = (
            Member.objects.filter(pk=member.pk)
            .annotate(may_checkin=may_be_checked_in(now=now))
            .values_list("may_checkin", flat=True)
            .get()
        )
    if allowed:
        return ""
    if member.status != Member.Status.ACTIVE:
        return _("%(name)s is not an active member.") % {"name": member.full_name}
    if member.email_bounced_at is not None:
        return _("Email to %(email)s bounces.") % {"email": member.email}
    return _("%(name)s has paused check-ins.") % {"name": member.full_name}


def personal_checkin_send(*, member: Member, sent_by: User, now=None) -> Reengagement:
    """One click on the at-risk list: the same Stay / Pause / Leave page and the same lapse
    after no answer as the daily run's, and the same one-open-per-member rule, so the daily run
    does not send a second one. The person's own choices win."""
    now = now or timezone.now()
    refusal = personal_checkin_refusal(member=member, now=now)
    if refusal:
        raise PersonalCheckinRefused(refusal)
    try:
        with transaction.atomic():
            reengagement = Reengagement.objects.create(member=member, sent_by=sent_by, sent_at=now)
            _reengagement_email_queue(reengagement=reengagement, sent_by=sent_by)
    except IntegrityError:  # one open re-engagement per member, even for two quick clicks
        open_one = Reengagement.objects.filter(member=member, closed_at__isnull=True).first()
        when = date_format(timezone.localtime(open_one.sent_at)) if open_one else _("recently")
        raise PersonalCheckinRefused(
            _("%(name)s was already sent a check-in (%(when)s) and has not answered yet.")
            % {"name": member.full_name, "when": when}
        ) from None
    return reengagement
