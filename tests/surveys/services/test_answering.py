"""Submitting a response: stored once, while the survey is open, and anonymous means
unlinkable, even for whoever can read the database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import EngagementEvent
from surveys.forms import AnswerForm
from surveys.models import Answer, HeldResponse, Invitation, Response, Survey
from surveys.services.answering import AlreadyAnswered, SurveyClosed, response_submit
from tests.factories import MemberFactory, sector
from tests.surveys.factories import InvitationFactory, survey_with_questions

pytestmark = pytest.mark.django_db


def answers_for(survey, member=None, **data):
    questions = survey.questions.for_respondent(member)
    form = AnswerForm(data, questions=questions)
    assert form.is_valid(), form.errors
    return form.answers()


def test_response_submit_stores_answers_and_completes_invitation():
    survey = survey_with_questions(is_anonymous=False)
    invitation = InvitationFactory(survey=survey)
    q = {question.kind: question for question in survey.questions.all()}
    online = q["single"].choices.get(label="Online")
    talks = q["multiple"].choices.get(label="Talks")

    response = response_submit(
        invitation=invitation,
        answers=answers_for(
            survey,
            **{
                f"q{q['scale5'].pk}": "4",
                f"q{q['single'].pk}": str(online.pk),
                f"q{q['multiple'].pk}": [str(talks.pk)],
                f"q{q['text'].pk}": " Hi ",
                f"q{q['yesno'].pk}": "yes",
                f"q{q['scale10'].pk}": "9",
            },
        ),
    )

    invitation.refresh_from_db()
    assert invitation.completed
    assert response.member == invitation.member
    assert response.sector == invitation.member.sector
    stored = {(a.question.kind, a.choice_id, a.number, a.text) for a in response.answers.all()}
    assert stored == {
        ("scale5", None, 4, ""),
        ("single", online.pk, None, ""),
        ("multiple", talks.pk, None, ""),
        ("text", None, None, "Hi"),
        ("yesno", None, 1, ""),
        ("scale10", None, 9, ""),
    }
    event = EngagementEvent.objects.get(member=invitation.member)
    assert (event.kind, event.source) == ("responded", f"survey:{survey.pk}")


def test_response_submit_twice_is_refused_and_stores_nothing_more():
    survey = survey_with_questions()
    invitation = InvitationFactory(survey=survey)
    scale = survey.questions.get(kind="scale5")
    answers = answers_for(survey, **{f"q{scale.pk}": "3"})
    response_submit(invitation=invitation, answers=answers)

    with pytest.raises(AlreadyAnswered):
        response_submit(invitation=invitation, answers=answers)

    # Anonymous: held until its batch fills (tests/surveys/test_anonymity_attack.py).
    assert HeldResponse.objects.count() == 1
    assert (Response.objects.count(), Answer.objects.count()) == (0, 0)


def test_response_submit_after_closing_is_refused():
    survey = survey_with_questions()
    invitation = InvitationFactory(survey=survey)
    scale = survey.questions.get(kind="scale5")
    answers = answers_for(survey, **{f"q{scale.pk}": "3"})
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    invitation.refresh_from_db()

    with pytest.raises(SurveyClosed):
        response_submit(invitation=invitation, answers=answers)

    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert not invitation.completed


def test_response_submit_refuses_a_choice_of_another_survey():
    survey = survey_with_questions()
    other = survey_with_questions()
    invitation = InvitationFactory(survey=survey)
    foreign_choice = other.questions.get(kind="single").choices.first()
    question = survey.questions.get(kind="single")

    with pytest.raises(ValueError):
        response_submit(invitation=invitation, answers=[(question, foreign_choice.pk, None, "")])

    assert Response.objects.count() == 0


def test_after_five_people_answer_nothing_tells_whose_answer_is_whose(
    django_capture_on_commit_callbacks,
):
    survey = survey_with_questions(is_anonymous=True)
    scale = survey.questions.get(kind="scale5")
    text = survey.questions.get(kind="text")
    people = [
        MemberFactory(full_name=name, sector=sector(slug))
        for name, slug in [
            ("Ann", "public"),
            ("Bea", "health"),
            ("Cai", "school"),
            ("Dee", "public"),
            ("Eli", "health"),
        ]
    ]
    invitations = [InvitationFactory(survey=survey, member=person) for person in people]
    for invitation, value in zip(invitations, [1, 3, 5, 2, 4], strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            response_submit(
                invitation=invitation,
                answers=[(scale, None, value, ""), (text, None, None, f"I said {value}")],
                # One person says their sector: alone in the batch, it would name them.
                declared_sector=sector("school") if value == 5 else None,
            )
        if value == 5:
            assert Response.objects.filter(survey=survey).count() == 0  # 3 held, sealed

    responses = list(Response.objects.filter(survey=survey).values())
    invitation_rows = list(Invitation.objects.filter(survey=survey).values())

    assert len(responses) == 5
    # No person, no sector under five, one date for all: the rows are interchangeable.
    assert {r["member_id"] for r in responses} == {None}
    assert {r["sector_id"] for r in responses} == {None}
    assert len({r["submitted_on"] for r in responses}) == 1
    assert len({r["round"] for r in responses}) == 1
    # Invitations only say "completed": nothing in them refers to a response.
    assert all(row["completed"] for row in invitation_rows)
    response_ids = {str(r["id"]) for r in responses}
    for row in invitation_rows:
        assert not response_ids & {str(v) for v in row.values()}
    # Keys are random, so neither table's order follows the order of answering.
    assert all(len(str(r["id"])) == 36 for r in responses)
    answer_rows = list(Answer.objects.filter(response__survey=survey).values())
    assert {a["response_id"] for a in answer_rows} == {r["id"] for r in responses}


def test_named_survey_links_response_to_member():
    survey = survey_with_questions(is_anonymous=False)
    invitation = InvitationFactory(survey=survey)
    scale = survey.questions.get(kind="scale5")

    response = response_submit(invitation=invitation, answers=[(scale, None, 4, "")])

    assert response.member == invitation.member


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_answer_with_the_broker_down_is_kept_for_the_hourly_release(broker_down):
    survey = survey_with_questions(is_anonymous=True)
    invitation = InvitationFactory(survey=survey)
    scale = survey.questions.get(kind="scale5")

    response_submit(invitation=invitation, answers=answers_for(survey, **{f"q{scale.pk}": "4"}))

    # Held for its batch; the release task could not be queued, and the hourly job that
    # releases due batches (held-responses-release) does not need it.
    assert Invitation.objects.get(pk=invitation.pk).completed
    assert HeldResponse.objects.filter(survey=survey).count() == 1
