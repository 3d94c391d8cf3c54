import logging

from celery import shared_task

from surveys.models import Survey
from surveys.services import checkins, invitations

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
