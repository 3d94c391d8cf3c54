"""The cross-sector introduction: "people from other sectors who share your interests".

Profiled under load (bench/pages_load.py), ranking every active member who shares one of a
member's interests (about 1,500 of 5,000 at full size) was most of the "me" page: a count of
shared interests per candidate, then a sort. The ranking, which members and in what order, is
cached per member; its key holds what it depends on (the member's own sector and interests) and
the members' version, which changes whenever any member's record or interests change
(members/versions.py). Bulk updates send no signals, so a ranking also expires after a few
minutes.

The cached ranking is only a list of ids: the rows are read fresh each time through the same
filter, so a member who has since hidden their interests, left or changed sector is never shown,
and the shared-interest counts are current. The cards' HTML is cached under those rows and the
members' version (templates/members/_suggestions.html).
"""

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Lower

from members.models import Member, Visibility
from members.versions import members_version

RANKING_SECONDS = 5 * 60


def _ranked(member, interest_ids):
    """Active members of other sectors who show a shared interest, most shared first."""
    return (
        Member.objects.active()
        .exclude(pk=member.pk)
        .exclude(sector_id=member.sector_id)
        .filter(interests_visibility=Visibility.MEMBERS, interests__in=interest_ids)
        .annotate(shared_interests=Count("interests", distinct=True))
        .order_by("-shared_interests", Lower("full_name"), "pk")
    )


def suggestions_for(member, *, limit: int) -> list[Member]:
    """Up to `limit` introductions for `member`, each with `shared_interests` (only interests a
    member has chosen to show count, so a suggestion reveals nothing hidden)."""
    interest_ids = sorted(topic.pk for topic in member.interests.all())  # prefetched, if it was
    if not interest_ids:
        return []
    interests = ",".join(map(str, interest_ids))
    version = members_version()
    key = f"members:suggestions:{member.pk}:{member.sector_id}:{interests}:{limit}:{version}"
    ids = cache.get(key)
    if ids is None:
        # Only the ids: the grouped sort stays narrow (the full rows made it twice as slow).
        ids = list(_ranked(member, interest_ids).values_list("pk", flat=True)[:limit])
        cache.set(key, ids, RANKING_SECONDS)
    if not ids:
        return []
    # Their interests are read only where the cards are rendered (templates/members/
    # _suggestions.html caches them, keyed by these rows and the members' version).
    fresh = _ranked(member, interest_ids).filter(pk__in=ids)
    return list(fresh.select_related("sector"))
