import logging

from celery import shared_task

from surveys.models import Survey
from surveys.services import anonymity, checkins, invitations

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def survey_reminders_send() -> int:
    """Daily: remind those who have not answered an open survey."""
    total = 0
    for survey in Survey.objects.open():
        total += invitations.invitations_remind(survey=survey)
    return total


@shared_task(ignore_result=True)
def checkins_daily_run() -> dict:
    """Daily (beat): attrition, then this round's check-ins; a second run adds nothing."""
    report = checkins.checkins_daily_run()
    return {"reengagements": report.attrition["invited"], "invited": report.round.invited}


@shared_task(ignore_result=True)
def held_responses_release(survey_id: int, round: int) -> int:
    """After an anonymous answer: release its survey and round if a batch has filled."""
    return anonymity.held_responses_release(survey_id=survey_id, round=round)


@shared_task(ignore_result=True)
def held_responses_release_due() -> int:
    """Hourly (beat): the safety net for a release task lost with the broker."""
    return anonymity.held_responses_release_due()
