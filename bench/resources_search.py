"""Benchmark: the resource library's search page with 5,000 resources.

Run: DATABASE_URL=postgres://…/copsite .venv/bin/python bench/resources_search.py [--resources N]
(`make bench` runs it against the local PostgreSQL). It needs a migrated database; all its data
lives in one transaction that is rolled back at the end, so the database is left as it was.

It measures, in the same run, the median time and query count of the list page, a ranked search
and a search sorted by rating, first with a small baseline of resources and then with N, and
prints a table. The pages keep a search's ranking for five minutes (members/listing.py), so after
the first request they show a cached ranking; the "ranking" rows time what the first reader of
a search waits for: the query that matches and ranks (resources/search.py), uncached.
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

from members.listing import RANKING_LIMIT
from members.models import Sector, Topic
from resources import search
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
# Every fourth resource is written in French, as a bilingual community's would be.
FRENCH_WORDS = [
    "catalogage",
    "médiation",
    "littératie",
    "métadonnées",
    "référence",
    "archives",
    "évaluation",
    "fablab",
    "droit d'auteur",
    "bien-être",
    "bibliothèques scolaires",
    "adolescents",
]
FRENCH_FILLER = (
    "Des collègues de plusieurs bibliothèques se sont réunis, ont planifié le travail et "
    "partagé ce qu'ils ont appris. "
)
FILLER = "Colleagues from several libraries met, planned the work and shared what they learned. "
PAGES = [
    ("list, newest first", "/resources/"),
    # Words that public resources contain: a visitor's search must find something to rank.
    ("search, ranked", "/resources/?q=outreach"),
    ("search, two words", "/resources/?q=outreach+library"),
    ("search, by rating", "/resources/?q=makerspace&sort=rating"),
]


# Searches ranked without the page's cache: one word, two words, French with and without accents.
RANKINGS = ["outreach", "outreach library", "bibliothèques scolaires", "bibliotheque"]


class Rollback(Exception):
    pass


def text_of(i: int) -> dict[str, str]:
    """Realistic bodies: long, about a few subjects each, so a search matches a fraction of the
    library rather than all of it."""
    if i % 4 == 3:
        words, j = FRENCH_WORDS, i // 4  # i itself would reach only a quarter of the words
        return {
            "title": f"{words[j % 12].capitalize()} en pratique : note {i}",
            "summary": f"Comment une bibliothèque a travaillé sur {words[(j * 5) % 12]}.",
            "body": f"Nous avons travaillé sur {words[j % 12]} et {words[(j * 7 + 3) % 12]}. "
            + FRENCH_FILLER * 20,
        }
    return {
        "title": f"{WORDS[i % 12].title()} in practice: note {i}",
        "summary": f"How a library worked on {WORDS[(i * 5) % 12]} with its community.",
        "body": f"We worked on {WORDS[i % 12]} and {WORDS[(i * 7 + 3) % 12]}. " + FILLER * 20,
    }


def add_resources(start: int, count: int) -> None:
    topics, sectors = list(Topic.objects.all()), list(Sector.objects.all())
    now = timezone.now()
    batch = 1000
    for first in range(start, start + count, batch):
        numbers = range(first, min(first + batch, start + count))
        rows = Resource.objects.bulk_create(
            Resource(
                **text_of(i),
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


def measure_ranking(words, runs):
    """The ranking query a list page runs on a cache miss, as a visitor reads it."""
    base = Resource.objects.visible_to(is_member=False).for_listing()
    ranked = search.search(base, words).order_by("-rank", "-published_at", "-pk")
    ids = ranked.values_list("pk", flat=True)[: RANKING_LIMIT + 1]
    list(ids)  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        list(ids.all())
        times.append(time.perf_counter() - started)
    return statistics.median(times), 1


def measure_all(client, runs):
    results = {label: measure(client, url, runs) for label, url in PAGES}
    for words in RANKINGS:
        results[f"ranking {words!r}"] = measure_ranking(words, runs)
    return results


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
            results["baseline"] = measure_all(client, args.runs)
            add_resources(args.baseline, args.resources - args.baseline)
            results["big"] = measure_all(client, args.runs)
            raise Rollback
    except Rollback:
        pass
    n, b = args.resources, args.baseline
    print(f"{'page':<36} {f'{b} resources':>18} {f'{n} resources':>20}  ratio")
    for label in results["baseline"]:
        (t1, q1), (t2, q2) = results["baseline"][label], results["big"][label]
        print(
            f"{label:<36} {t1 * 1000:8.1f} ms {q1:3d} q  {t2 * 1000:9.1f} ms {q2:3d} q"
            f"  {t2 / t1:4.1f}x"
        )
    print(f"(visitor, {args.runs} runs each, median; {n // b}x the resources)")


if __name__ == "__main__":
    main()
