"""The holding area: anonymous answers wait, sealed, and reach the results in batches; a batch
that never fills stays held, and nothing is lost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import Answer, HeldResponse, Response, Survey
from surveys.services.anonymity import (
    held_responses_count,
    held_responses_release,
    held_responses_release_due,
)
from surveys.services.answering import response_submit
from surveys.services.results import survey_results
from tests.factories import sector
from tests.surveys.factories import InvitationFactory, survey_with_questions

pytestmark = pytest.mark.django_db


def answer(survey, value, *, round=0, declared=None):
    scale = survey.questions.get(kind="scale5")
    invitation = InvitationFactory(survey=survey, round=round)
    response_submit(
        invitation=invitation, answers=[(scale, None, value, "")], declared_sector=declared
    )


def test_a_full_batch_is_released_with_every_answer_and_the_held_rows_go():
    survey = survey_with_questions()
    for value in [1, 2, 3, 4, 5]:
        answer(survey, value)

    assert held_responses_count(survey=survey) == 5
    released = held_responses_release(survey_id=survey.pk, round=0)

    assert released == 5
    assert HeldResponse.objects.count() == 0
    assert sorted(Answer.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_a_batch_keeps_a_sector_declared_by_five_and_drops_a_rarer_one():
    survey = survey_with_questions()
    for value in [1, 2, 3, 4, 5]:
        answer(survey, value, declared=sector("health"))
    answer(survey, 5, declared=sector("school"))

    held_responses_release(survey_id=survey.pk, round=0)

    sectors = sorted(
        (name or "") for name in Response.objects.values_list("sector__name", flat=True)
    )
    assert sectors == ["", "Health libraries"] + ["Health libraries"] * 4


def test_rounds_are_batched_apart():
    survey = survey_with_questions()
    for value in [1, 2, 3, 4]:
        answer(survey, value, round=1)
    answer(survey, 5, round=2)

    assert held_responses_release_due() == 0
    assert Response.objects.count() == 0


def test_a_batch_that_never_fills_stays_held_after_closing_and_the_results_say_so(
    admin_client,
):
    survey = survey_with_questions()
    for value in [1, 2, 3]:
        answer(survey, value)
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    held_responses_release_due()
    results = survey_results(survey=survey)
    page = admin_client.get(f"/admin/surveys/survey/{survey.pk}/results/").content.decode()

    assert (results.responses, results.held) == (0, 3)
    assert HeldResponse.objects.count() == 3  # never deleted
    assert "<strong>3</strong> answers are held back, sealed" in page


def test_a_held_answer_sealed_with_a_rotated_key_still_opens_with_the_fallback(settings):
    survey = survey_with_questions()
    for value in [1, 2, 3, 4, 5]:
        answer(survey, value)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" * 6
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert held_responses_release(survey_id=survey.pk, round=0) == 5


def test_a_held_answer_that_cannot_be_opened_is_kept_not_lost(settings):
    survey = survey_with_questions()
    for value in [1, 2, 3, 4, 5]:
        answer(survey, value)
    settings.SECRET_KEY = "a-new-key-" * 6
    settings.SECRET_KEY_FALLBACKS = []

    assert held_responses_release(survey_id=survey.pk, round=0) == 0
    assert HeldResponse.objects.count() == 5


def test_every_held_response_of_a_survey_has_the_same_sealed_length(settings):
    """A reader of the holding area sees which person's transaction wrote which held row (its
    xmin is next to the completion's). The sealed size must then say nothing about the answer:
    not its length, not which options, not a declared sector."""
    survey = survey_with_questions()
    scale = survey.questions.get(kind="scale5")
    multiple = survey.questions.get(kind="multiple")
    single = survey.questions.get(kind="single")
    text = survey.questions.get(kind="text")
    everything = [
        (scale, None, 5, ""),
        (single, None, None, '"😀\\\n' * 75),
        *[(multiple, choice.pk, None, "") for choice in multiple.choices.all()],
        (text, None, None, '"😀\\\n\x01' * 400),
    ]
    for answers, declared in [
        ([(scale, None, 1, "")], None),
        ([(scale, None, 1, ""), (text, None, None, "short")], sector("health")),
        (everything, sector("school")),
    ]:
        response_submit(
            invitation=InvitationFactory(survey=survey), answers=answers, declared_sector=declared
        )

    lengths = {len(row.sealed) for row in HeldResponse.objects.all()}
    settings.SURVEY_ANONYMITY_BATCH = 3

    assert len(lengths) == 1
    assert held_responses_release(survey_id=survey.pk, round=0) == 3
    assert Answer.objects.filter(question=text, text='"😀\\\n\x01' * 400).count() == 1
