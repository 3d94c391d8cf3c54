import logging

from celery import shared_task
from django.utils.dateparse import parse_datetime

from members import tasks as members_tasks
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
    return {
        "reengagements": report.attrition["invited"],
        "handed_over": report.round.handed_over,
        "invited": report.round.invited,
    }


# A chunk is one transaction, and a second run of it invites and sends nobody twice: late
# acknowledgement is safe, and a worker killed during a chunk leaves it to be redone.
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def checkin_round_chunk(survey_id: int, round_number: int, member_ids: list[int], now: str):
    """Some of a round's people: invite them, queue their emails, and send them."""
    _invited, queued = checkins.checkin_round_chunk_run(
        survey_id=survey_id,
        round_number=round_number,
        member_ids=member_ids,
        now=parse_datetime(now),
    )
    # From here, so that sending overlaps the rendering of the round's other chunks.
    return members_tasks.batches_send_here(queued)


@shared_task(ignore_result=True)
def held_responses_release(survey_id: int, round: int) -> int:
    """After an anonymous answer: release its survey and round if a batch has filled."""
    return anonymity.held_responses_release(survey_id=survey_id, round=round)


@shared_task(ignore_result=True)
def held_responses_release_due() -> int:
    """Hourly (beat): the safety net for a release task lost with the broker."""
    return anonymity.held_responses_release_due()
