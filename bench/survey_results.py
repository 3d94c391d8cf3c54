"""Benchmark: the survey results page for 20,000 responses to 10 questions.

Run: DATABASE_URL=postgres://…/copsite .venv/bin/python bench/survey_results.py [--responses N]
(`make bench` runs it against the local PostgreSQL). It needs a migrated database; all its data
lives in one transaction that is rolled back at the end, so the database is left as it was.

It prints the median time of the results page and of the same page for a 100-response survey
measured in the same run (the baseline), their ratio, and the query count of each.
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

from members.models import Sector, User
from surveys.models import Answer, Choice, Question, Response, Survey

QUESTION_KINDS = [
    "scale5",
    "scale5",
    "scale10",
    "single",
    "single",
    "multiple",
    "yesno",
    "text",
    "scale5",
    "single",
]


class Rollback(Exception):
    pass


def build_survey(title: str, responses: int) -> Survey:
    now = timezone.now()
    survey = Survey.objects.create(
        title=title, opens_at=now, closes_at=now + timezone.timedelta(days=30)
    )
    questions = []
    for position, kind in enumerate(QUESTION_KINDS):
        question = Question.objects.create(
            survey=survey,
            position=position,
            kind=kind,
            text=f"Question {position}",
            low_label="low",
            high_label="high",
        )
        if kind in ("single", "multiple"):
            Choice.objects.bulk_create(
                Choice(question=question, position=i, label=f"Option {i}") for i in range(5)
            )
        questions.append(question)
    choices = {q.pk: list(q.choices.all()) for q in questions}
    sectors = list(Sector.objects.all())
    batch = 2000
    for start in range(0, responses, batch):
        rows = Response.objects.bulk_create(
            Response(survey=survey, submitted_on=now.date(), sector=sectors[i % len(sectors)])
            for i in range(start, min(start + batch, responses))
        )
        answers = []
        for i, response in enumerate(rows, start=start):
            for question in questions:
                if question.kind in ("scale5",):
                    answers.append(Answer(response=response, question=question, number=1 + i % 5))
                elif question.kind == "scale10":
                    answers.append(Answer(response=response, question=question, number=i % 11))
                elif question.kind == "yesno":
                    answers.append(Answer(response=response, question=question, number=i % 2))
                elif question.kind == "text":
                    answers.append(Answer(response=response, question=question, text=f"Note {i}"))
                else:
                    answers.append(
                        Answer(
                            response=response, question=question, choice=choices[question.pk][i % 5]
                        )
                    )
        Answer.objects.bulk_create(answers, batch_size=5000)
        print(
            f"\r  {title}: {min(start + batch, responses)}/{responses} responses",
            end="",
            flush=True,
        )
    print()
    return survey


def measure(client, url, runs):
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
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            admin = User.objects.create_superuser("bench-admin@example.org", "bench-password")
            client = Client()
            client.force_login(admin)
            big = build_survey("Benchmark survey", args.responses)
            small = build_survey("Baseline survey", 100)
            base_time, base_queries = measure(
                client, f"/admin/surveys/survey/{small.pk}/results/", args.runs
            )
            big_time, big_queries = measure(
                client, f"/admin/surveys/survey/{big.pk}/results/", args.runs
            )
            n = args.responses
            print(
                f"baseline, 100 responses: {base_time * 1000:.1f} ms median, {base_queries} queries"
            )
            print(f"results, {n} responses: {big_time * 1000:.1f} ms median, {big_queries} queries")
            print(f"ratio: {big_time / base_time:.1f}x the baseline for {n // 100}x the responses")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
