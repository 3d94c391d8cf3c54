"""`seed_demo --resources N`: top the toolkit up to a community's full size.

The named demo resources (resources.demo) show each kind at its best; these variations of them
fill the toolkit around them, published over the last two years by the members who contribute,
so the list, search and feed are measured at the size a real toolkit reaches. Written in bulk, in
chunks, with progress; running it again with the same size adds nothing.
"""

from datetime import timedelta

from django.db import transaction

from members.demo import profile_of
from members.models import Member, Sector, Topic
from resources.demo import BODIES, DEMO_RESOURCES
from resources.models import Kind, Resource, Status, Visibility

CHUNK = 500
# Kinds that need no file: a generated resource has a body, or a link.
PLAIN_KINDS = [Kind.GUIDE, Kind.REPORT, Kind.LINK, Kind.CASE_STUDY, Kind.KM_STORY]


def top_up_resources(*, target: int, rng, now, stdout) -> int:
    """Publish resources until there are `target`; returns how many were made."""
    todo = target - Resource.objects.count()
    if todo <= 0:
        return 0
    members = list(Member.objects.active().order_by("pk")[:2000])
    writers = [m for m in members if profile_of(m).contributes] or members
    if not writers:
        stdout.write("  resources: no active members, skipping")
        return 0
    topics, sectors = list(Topic.objects.all()), list(Sector.objects.all())
    start = Resource.objects.count()
    made = 0
    while made < todo:
        size = min(CHUNK, todo - made)
        resources = []
        for n in range(start + made, start + made + size):
            _, title, summary, visibility = DEMO_RESOURCES[n % len(DEMO_RESOURCES)]
            kind = PLAIN_KINDS[n % len(PLAIN_KINDS)]
            topic = topics[n % len(topics)]
            published_at = now - timedelta(days=rng.randint(1, 730), minutes=n)
            resources.append(
                Resource(
                    kind=kind,
                    title=f"{title} ({topic.name.lower()}, {published_at:%B %Y})",
                    summary=summary,
                    body=BODIES.get(kind, BODIES[Kind.GUIDE]),
                    url=f"https://example.org/toolkit/{n}" if kind == Kind.LINK else "",
                    visibility=visibility if n % 3 else Visibility.PUBLIC,
                    status=Status.PUBLISHED,
                    author=rng.choice(writers),
                    published_at=published_at,
                    submitted_at=published_at - timedelta(days=rng.randint(2, 14)),
                )
            )
        with transaction.atomic():
            created = Resource.objects.bulk_create(resources)
            Resource.topics.through.objects.bulk_create(
                Resource.topics.through(resource_id=r.pk, topic_id=t.pk)
                for r in created
                for t in rng.sample(topics, 2)
            )
            Resource.sectors.through.objects.bulk_create(
                Resource.sectors.through(resource_id=r.pk, sector_id=s.pk)
                for r in created
                for s in rng.sample(sectors, rng.randint(0, 2))
            )
        made += size
        stdout.write(f"  resources: {made}/{todo}")
    return made
