"""A check-in round's chunks: each one invites, renders and records a share of the round in its
own transaction; run twice it sends once, and a round cut short is finished by the next run."""

import pytest
from django.core import mail
from django.utils import timezone

from copsite.celery import app as celery_app
from members.models import OutgoingEmail
from surveys.models import Invitation
from surveys.services.checkins import (
    CHUNK_TASK,
    checkin_round_chunk_run,
    checkin_round_number,
    checkin_round_run,
    members_due_for_checkin,
)
from tests.factories import MemberFactory
from tests.surveys.factories import long_ago

pytestmark = pytest.mark.django_db


def chunk_run(survey, member_ids, now):
    return checkin_round_chunk_run(
        survey_id=survey.pk,
        round_number=checkin_round_number(now),
        member_ids=member_ids,
        now=now,
    )


def test_a_chunk_run_twice_invites_and_sends_each_person_once(
    checkin_survey, django_capture_on_commit_callbacks
):
    people = MemberFactory.create_batch(3, joined_at=long_ago(60))
    ids, now = [p.pk for p in people], timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        first = chunk_run(checkin_survey, ids, now)
    with django_capture_on_commit_callbacks(execute=True):
        second = chunk_run(checkin_survey, ids, now)

    assert (first, second) == ((3, 3), (0, 0))
    assert Invitation.objects.filter(survey=checkin_survey).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_a_round_cut_short_after_its_first_chunk_is_finished_by_the_next_run(
    checkin_survey, django_capture_on_commit_callbacks, settings
):
    settings.CHECKIN_ROUND_CHUNK = 2
    people = MemberFactory.create_batch(5, joined_at=long_ago(60))
    now = timezone.now()
    due = list(members_due_for_checkin(now=now).values_list("pk", flat=True))
    # The scheduler handed over its first chunk, and the rest was lost (killed, broker gone).
    with django_capture_on_commit_callbacks(execute=True):
        chunk_run(checkin_survey, due[:2], now)

    with django_capture_on_commit_callbacks(execute=True):
        report = checkin_round_run()

    assert (report.due, report.invited, report.queued) == (3, 3, 3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert OutgoingEmail.objects.filter(kind="checkin", state="sent").count() == 5


def test_someone_who_unsubscribes_before_their_chunk_runs_is_left_out(checkin_survey):
    stays, goes = MemberFactory.create_batch(2, joined_at=long_ago(60))
    goes.checkin_cadence = "paused"
    goes.save()

    invited, _queued = chunk_run(checkin_survey, [stays.pk, goes.pk], timezone.now())

    assert invited == 1
    assert list(Invitation.objects.values_list("member_id", flat=True)) == [stays.pk]


def test_each_person_of_a_chunk_gets_their_own_email_in_their_language(
    checkin_survey, django_capture_on_commit_callbacks
):
    joined = long_ago(60)
    french = [
        MemberFactory(full_name=name, language="fr-ca", joined_at=joined)
        for name in ("Élise Roy", "Zoé <b>&</b> O'Neil", "Marc-André Côté")
    ]
    english = [
        MemberFactory(full_name=name, language="en-ca", joined_at=joined)
        for name in ("Ann Lee", 'Bo "Q" Smith')
    ]

    with django_capture_on_commit_callbacks(execute=True):
        checkin_round_run()

    sent = {message.to[0]: message for message in mail.outbox}
    for person in french:
        message = sent[person.email]
        assert (
            message.subject
            == f"{person.full_name}, comment la communauté vous est-elle utile ces temps-ci?"
        )
        assert f"Bonjour {person.full_name}," in message.body
        assert '<html lang="fr-ca">' in message.alternatives[0][0]
    for person in english:
        assert (
            sent[person.email].subject
            == f"{person.full_name}, how is the community working for you?"
        )
    # Each person's links are their own.
    links = [message.extra_headers["List-Unsubscribe"] for message in mail.outbox]
    assert len(set(links)) == 5


def test_a_check_in_rounds_chunks_go_to_the_mail_queue_and_the_daily_run_does_not():
    celery_app.loader.import_default_modules()
    router = celery_app.amqp.router

    # The round sends its chunks by name: the name must be the task's.
    assert CHUNK_TASK in celery_app.tasks

    assert router.route({}, CHUNK_TASK)["queue"].name == "mail"
    # The scheduler itself stays on the default queue: it only hands chunks over.
    assert router.route({}, "surveys.tasks.checkins_daily_run")["queue"].name == "celery"


def test_with_the_broker_down_the_round_prepares_its_chunks_itself(
    checkin_survey, broker_down, django_capture_on_commit_callbacks, settings
):
    settings.CHECKIN_ROUND_CHUNK = 2
    MemberFactory.create_batch(3, joined_at=long_ago(60))

    with django_capture_on_commit_callbacks(execute=False):
        report = checkin_round_run()

    assert (report.due, report.handed_over, report.invited, report.queued) == (3, 0, 3, 3)
    # Recorded, so the sweep sends them once the broker is back.
    assert OutgoingEmail.objects.filter(kind="checkin", state="queued").count() == 3
