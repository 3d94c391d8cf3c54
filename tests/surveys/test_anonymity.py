"""Anonymous means unlinkable, even for whoever can read the database."""

import pytest
from django.db import connection

from surveys.models import Answer, Invitation, Response
from surveys.services.answering import response_submit
from tests.factories import MemberFactory, sector
from tests.surveys.factories import InvitationFactory, survey_with_questions


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


@pytest.mark.django_db
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


@pytest.mark.django_db
def test_after_three_people_answer_nothing_tells_whose_answer_is_whose():
    survey = survey_with_questions(is_anonymous=True)
    scale = survey.questions.get(kind="scale5")
    text = survey.questions.get(kind="text")
    people = [
        MemberFactory(full_name=name, sector=sector(slug))
        for name, slug in [("Ann", "public"), ("Bea", "health"), ("Cai", "school")]
    ]
    invitations = [InvitationFactory(survey=survey, member=person) for person in people]
    for invitation, value in zip(invitations, [1, 3, 5], strict=True):
        response_submit(
            invitation=invitation,
            answers=[(scale, None, value, ""), (text, None, None, f"I said {value}")],
        )

    responses = list(Response.objects.filter(survey=survey).values())
    invitation_rows = list(Invitation.objects.filter(survey=survey).values())

    assert len(responses) == 3
    # No person, no declared sector, one date for all: the rows are interchangeable.
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


@pytest.mark.django_db
def test_named_survey_links_response_to_member():
    survey = survey_with_questions(is_anonymous=False)
    invitation = InvitationFactory(survey=survey)
    scale = survey.questions.get(kind="scale5")

    response = response_submit(invitation=invitation, answers=[(scale, None, 4, "")])

    assert response.member == invitation.member
