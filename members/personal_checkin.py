"""A personal check-in: one click on the at-risk list sends a member the re-engagement
check-in, signed by the coordinator who clicked, through the outbox.

It is the daily run's re-engagement sent early and by a person: the same Stay / Pause / Leave
page, the same lapse after no answer, and the same one-open-per-member rule, so the daily run
does not send a second one. The person's own choices win: nobody who paused check-ins, left,
lapsed or whose address bounces gets one.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from members.models import CheckinCadence, Member, OutgoingEmail, Reengagement, User
from members.services import (
    bulk_email_headers,
    outgoing_email_queue,
    preferences_url,
    reengagement_token,
    token_url,
)


class PersonalCheckinRefused(Exception):
    """Why this person cannot be sent a check-in now; the message is for the coordinator."""


def personal_checkin_refusal(*, member: Member, now=None) -> str:
    """Why a personal check-in cannot go to this member, or "" when it can."""
    now = now or timezone.now()
    if member.status != Member.Status.ACTIVE:
        return f"{member.full_name} is not an active member."
    if member.email_bounced_at is not None:
        return f"Email to {member.email} bounces."
    if member.checkin_cadence == CheckinCadence.PAUSED or (
        member.checkins_paused_until and member.checkins_paused_until > timezone.localdate(now)
    ):
        return f"{member.full_name} has paused check-ins."
    return ""


def personal_checkin_send(*, member: Member, sent_by: User, now=None) -> Reengagement:
    now = now or timezone.now()
    refusal = personal_checkin_refusal(member=member, now=now)
    if refusal:
        raise PersonalCheckinRefused(refusal)
    try:
        with transaction.atomic():
            reengagement = Reengagement.objects.create(member=member, sent_by=sent_by, sent_at=now)
            _queue_email(reengagement=reengagement, sent_by=sent_by)
    except IntegrityError:  # one open re-engagement per member, even for two quick clicks
        open_one = Reengagement.objects.filter(member=member, closed_at__isnull=True).first()
        when = date_format(timezone.localtime(open_one.sent_at)) if open_one else "recently"
        raise PersonalCheckinRefused(
            f"{member.full_name} was already sent a check-in ({when}) and has not answered yet."
        ) from None
    return reengagement


def _queue_email(*, reengagement: Reengagement, sent_by: User) -> OutgoingEmail:
    member = reengagement.member
    headers = bulk_email_headers(member=member, kind=OutgoingEmail.Kind.CHECKIN)
    # A reply reaches the coordinator who wrote, not the portal's own address.
    headers["Reply-To"] = sent_by.email
    return outgoing_email_queue(
        kind=OutgoingEmail.Kind.CHECKIN,
        dedupe_key=f"personal-checkin:{reengagement.pk}",
        member=member,
        template="members/email/personal_checkin",
        context={
            "member": member,
            "coordinator_name": sent_by.get_full_name() or sent_by.email,
            "answer_url": token_url(
                "members:reengagement", token=reengagement_token(reengagement=reengagement)
            ),
            "lapse_days": settings.ATTRITION_LAPSE_AFTER_DAYS,
            "preferences_url": preferences_url(member=member),
        },
        headers=headers,
    )
