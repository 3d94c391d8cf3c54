"""A version of the members' records, for what is cached from them: it changes whenever any
member's record or interests are saved or a member is deleted (signals below).

What is cached from members' records puts it in its key (the directory's cards, an author's
name on a resource card, the cross-sector introductions, the landing page's counts per
sector), so a renamed, hidden, moved or deleted member never shows stale in them. Members'
records change rarely (profile edits, status changes, bounces), so the caches keep most of
their value. Bulk updates send no signals; what depends on them also expires after a few
minutes.
"""

from django.core.cache import cache
from django.db.models import Count
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from members.cache_versions import change_version, current_version
from members.models import Member, Sector

VERSION_KEY = "members:version"
COUNTS_SECONDS = 5 * 60


def members_version() -> str:
    return current_version(VERSION_KEY)


def sectors_with_active_members() -> list[Sector]:
    """Every sector, in order, each with `active_members`: how many active members it has."""
    counts = _active_members_by_sector()
    sectors = list(Sector.objects.all())
    for sector in sectors:
        sector.active_members = counts.get(sector.pk, 0)
    return sectors


def _active_members_by_sector() -> dict[int, int]:
    """Active members per sector id, as the landing page shows them. Profiled under load
    (bench/pages_load.py), counting them (a join over every member) was the largest part of that
    page; the counts are kept under the members' version, so a new member, a departure or a
    change of sector shows at once (bulk status updates, which send no signals, within five
    minutes)."""
    key = f"members:active-by-sector:{members_version()}"
    counts = cache.get(key)
    if counts is None:
        per_sector = Member.objects.active().exclude(sector=None).values("sector_id").order_by()
        counts = dict(per_sector.annotate(n=Count("pk")).values_list("sector_id", "n"))
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


@receiver(post_save, sender=Member)
@receiver(post_delete, sender=Member)
@receiver(m2m_changed, sender=Member.interests.through)
def _members_changed(**kwargs):
    change_version(VERSION_KEY)
