"""Every surveys page, and the results (SQL aggregates), run a fixed number of queries whatever
the questions, invitations or responses: the number is stated, the same for one row as for many."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from surveys.models import Answer, Choice, Invitation, Question, Response
from surveys.services.invitations import invitation_token
from surveys.services.results import survey_results
from tests.factories import MemberFactory, UserFactory, member_with_account, sector
from tests.surveys.factories import InvitationFactory, SurveyFactory, survey_with_questions

pytestmark = pytest.mark.django_db

ROWS = [1, 25]


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


def survey_with_single_choices(n):
    """A survey of `n` single-choice questions of three options each, one for members only."""
    survey = SurveyFactory()
    for position in range(n):
        question = Question.objects.create(
            survey=survey, position=position, kind="single", text=f"Question {position:03d}?"
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=i, label=label)
            for i, label in enumerate(["Yes", "No", "Sometimes"])
        )
    Question.objects.create(survey=survey, kind="text", text="Members only?", audience="members")
    return survey


@pytest.mark.parametrize("rows", [1, 300])
def test_survey_results_queries_with_responses(django_assert_num_queries, rows):
    survey = survey_with_questions()
    add_responses(survey, rows)

    # One more than before: the answers still held, sealed, until their batch fills.
    with django_assert_num_queries(14):
        results = survey_results(survey=survey)

    assert results.responses == rows


@pytest.mark.parametrize("rows", [1, 200])
def test_survey_results_page_queries_for_a_coordinator(client, django_assert_num_queries, rows):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(coordinator)
    survey = survey_with_questions()
    add_responses(survey, rows)

    # One more than before: the answers still held, sealed, until their batch fills.
    with django_assert_num_queries(19):
        response = client.get(f"/admin/surveys/survey/{survey.pk}/results/")

    assert f"<strong>{rows}</strong> response" in response.content.decode()


@pytest.mark.parametrize("rows", ROWS)
def test_my_surveys_queries_with_open_invitations(client, django_assert_num_queries, rows):
    member = member_with_account()
    for i in range(rows):
        InvitationFactory(member=member, survey=SurveyFactory(title=f"Pulse {i:03d}"))
    client.force_login(member.user)

    with django_assert_num_queries(4):
        response = client.get(reverse("surveys:mine"))

    assert response.content.decode().count("Pulse ") == rows


@pytest.mark.parametrize("rows", ROWS)
def test_answer_page_queries_from_the_email_link(client, django_assert_num_queries, rows):
    invitation = InvitationFactory(survey=survey_with_single_choices(rows))
    url = reverse("surveys:answer", args=[invitation.survey_id, invitation_token(invitation)])

    with django_assert_num_queries(4):
        response = client.get(url)

    html = response.content.decode()
    assert html.count("Sometimes") == rows
    assert "Members only?" in html


@pytest.mark.parametrize("rows", ROWS)
def test_answer_page_queries_for_a_member(client, django_assert_num_queries, rows):
    member = member_with_account()
    invitation = InvitationFactory(survey=survey_with_single_choices(rows), member=member)
    client.force_login(member.user)

    with django_assert_num_queries(7):
        response = client.get(reverse("surveys:answer_as_member", args=[invitation.survey_id]))

    html = response.content.decode()
    assert html.count("Sometimes") == rows
    assert "Members only?" in html
