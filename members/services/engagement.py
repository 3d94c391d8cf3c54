"""Engagement: what members do that shows they take part (participation is counted from it)."""

from django.utils import timezone

from members.models import EngagementEvent, Member, Reengagement


def engagement_record(
    *, member: Member, kind: str, occurred_at=None, source: str = ""
) -> EngagementEvent:
    """Record something a member did that counts towards their participation.

    Any engagement clears the risk: an open re-engagement check-in is closed as "took part".
    """
    occurred_at = occurred_at or timezone.now()
    Reengagement.objects.filter(member=member, closed_at__isnull=True).update(
        closed_at=occurred_at, answer=Reengagement.Answer.ENGAGED
    )
    return EngagementEvent.objects.create(
        member=member, kind=kind, occurred_at=occurred_at, source=source[:100]
    )


def engagement_record_once(*, member: Member, kind: str, occurred_at, source: str) -> None:
    """Record an engagement unless the same one (kind and source) is already recorded."""
    if not EngagementEvent.objects.filter(member=member, kind=kind, source=source).exists():
        engagement_record(member=member, kind=kind, occurred_at=occurred_at, source=source)
