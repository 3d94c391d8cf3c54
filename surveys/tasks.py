import logging

from celery import shared_task

from surveys import services
from surveys.models import Survey

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def survey_reminders_send() -> int:
    """Daily: remind those who have not answered an open survey."""
    total = 0
    for survey in Survey.objects.open():
        total += services.invitations_remind(survey=survey)
    return total


@shared_task(ignore_result=True)
def checkin_round_run() -> int:
    """Daily (beat): this round's check-ins for everyone due; a second run adds nothing."""
    from surveys.checkins import checkin_round_run as run

    return run().invited
