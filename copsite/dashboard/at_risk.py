"""Who is drifting away: members at risk, re-engagements awaiting an answer, and outcomes."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from copsite.dashboard.tables import Table, period_start
from members.models import Member, Reengagement
from members.services.attrition import (
    may_be_checked_in,
    members_at_risk,
    personal_checkin_refusal,
)

SHOWN = 100


@dataclass
class AtRisk:
    member: Member
    last_engaged: datetime | None  # the latest engagement event, if any
    at_risk_since: datetime  # when the silence passed ATTRITION_AT_RISK_DAYS
    refusal: str  # why a personal check-in cannot go, or ""


def at_risk_members(*, now=None, shown: int = SHOWN) -> tuple[list[AtRisk], int]:
    """Those the attrition rule would contact next, silent longest first; and how many."""
    now = now or timezone.now()
    at_risk = (
        members_at_risk(now=now)
        .annotate(may_checkin=may_be_checked_in(now=now))
        .select_related("sector")
        .order_by("last_seen", "pk")
    )
    threshold = timedelta(days=settings.ATTRITION_AT_RISK_DAYS)
    rows = [
        AtRisk(
            member=member,
            last_engaged=member.last_event,
            at_risk_since=member.last_seen + threshold,
            refusal=personal_checkin_refusal(member=member, now=now),
        )
        for member in at_risk[:shown]
    ]
    return rows, at_risk.count()


def reengagements_waiting(*, shown: int = SHOWN):
    """Re-engagement check-ins sent and not answered yet, oldest first; and how many."""
    waiting = Reengagement.objects.filter(
        closed_at__isnull=True, member__status=Member.Status.ACTIVE
    ).order_by("sent_at", "pk")
    rows = list(waiting.select_related("member__sector", "sent_by")[:shown])
    for reengagement in rows:
        reengagement.lapses_on = reengagement.sent_at + timedelta(
            days=settings.ATTRITION_LAPSE_AFTER_DAYS
        )
    return rows, waiting.count()


def reengagement_outcomes(*, months: int, now=None) -> Table:
    """How the re-engagements closed in the period ended: stayed, paused, left, took part…"""
    now = now or timezone.now()
    counts = dict(
        Reengagement.objects.filter(
            closed_at__gte=period_start(months=months, now=now), closed_at__lte=now
        )
        .order_by()
        .values_list("answer")
        .annotate(n=Count("pk"))
    )
    table = Table(
        slug="reengagement-outcomes",
        title=ngettext(
            "How re-engagements ended in the last %(months)s month",
            "How re-engagements ended in the last %(months)s months",
            months,
        )
        % {"months": months},
        description=gettext("Each re-engagement check-in closed in the period, by its outcome."),
        columns=[gettext("Outcome"), gettext("Re-engagements")],
    )
    for answer in Reengagement.Answer:
        table.rows.append([answer.label, counts.get(answer, 0)])
    return table
