"""A check-in round run by real worker processes: twice at once, then again, sends once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import OutgoingEmail
from surveys.models import Invitation
from surveys.tasks import checkins_daily_run
from tests.factories import MemberFactory
from tests.smtp_sink import SmtpServer
from tests.surveys.factories import survey_with_questions
from tests.workers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_scheduler_run_twice_by_workers_creates_and_sends_each_checkin_once(worker_processes):
    smtp = SmtpServer()
    smtp.start()
    survey_with_questions(title="Community check-in", is_checkin=True)
    people = MemberFactory.create_batch(
        25, joined_at=timezone.now() - timedelta(days=60), checkin_cadence="monthly"
    )
    # Two pool processes, so both runs of the scheduler can race each other.
    worker = worker_processes(smtp_port=smtp.port, concurrency=2)
    try:
        checkins_daily_run.delay()
        checkins_daily_run.delay()

        wait_until(lambda: len(smtp.sink.messages) >= 25, what="the round's emails")
        wait_until(worker.is_idle, what="both runs and all sending to finish")
        checkins_daily_run.delay()  # and a third time, later the same day
        wait_until(worker.is_idle, what="the third run to finish")

        assert Counter(smtp.sink.recipients()) == Counter(p.email for p in people)
        assert Invitation.objects.filter(survey__is_checkin=True).count() == 25
        assert Counter(OutgoingEmail.objects.values_list("kind", "state")) == Counter(
            {("checkin", "sent"): 25}
        )
    finally:
        smtp.stop()
