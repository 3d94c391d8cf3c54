"""Attrition: members who drift away get a re-engagement check-in (stay, pause or leave), and
lapse if they never answer."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from members.contact import contactable
from members.links import InvalidLink, link_claims, link_token, token_url
from members.models import EngagementEvent, Member, OutgoingEmail, Reengagement
from members.outbox.queue import bulk_email_queue
from members.services.lifecycle import member_change_status

REENGAGEMENT_LINK = "members.reengagement.v1"
PAUSE_DAYS = 91


def members_at_risk(*, now=None):
    """Active members with no engagement (attendance, RSVP, answer, contribution, login) for
    ATTRITION_AT_RISK_DAYS, and no re-engagement check-in already open.

    Only those who may be sent a check-in: someone who turned check-ins off is not asked.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ATTRITION_AT_RISK_DAYS)
    last_event = (
        EngagementEvent.objects.filter(member=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return (
        Member.objects.filter(
            contactable(kind=OutgoingEmail.Kind.CHECKIN, now=now, statuses=[Member.Status.ACTIVE])
        )
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


@transaction.atomic
def attrition_run(*, now=None) -> dict:
    """Daily: send re-engagement check-ins to members at risk; lapse those who never answered."""
    now = now or timezone.now()
    invited = 0
    for member in members_at_risk(now=now):
        reengagement = Reengagement.objects.create(member=member, sent_at=now)
        url = token_url("members:reengagement", token=reengagement_token(reengagement=reengagement))
        bulk_email_queue(
            kind=OutgoingEmail.Kind.CHECKIN,
            dedupe_key=f"reengagement:{reengagement.pk}",
            member=member,
            template="members/email/reengagement",
            context={"answer_url": url, "lapse_days": settings.ATTRITION_LAPSE_AFTER_DAYS},
        )
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
