"""Benchmark: the member directory's search by name or organisation, blind to accents.

Run: DATABASE_URL=postgres://…/copsite .venv/bin/python bench/directory_search.py
     [--members 5000] [--runs 15]
(`make bench` runs it against the local PostgreSQL). It needs a migrated database; all its data
lives in one transaction that is rolled back at the end, so the database is left as it was.

The directory caches a search's ranking for five minutes (members/listing.py); this times what
the first reader of a search waits for: the matching query itself, as DirectoryFilter builds it
(accents and case ignored on both sides, members/accents.py), against the plain case-insensitive
match it replaced, measured in the same run on the same members (the baseline).
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
from django.db.models import Q
from django.utils import timezone

from members.filters import DirectoryFilter
from members.listing import RANKING_LIMIT
from members.models import Member, Sector, Visibility

FIRST = ["Hélène", "Chloé", "Zoë", "Amélie", "Grace", "Liam", "Priya", "Tomasz", "Aoife", "Ben"]
LAST = ["Côté", "Gagnon", "Tremblay", "Dubois", "Evans", "Nguyen", "Patel", "Quinn", "Byrne"]
PLACES = ["Bibliothèque de Québec", "City Central Library", "Université de Montréal", "Hillview"]
SEARCHES = ["helene", "cote", "quebec", "library", "zz"]


class Rollback(Exception):
    pass


def add_members(count: int) -> None:
    sectors = list(Sector.objects.all())
    now = timezone.now()
    Member.objects.bulk_create(
        Member(
            email=f"directory-bench-{i}@bench.invalid",
            full_name=f"{FIRST[i % len(FIRST)]} {LAST[(i // 3) % len(LAST)]}",
            organisation=PLACES[i % len(PLACES)],
            organisation_visibility=Visibility.MEMBERS,
            sector=sectors[i % len(sectors)],
            status=Member.Status.ACTIVE,
            joined_at=now,
        )
        for i in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")


def plain(queryset, value):
    """The search before it ignored accents: case-insensitive only."""
    return queryset.filter(
        Q(full_name__icontains=value)
        | Q(organisation__icontains=value, organisation_visibility=Visibility.MEMBERS)
    )


def accent_blind(queryset, value):
    return DirectoryFilter({"q": value}, queryset=queryset).qs


def median_ms(search, words: str, runs: int) -> tuple[float, int]:
    base = Member.objects.filter(status=Member.Status.ACTIVE)
    ids = search(base, words).order_by("full_name", "pk").values_list("pk", flat=True)
    ids = ids[: RANKING_LIMIT + 1]
    found = len(list(ids))  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        list(ids.all())
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL (DATABASE_URL=postgres://…): accents are ignored there.")
    rows = []
    try:
        with transaction.atomic():
            add_members(args.members)
            active = Member.objects.filter(status=Member.Status.ACTIVE).count()
            for words in SEARCHES:
                before, found_before = median_ms(plain, words, args.runs)
                after, found = median_ms(accent_blind, words, args.runs)
                rows.append((words, found_before, before, found, after))
            raise Rollback
    except Rollback:
        pass
    print(f"{active} active members; the query a directory search runs on a cache miss")
    print(f"{'search':<10} {'case only':>20} {'accents ignored':>22}  ratio")
    for words, found_before, before, found, after in rows:
        print(
            f"{words:<10} {before:8.1f} ms {found_before:5d} found  {after:8.1f} ms "
            f"{found:5d} found  {after / before:4.1f}x"
        )
    print(f"(median of {args.runs} runs each)")


if __name__ == "__main__":
    main()
