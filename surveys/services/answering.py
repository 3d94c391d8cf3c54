"""Answering by link: store a response once, and for an anonymous survey keep it unlinkable."""

import contextlib

from django.db import connection, transaction
from django.utils import timezone

from members.models import EngagementEvent
from members.services.engagement import engagement_record
from surveys.models import Answer, Choice, HeldResponse, Invitation, Response
from surveys.services.anonymity import held_response_seal

# Namespace of the session-level advisory locks that keep one invitation's two transactions
# (hold the answers, then mark completed) from interleaving with another submission of it.
_ANSWER_LOCK_SPACE = 7311


class SurveyClosed(Exception):
    pass


class AlreadyAnswered(Exception):
    pass


def _checked_rows(*, survey, answers) -> list:
    valid_choices = set(Choice.objects.filter(question__survey=survey).values_list("pk", flat=True))
    rows = []
    for question, choice_id, number, text in answers:
        if question.survey_id != survey.pk or (choice_id and choice_id not in valid_choices):
            raise ValueError("An answer does not belong to this survey.")
        rows.append([question.pk, choice_id, number, text])
    return rows


def _load(invitation_pk: int, *, now, lock: bool) -> Invitation:
    query = Invitation.objects.select_related("survey", "member")
    if lock:
        query = query.select_for_update(of=("self",))
    invitation = query.get(pk=invitation_pk)
    if invitation.completed:
        raise AlreadyAnswered
    if not invitation.survey.is_open(now):
        raise SurveyClosed
    return invitation


@contextlib.contextmanager
def _one_submission_at_a_time(invitation_pk: int):
    """A session-level lock spanning both transactions (PostgreSQL). SQLite, the development
    default, takes a database-wide write lock for each transaction instead."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_ANSWER_LOCK_SPACE, invitation_pk])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_ANSWER_LOCK_SPACE, invitation_pk])


def _mark_completed(invitation: Invitation, *, now) -> None:
    invitation.completed = True
    invitation.save(update_fields=["completed"])
    # The day only; an anonymous survey is not named: the engagement says "took part in a
    # survey", and nothing beside it points at one survey's answers.
    engagement_record(
        member=invitation.member,
        kind=EngagementEvent.Kind.RESPONDED,
        occurred_at=now.replace(hour=12, minute=0, second=0, microsecond=0),
        source="survey" if invitation.survey.is_anonymous else f"survey:{invitation.survey_id}",
    )


def response_submit(
    *, invitation: Invitation, answers, declared_sector=None, now=None
) -> Response | None:
    """Store a response once and mark the invitation completed.

    Named surveys: one transaction, and the Response is returned. Anonymous surveys: the answers
    are held, sealed, in a transaction of their own; a second one marks the invitation completed;
    they reach the results in a shuffled batch (surveys/services/anonymity.py), so None is
    returned. Holding comes first, so that no failure between the two can lose an answer.
    """
    now = now or timezone.now()
    if not invitation.survey.is_anonymous:
        return _named_response_submit(invitation=invitation, answers=answers, now=now)
    with _one_submission_at_a_time(invitation.pk):
        with transaction.atomic():
            checked = _load(invitation.pk, now=now, lock=False)
            rows = _checked_rows(survey=checked.survey, answers=answers)
            held = HeldResponse.objects.create(
                survey_id=checked.survey_id,
                round=checked.round,
                sealed=held_response_seal(
                    survey=checked.survey,
                    answers=rows,
                    sector_id=declared_sector.pk if declared_sector else None,
                ),
            )
        try:
            with transaction.atomic():
                _mark_completed(_load(invitation.pk, now=now, lock=True), now=now)
        except (AlreadyAnswered, SurveyClosed):
            # Only where the lock above does not exist (SQLite): the other submission counts.
            HeldResponse.objects.filter(pk=held.pk).delete()
            raise
    survey_id, round_number = checked.survey_id, checked.round
    transaction.on_commit(lambda: _release_later(survey_id, round_number))
    return None


def _release_later(survey_id: int, round_number: int) -> None:
    from members.tasks import enqueue
    from surveys.tasks import held_responses_release

    # With the broker down the answer is kept all the same (it is committed): the hourly
    # held-responses-release job releases its batch instead of this task.
    enqueue(held_responses_release, survey_id, round_number)


def _named_response_submit(*, invitation: Invitation, answers, now) -> Response:
    with transaction.atomic():
        invitation = _load(invitation.pk, now=now, lock=True)
        survey, member = invitation.survey, invitation.member
        rows = _checked_rows(survey=survey, answers=answers)
        response = Response.objects.create(
            survey=survey,
            round=invitation.round,
            submitted_on=timezone.localdate(now),
            member=member,
            sector=member.sector,
        )
        Answer.objects.bulk_create(
            Answer(response=response, question_id=q, choice_id=c, number=n, text=t)
            for q, c, n, t in rows
        )
        _mark_completed(invitation, now=now)
    return response
