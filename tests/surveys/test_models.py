"""What the tables hold (anonymous means no link to people and no time) and which questions
each respondent gets."""

import pytest
from django.db import connection

from members.models import Member
from surveys.models import Answer, Question, Response
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
