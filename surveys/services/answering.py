"""Answering by link: store a response once, and for an anonymous survey keep it unlinkable."""

from django.db import transaction
from django.utils import timezone

from members.models import EngagementEvent
from members.services.engagement import engagement_record
from surveys.models import Answer, Choice, Invitation, Response


class SurveyClosed(Exception):
    pass


class AlreadyAnswered(Exception):
    pass


def response_submit(*, invitation: Invitation, answers, declared_sector=None, now=None) -> Response:
    """Store a response and mark the invitation completed, in one transaction, once.

    For an anonymous survey the response holds no person, no exact time and no sequence: the
    invitation only says that it was completed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("survey", "member")
            .get(pk=invitation.pk)
        )
        survey = invitation.survey
        if invitation.completed:
            raise AlreadyAnswered
        if not survey.is_open(now):
            raise SurveyClosed
        member = invitation.member
        response = Response.objects.create(
            survey=survey,
            round=invitation.round,
            submitted_on=timezone.localdate(now),
            member=None if survey.is_anonymous else member,
            sector=declared_sector if survey.is_anonymous else member.sector,
        )
        valid_choices = set(
            Choice.objects.filter(question__survey=survey).values_list("pk", flat=True)
        )
        rows = []
        for question, choice_id, number, text in answers:
            if question.survey_id != survey.pk or (choice_id and choice_id not in valid_choices):
                raise ValueError("An answer does not belong to this survey.")
            rows.append(
                Answer(
                    response=response,
                    question=question,
                    choice_id=choice_id,
                    number=number,
                    text=text,
                )
            )
        Answer.objects.bulk_create(rows)
        invitation.completed = True
        invitation.save(update_fields=["completed"])
        engagement_record(
            member=member,
            kind=EngagementEvent.Kind.RESPONDED,
            # The day only, like the response itself.
            occurred_at=now.replace(hour=12, minute=0, second=0, microsecond=0),
            source=f"survey:{survey.pk}",
        )
    return response
