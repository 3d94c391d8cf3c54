"""A check-in round run by real worker processes: twice at once, then again, sends once; a chunk
delivered twice sends once; a round cut short is finished by the next run."""

from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from django.utils import timezone

from members.models import OutgoingEmail
from surveys.models import Invitation
from surveys.services.checkins import checkin_round_number, checkin_round_run
from surveys.tasks import checkin_round_chunk, checkins_daily_run
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


def test_a_chunk_delivered_twice_to_workers_sends_each_email_once(worker_processes):
    smtp = SmtpServer()
    smtp.start()
    survey = survey_with_questions(title="Community check-in", is_checkin=True)
    people = MemberFactory.create_batch(
        12, joined_at=timezone.now() - timedelta(days=60), checkin_cadence="monthly"
    )
    worker = worker_processes(smtp_port=smtp.port, concurrency=2, queues=("mail",))
    now = timezone.now()
    chunk = {
        "survey_id": survey.pk,
        "round_number": checkin_round_number(now),
        "member_ids": [p.pk for p in people],
        "now": now.isoformat(),
    }
    try:
        # The same chunk twice at once, as a redelivered task would be.
        checkin_round_chunk.apply_async(kwargs=chunk)
        checkin_round_chunk.apply_async(kwargs=chunk)

        wait_until(lambda: len(smtp.sink.messages) >= 12, what="the chunk's emails")
        wait_until(worker.is_idle, what="both runs and all sending to finish")

        assert Counter(smtp.sink.recipients()) == Counter(p.email for p in people)
        assert Invitation.objects.count() == 12
    finally:
        smtp.stop()


def test_a_round_whose_later_chunks_were_lost_is_finished_by_the_next_run(
    worker_processes, settings
):
    settings.CHECKIN_ROUND_CHUNK = 4
    smtp = SmtpServer()
    smtp.start()
    survey = survey_with_questions(title="Community check-in", is_checkin=True)
    joined = timezone.now() - timedelta(days=60)
    people = [
        MemberFactory(joined_at=joined, language="fr-ca" if i % 2 else "en-ca") for i in range(10)
    ]
    worker = worker_processes(smtp_port=smtp.port, concurrency=2, queues=("mail",))
    now = timezone.now()
    try:
        # The scheduler handed over its first chunk only, then died.
        first = sorted(p.pk for p in people)[:4]
        checkin_round_chunk.delay(survey.pk, checkin_round_number(now), first, now.isoformat())
        wait_until(lambda: len(smtp.sink.messages) >= 4, what="the first chunk's emails")

        report = checkin_round_run()  # the next run (the next day's beat, or send_checkins)

        assert (report.due, report.handed_over) == (6, 6)
        wait_until(lambda: len(smtp.sink.messages) >= 10, what="the rest of the round")
        wait_until(worker.is_idle, what="all sending to finish")
        assert Counter(smtp.sink.recipients()) == Counter(p.email for p in people)
        assert Counter(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent": 10}
        received = {
            envelope.rcpt_tos[0]: message_from_bytes(envelope.original_content, policy=default)
            for envelope in smtp.sink.messages
        }
        for person in people:  # each in their own language, with their own name
            body = received[person.email].get_body(("plain",)).get_content()
            hello = "Bonjour" if person.language == "fr-ca" else "Hello"
            assert f"{hello} {person.full_name}," in body
    finally:
        smtp.stop()
