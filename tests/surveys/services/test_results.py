"""Known answers give known percentages and means; small groups stay hidden."""

import pytest

from surveys.models import Survey
from surveys.services.anonymity import held_responses_release_due
from surveys.services.answering import response_submit
from surveys.services.results import survey_results, survey_results_csv_rows
from tests.factories import MemberFactory, sector
from tests.surveys.factories import InvitationFactory, answer, survey_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _release_each_answer(settings):
    """These tests check the arithmetic of results: each anonymous answer is released at once.
    Batching has its own tests (test_anonymity*.py)."""
    settings.SURVEY_ANONYMITY_BATCH = 1


def by_kind(results, kind):
    return next(r for r in results.questions if r.question.kind == kind)


def test_counts_percentages_and_means_from_known_answers():
    survey = survey_with_questions()
    answer(survey, scale=5, singles=["Online"], multiples=["Meetups", "Talks"], yesno=True)
    answer(survey, scale=4, singles=["Online"], multiples=["Talks"], yesno=True)
    answer(survey, scale=3, singles=["In person"], yesno=False, text="More evenings")
    answer(survey, scale=4, other="Walking meetings")
    InvitationFactory(survey=survey)  # invited, not answered

    results = survey_results(survey=survey)

    assert (results.invited, results.completed, results.responses) == (5, 4, 4)
    assert results.response_rate == 80.0
    scale = by_kind(results, "scale5")
    assert scale.respondents == 4
    assert scale.mean == 4.0
    assert [(label, n, p) for label, n, p in scale.rows] == [
        ("1 – Not at all", 0, 0.0),
        ("2", 0, 0.0),
        ("3", 1, 25.0),
        ("4", 2, 50.0),
        ("5 – Very", 1, 25.0),
    ]
    single = by_kind(results, "single")
    assert single.rows == [
        ("In person", 1, 25.0),
        ("Online", 2, 50.0),
        ("Hybrid", 0, 0.0),
        ("Other", 1, 25.0),
    ]
    assert single.texts == ["Walking meetings"]
    multiple = by_kind(results, "multiple")
    assert multiple.respondents == 2
    assert multiple.rows == [("Meetups", 1, 50.0), ("Talks", 2, 100.0), ("Socials", 0, 0.0)]
    yesno = by_kind(results, "yesno")
    assert yesno.rows == [("Yes", 2, 66.7), ("No", 1, 33.3)]
    assert by_kind(results, "text").texts == ["More evenings"]
    chart = scale.chart
    assert chart["height"] == 5 * 28
    assert [bar["width"] for bar in chart["bars"]] == [0.0, 0.0, 75.0, 150.0, 75.0]


def test_sector_breakdown_hides_groups_under_five(settings):
    settings.SURVEY_ANONYMITY_BATCH = 100  # one batch, so that its sectors are not blanked
    survey = survey_with_questions()
    for value in [5, 5, 4, 4, 2]:
        answer(survey, scale=value, declared=sector("health"))
    for value in [1, 2, 3, 4]:
        answer(survey, scale=value, declared=sector("school"))
    settings.SURVEY_ANONYMITY_BATCH = 4
    held_responses_release_due()

    results = survey_results(survey=survey)

    # Health alone would give school's four away by subtraction from the total of nine (and
    # their mean from the overall mean): neither is shown.
    assert results.sectors == []
    assert results.hidden_sector_groups == 2
    assert by_kind(results, "scale5").by_sector == []


def test_sectors_are_shown_when_the_rest_is_five_or_more(settings):
    settings.SURVEY_ANONYMITY_BATCH = 100
    survey = survey_with_questions()
    for value in [5, 5, 4, 4, 2, 3]:
        answer(survey, scale=value, declared=sector("health"))
    for value in [1, 2, 3, 4, 5]:
        answer(survey, scale=value, declared=sector("school"))
    answer(survey, scale=1, declared=sector("public"))
    for value in [1, 2, 3, 4]:
        answer(survey, scale=value)
    settings.SURVEY_ANONYMITY_BATCH = 1
    held_responses_release_due()

    results = survey_results(survey=survey)

    # Public's one and the four who did not say make five together: the rest may be shown.
    assert results.sectors == [("Health libraries", 6), ("School libraries", 5)]
    assert results.hidden_sector_groups == 1
    assert [name for name, _n, _m in by_kind(results, "scale5").by_sector] == [
        "Health libraries",
        "School libraries",
    ]


def test_trend_across_check_in_rounds():
    survey = survey_with_questions()
    Survey.objects.filter(pk=survey.pk).update(is_checkin=True)
    survey.refresh_from_db()
    for value in [2, 4, 2, 4, 3]:
        answer(survey, scale=value, round=1)
    for value in [5, 4, 5, 4, 5, 1]:
        answer(survey, scale=value, round=2)
    answer(survey, scale=5, round=3)

    results = survey_results(survey=survey)

    # Round 3 had one respondent: showing it would name them beside the invitations. Rounds 1
    # and 2 beside the total of twelve would give round 3 away by subtraction: round 1 (the
    # smaller) is hidden with it.
    assert by_kind(results, "scale5").trend == [(2, 6, 4.0)]
    assert results.hidden_rounds == 2


def test_results_csv_has_one_row_per_response_and_no_person_when_anonymous():
    survey = survey_with_questions()
    answer(survey, scale=5, singles=["Online"], multiples=["Meetups", "Talks"], text="Hi")
    answer(survey, scale=2)

    rows = list(survey_results_csv_rows(survey=survey))

    # No person and no date; round and sector only for groups of five or more (here: none).
    assert rows[0][:4] == ["response", "round", "sector", "How valuable?"]
    assert "member email" not in rows[0]
    assert len(rows) == 3
    full = next(r for r in rows[1:] if r[3] == "5")
    assert full[1:9] == ["", "", "5", "Online", "Meetups; Talks", "Hi", "", ""]


def test_results_csv_of_named_survey_includes_email():
    survey = survey_with_questions(is_anonymous=False)
    member = MemberFactory(email="named@example.org")
    invitation = InvitationFactory(survey=survey, member=member)
    scale = survey.questions.get(kind="scale5")
    response_submit(invitation=invitation, answers=[(scale, None, 3, "")])

    rows = list(survey_results_csv_rows(survey=survey))

    assert rows[0][4] == "member email"
    assert rows[1][4] == "named@example.org"


def test_results_csv_leaves_no_lone_blank_that_subtraction_would_name(settings):
    """Five rows saying "health" and one blank: the blank is the one person of another sector
    (whom the member records name). Then no row says its sector."""
    settings.SURVEY_ANONYMITY_BATCH = 100
    survey = survey_with_questions()
    for value in [5, 4, 3, 2, 1]:
        answer(survey, scale=value, declared=sector("health"))
    answer(survey, scale=1, declared=sector("school"))
    settings.SURVEY_ANONYMITY_BATCH = 1
    held_responses_release_due()

    rows = list(survey_results_csv_rows(survey=survey))

    assert len(rows) == 7
    assert {row[2] for row in rows[1:]} == {""}
    assert {row[1] for row in rows[1:]} == {0}
