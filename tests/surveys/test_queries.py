"""Results are SQL aggregates: a fixed, small number of queries whatever the responses."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import Answer, Invitation, Response
from surveys.services.results import survey_results
from tests.factories import MemberFactory, UserFactory, sector
from tests.surveys.factories import survey_with_questions

pytestmark = pytest.mark.django_db


def add_responses(survey, n):
    questions = {q.kind: q for q in survey.questions.prefetch_related("choices")}
    online = questions["single"].choices.all()[1]
    responses = Response.objects.bulk_create(
        Response(survey=survey, submitted_on="2026-11-01", sector=sector("health"))
        for _ in range(n)
    )
    Answer.objects.bulk_create(
        answer
        for i, response in enumerate(responses)
        for answer in (
            Answer(response=response, question=questions["scale5"], number=1 + i % 5),
            Answer(response=response, question=questions["single"], choice=online),
            Answer(response=response, question=questions["text"], text=f"note {i}"),
        )
    )
    members = MemberFactory.create_batch(2)
    Invitation.objects.bulk_create(
        Invitation(survey=survey, member=m, round=len(responses) + i, completed=True)
        for i, m in enumerate(members)
    )


def count(fn):
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def test_results_query_count_is_fixed_and_at_most_15():
    survey = survey_with_questions()
    add_responses(survey, 1)
    few = count(lambda: survey_results(survey=survey))

    add_responses(survey, 300)
    many = count(lambda: survey_results(survey=survey))

    assert few == many
    assert many <= 15


def test_results_page_query_count_is_fixed(client):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(coordinator)
    survey = survey_with_questions()
    url = f"/admin/surveys/survey/{survey.pk}/results/"
    add_responses(survey, 1)
    few = count(lambda: client.get(url))

    add_responses(survey, 200)
    many = count(lambda: client.get(url))

    assert few == many
