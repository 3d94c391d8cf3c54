"""Benchmark: the resource library's search page with 5,000 resources.

Run: DATABASE_URL=postgres://…/copsite .venv/bin/python bench/resources_search.py [--resources N]
(`make bench` runs it against the local PostgreSQL). It needs a migrated database; all its data
lives in one transaction that is rolled back at the end, so the database is left as it was.

It measures, in the same run, the median time and query count of the list page, a ranked search
and a search sorted by rating, first with a small baseline of resources and then with N, and
prints a table.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copsite.settings")

import django

django.setup()

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Sector, Topic
from resources.models import Resource, Status, Visibility

WORDS = [
    "catalogue",
    "outreach",
    "literacy",
    "metadata",
    "reference",
    "archive",
    "impact",
    "makerspace",
    "copyright",
    "wellbeing",
    "research",
    "teenagers",
]
FILLER = "Colleagues from several libraries met, planned the work and shared what they learned. "
PAGES = [
    ("list, newest first", "/resources/"),
    # Words that public resources contain: a visitor's search must find something to rank.
    ("search, ranked", "/resources/?q=outreach"),
    ("search, two words", "/resources/?q=outreach+library"),
    ("search, by rating", "/resources/?q=makerspace&sort=rating"),
]


class Rollback(Exception):
    pass


def add_resources(start: int, count: int) -> None:
    topics, sectors = list(Topic.objects.all()), list(Sector.objects.all())
    now = timezone.now()
    batch = 1000
    for first in range(start, start + count, batch):
        numbers = range(first, min(first + batch, start + count))
        rows = Resource.objects.bulk_create(
            Resource(
                title=f"{WORDS[i % 12].title()} in practice: note {i}",
                summary=f"How a library worked on {WORDS[(i * 5) % 12]} with its community.",
                # Realistic bodies: long, about a few subjects each, so a search matches a
                # fraction of the library rather than all of it.
                body=f"We worked on {WORDS[i % 12]} and {WORDS[(i * 7 + 3) % 12]}. " + FILLER * 20,
                status=Status.PUBLISHED,
                visibility=Visibility.PUBLIC if i % 3 else Visibility.MEMBERS,
                published_at=now - timezone.timedelta(minutes=i),
                rating_count=i % 7,
                rating_average=(i % 5) + 1 if i % 7 else None,
            )
            for i in numbers
        )
        Resource.topics.through.objects.bulk_create(
            Resource.topics.through(resource_id=r.pk, topic_id=topics[r.pk % len(topics)].pk)
            for r in rows
        )
        Resource.sectors.through.objects.bulk_create(
            Resource.sectors.through(resource_id=r.pk, sector_id=sectors[r.pk % len(sectors)].pk)
            for r in rows
        )
        print(f"\r  {first + len(rows)} resources", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE resources_resource")


def measure(client, url, runs):
    client.get(url)  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=5_000)
    parser.add_argument("--baseline", type=int, default=50)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL (DATABASE_URL=postgres://…): SQLite has no GIN index.")
    client = Client()
    results = {}
    try:
        with transaction.atomic():
            if Resource.objects.exists():
                print(f"  note: {Resource.objects.count()} resources were already there")
            add_resources(0, args.baseline)
            results["baseline"] = {label: measure(client, url, args.runs) for label, url in PAGES}
            add_resources(args.baseline, args.resources - args.baseline)
            results["big"] = {label: measure(client, url, args.runs) for label, url in PAGES}
            raise Rollback
    except Rollback:
        pass
    n, b = args.resources, args.baseline
    print(f"{'page':<22} {f'{b} resources':>18} {f'{n} resources':>20}  ratio")
    for label, _ in PAGES:
        (t1, q1), (t2, q2) = results["baseline"][label], results["big"][label]
        print(
            f"{label:<22} {t1 * 1000:8.1f} ms {q1:3d} q  {t2 * 1000:9.1f} ms {q2:3d} q"
            f"  {t2 / t1:4.1f}x"
        )
    print(f"(visitor, {args.runs} runs each, median; {n // b}x the resources)")


if __name__ == "__main__":
    main()
