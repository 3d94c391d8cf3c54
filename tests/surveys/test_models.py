"""What the tables hold (anonymous means no link to people and no time), which questions each
respondent gets, and a survey's status: templates and drafts never open, whatever the dates."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from members.models import Member
from surveys.models import Answer, Question, Response, Survey
from tests.factories import MemberFactory
from tests.surveys.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {column.name for column in description}


def foreign_keys(table: str) -> dict:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        tuple(c["columns"]): c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]
    }


def test_response_and_answer_tables_have_no_link_to_people_and_no_time():
    response_fks = set(foreign_keys(Response._meta.db_table).values())
    answer_fks = set(foreign_keys(Answer._meta.db_table).values())

    # member_id exists for named surveys only; the anonymity test below proves it stays empty.
    assert "members_user" not in response_fks | answer_fks
    assert columns(Response._meta.db_table) == {
        "id",
        "survey_id",
        "round",
        "submitted_on",
        "member_id",
        "sector_id",
    }
    assert columns(Answer._meta.db_table) == {
        "id",
        "response_id",
        "question_id",
        "choice_id",
        "number",
        "text",
    }
    assert Response._meta.pk.get_internal_type() == "UUIDField"
    assert Answer._meta.pk.get_internal_type() == "UUIDField"
    assert Response._meta.get_field("submitted_on").get_internal_type() == "DateField"


def test_questions_for_members_and_non_members_differ():
    survey = SurveyFactory()
    Question.objects.create(survey=survey, kind="text", text="Everyone")
    Question.objects.create(survey=survey, kind="text", text="Members", audience="members")
    Question.objects.create(survey=survey, kind="text", text="Others", audience="non_members")

    member_view = [q.text for q in survey.questions.for_respondent(MemberFactory())]
    prospect = MemberFactory(status=Member.Status.PROSPECT)
    prospect_view = [q.text for q in survey.questions.for_respondent(prospect)]

    assert member_view == ["Everyone", "Members"]
    assert prospect_view == ["Everyone", "Others"]


LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("status", "is_open"),
    [(Survey.Status.SCHEDULED, True), (Survey.Status.DRAFT, False), ("template", False)],
)
def test_only_scheduled_surveys_open_between_their_dates(status, is_open):
    survey = SurveyFactory(status=status)

    assert survey.is_open() is is_open
    assert list(Survey.objects.open().filter(pk=survey.pk)) == ([survey] if is_open else [])


def test_shipped_templates_are_marked_as_templates():
    titles = set(Survey.objects.filter(status="template").values_list("title", flat=True))

    assert titles == {"Community check-in (template)", "Community review (template)"}


def test_state_label_says_template_draft_opens_open_or_closed():
    now = datetime(2026, 11, 10, 12, tzinfo=LONDON)
    opens, closes = datetime(2026, 11, 1, tzinfo=LONDON), datetime(2026, 12, 1, tzinfo=LONDON)
    survey = Survey(opens_at=opens, closes_at=closes)

    with timezone.override(LONDON):
        assert survey.state_label(now - timedelta(days=20)) == "Opens 1 Nov 2026"
        assert survey.state_label(now) == "Open until 1 Dec 2026"
        assert survey.state_label(now + timedelta(days=30)) == "Closed 1 Dec 2026"
        survey.status = Survey.Status.DRAFT
        assert survey.state_label(now) == "Draft"
