"""Benchmark: the coordinator's dashboard for 5,000 members and 50,000 engagement events.

Run: DATABASE_URL=postgres://…/copsite REDIS_URL=redis://… .venv/bin/python bench/dashboard.py
     [--members 5000] [--events 50000] [--runs 7]
(`make bench` runs it against the local PostgreSQL). It needs a migrated database; all its data
lives in one transaction that is rolled back at the end, so the database is left as it was.

The community has two years of history: status changes (one in ten lapsed, one in ten left),
engagement events of every kind, two meetings a month with registrations and attendance, a
monthly check-in round with answers, re-engagements and resources. It prints the median time
of the dashboard (12-month period, the largest) and of /healthz measured in the same run (the
baseline: one request that touches the database and the broker), their ratio, and the query
count of each.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copsite.settings")

import django

django.setup()

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting, Registration
from members.models import (
    EngagementEvent,
    Member,
    MemberStatusChange,
    Reengagement,
    Sector,
    User,
)
from resources.models import Resource
from surveys.models import Answer, Invitation, Question, Response, Survey
from surveys.services.checkins import checkin_round_number

KINDS = ["attended", "rsvp", "responded", "login", "contributed"]
STATUSES = ["active"] * 8 + ["lapsed", "left"]


class Rollback(Exception):
    pass


def build_community(members: int, events: int) -> None:
    now = timezone.now()
    sectors = list(Sector.objects.all())
    people = Member.objects.bulk_create(
        (
            Member(
                email=f"dashboard{i:06d}@bench.invalid",
                full_name=f"Bench Member {i}",
                sector=sectors[i % len(sectors)],
                status=STATUSES[i % len(STATUSES)],
                joined_at=now - timedelta(days=1 + i % 730),
                created_at=now - timedelta(days=1 + i % 730),
                status_changed_at=now - timedelta(days=i % 90),
            )
            for i in range(members)
        ),
        batch_size=2000,
    )
    changes = [
        MemberStatusChange(member=m, from_status="", to_status="active", changed_at=m.joined_at)
        for m in people
    ] + [
        MemberStatusChange(
            member=m, from_status="active", to_status=m.status, changed_at=m.status_changed_at
        )
        for m in people
        if m.status != "active"
    ]
    MemberStatusChange.objects.bulk_create(changes, batch_size=5000)
    EngagementEvent.objects.bulk_create(
        (
            EngagementEvent(
                member=people[(i * 7919) % members],
                kind=KINDS[i % len(KINDS)],
                occurred_at=now - timedelta(days=i % 730, minutes=i % 1440),
            )
            for i in range(events)
        ),
        batch_size=5000,
    )
    print(f"  {members} members, {len(changes)} status changes, {events} engagement events")

    meetings = Meeting.objects.bulk_create(
        Meeting(
            title=f"Bench meeting {i}",
            starts_at=now - timedelta(days=3 + 15 * i),
            ends_at=now - timedelta(days=3 + 15 * i) + timedelta(hours=1),
            status="published",
        )
        for i in range(48)
    )
    registrations = Registration.objects.bulk_create(
        (
            Registration(meeting=m, member=people[(i * 31 + j) % members], attended=j % 5 != 0)
            for i, m in enumerate(meetings)
            for j in range(min(members, 60))
        ),
        batch_size=5000,
    )
    print(f"  {len(meetings)} meetings, {len(registrations)} registrations")

    survey = Survey.objects.create(
        title="Bench check-in",
        is_checkin=True,
        is_anonymous=False,
        opens_at=now - timedelta(days=740),
        closes_at=now + timedelta(days=30),
    )
    scale = Question.objects.create(survey=survey, kind="scale5", text="How valuable?")
    rounds = sorted({checkin_round_number(now - timedelta(days=30 * k)) for k in range(24)})
    invited = people[: members // 3]
    invitations = Invitation.objects.bulk_create(
        (
            Invitation(survey=survey, member=m, round=r, completed=(m.pk + r) % 2 == 0)
            for r in rounds
            for m in invited
        ),
        batch_size=5000,
    )
    responses = Response.objects.bulk_create(
        (
            Response(survey=survey, round=i.round, submitted_on=now.date())
            for i in invitations
            if i.completed
        ),
        batch_size=5000,
    )
    Answer.objects.bulk_create(
        (Answer(response=r, question=scale, number=1 + n % 5) for n, r in enumerate(responses)),
        batch_size=5000,
    )
    print(
        f"  {len(rounds)} check-in rounds, {len(invitations)} invitations, {len(responses)} answers"
    )

    Reengagement.objects.bulk_create(
        Reengagement(member=m, sent_at=now - timedelta(days=10)) for m in people[:200:2]
    )
    Resource.objects.bulk_create(
        Resource(
            title=f"Bench resource {i}",
            summary="A summary.",
            status="published",
            author=people[i % members],
            submitted_at=now - timedelta(days=5 + 3 * i),
            published_at=now - timedelta(days=3 + 3 * i),
        )
        for i in range(240)
    )


def measure(client, url, runs):
    client.get(url)  # warm: templates compiled, connection open
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            admin = User.objects.create_superuser("bench-dashboard@example.org", "bench-password")
            client = Client()
            client.force_login(admin)
            build_community(args.members, args.events)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # plan the queries on the new rows' statistics
            base_time, base_queries = measure(client, "/healthz", args.runs)
            dash_time, dash_queries = measure(client, "/admin/dashboard/?months=12", args.runs)
            print(f"/healthz: {base_time * 1000:.1f} ms median, {base_queries} queries")
            print(
                f"dashboard, {args.members} members and {args.events} events: "
                f"{dash_time * 1000:.1f} ms median, {dash_queries} queries"
            )
            print(f"ratio: {dash_time / base_time:.1f}x /healthz")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
