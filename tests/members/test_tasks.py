"""The outbox's workers: commit → Redis → a real Celery worker → the mail backend, and with
the broker down the request still succeeds and the sweep sends the mail later.

The worker runs in a thread of this process (solo pool), so it shares Django's locmem mail
backend (`mail.outbox`) with the test; it has its own database connection, hence
`transactional_db`: the rows must be committed for the worker to see them.
"""

import os
import re
import threading
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.utils import timezone

from copsite.celery import app as celery_app
from members.models import Member, OutgoingEmail
from members.outbox import delivery
from members.outbox.queue import outgoing_email_queue
from members.services.joining import member_activate_on_verification
from members.tasks import outgoing_email_send, outgoing_email_sweep
from tests.factories import MemberFactory, UserFactory, member_with_account, sector
from tests.workers import wait_until

QUEUES = ["celery", "mail"]


@pytest.fixture
def celery_worker(transactional_db):
    """A real worker consuming the celery and mail queues from Redis, tasks not eager."""
    if not settings.REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("REDIS_URL is not set: the outbox worker test needs Redis.")
        pytest.skip("REDIS_URL is not set (make test sets it)")
    previous = {
        "broker_url": celery_app.conf.broker_url,
        "task_always_eager": celery_app.conf.task_always_eager,
        "worker_hijack_root_logger": celery_app.conf.worker_hijack_root_logger,
    }
    celery_app.conf.broker_url = settings.REDIS_URL
    celery_app.conf.task_always_eager = False
    celery_app.conf.worker_hijack_root_logger = False  # leave pytest's logging alone
    with celery_app.connection_for_write() as conn:  # drop what an aborted run left behind
        for queue in QUEUES:
            conn.default_channel.queue_purge(queue)

    finished = []
    lock = threading.Lock()

    def on_postrun(sender=None, **kwargs):
        # Which task finished, and was it the worker's thread (not an eager call in the test's)?
        with lock:
            finished.append(
                (sender.name, threading.current_thread() is not threading.main_thread())
            )

    task_postrun.connect(on_postrun, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=QUEUES):
            yield finished
    finally:
        task_postrun.disconnect(on_postrun)
        for key, value in previous.items():
            setattr(celery_app.conf, key, value)


def test_activation_welcome_email_sent_by_worker(celery_worker):
    user = UserFactory()
    MemberFactory(email=user.email, full_name="Ada Lovelace", status="prospect", joined_at=None)

    member = member_activate_on_verification(user=user)

    wait_until(lambda: len(celery_worker) == 1, what="the worker to run the send task")
    assert celery_worker == [("members.tasks.outgoing_email_send", True)]
    row = OutgoingEmail.objects.get(dedupe_key=f"welcome:{member.pk}")
    assert row.state == OutgoingEmail.State.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].subject == f"Welcome to the {settings.COMMUNITY_NAME}, Ada Lovelace"


def test_outgoing_email_send_twice_by_worker_sends_one_email(celery_worker):
    member = member_with_account()
    row = outgoing_email_queue(
        kind=OutgoingEmail.Kind.WELCOME,
        dedupe_key="test:twice",
        member=member,
        template="members/email/welcome",
        context={"member": member},
    )

    # A duplicate delivery of the same task (the broker redelivers, the sweep races the commit).
    outgoing_email_send.delay(str(row.pk))

    wait_until(lambda: len(celery_worker) == 2, what="both send tasks to finish")
    assert all(in_worker for _, in_worker in celery_worker)
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.SENT
    assert row.attempts == 1
    assert len(mail.outbox) == 1


def test_sweep_reenqueues_row_whose_task_was_never_enqueued(celery_worker):
    member = member_with_account()
    # Rows written straight to the table: no send task was ever enqueued for them.
    lost = OutgoingEmail.objects.create(
        dedupe_key="test:lost",
        kind=OutgoingEmail.Kind.WELCOME,
        member=member,
        to_email=member.email,
        subject="Lost in the broker outage",
        body_text="Hello",
        created_at=timezone.now() - timedelta(minutes=5),
    )
    fresh = OutgoingEmail.objects.create(  # its own task may still be on its way: not counted
        dedupe_key="test:fresh",
        kind=OutgoingEmail.Kind.WELCOME,
        member=member,
        to_email=member.email,
        subject="Just queued",
        body_text="Hello",
    )

    swept = outgoing_email_sweep()

    assert swept == 1
    wait_until(lambda: len(celery_worker) == 1, what="the worker to run the re-enqueued task")
    assert celery_worker == [("members.tasks.outgoing_emails_send_batch", True)]
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.state == fresh.state == OutgoingEmail.State.SENT
    # The batch sends whatever is due, once; the fresh row's own task would then find it sent.
    assert sorted(m.subject for m in mail.outbox) == ["Just queued", "Lost in the broker outage"]
    assert delivery.outgoing_email_send(email_id=fresh.pk).email.attempts == 1
    assert len(mail.outbox) == 2


# --- The broker down -------------------------------------------------------------------------


PASSWORD = "a-long-and-unusual-passphrase"


@pytest.mark.django_db(transaction=True)
def test_confirming_an_address_with_the_broker_down_still_succeeds(client, broker_down):
    client.post(
        "/accounts/signup/",
        {
            "full_name": "Ola Broker",
            "email": "ola@example.org",
            "sector": sector("public").pk,
            "organisation": "City Library",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "privacy_consent": "on",
        },
    )
    # The verification email waits in the outbox like any other while the broker is down.
    verification = OutgoingEmail.objects.get(kind="account")
    confirm = re.search(r"(/accounts/confirm-email/\S+/)", verification.body_text).group(1)

    started = time.monotonic()
    response = client.post(confirm)
    took = time.monotonic() - started

    assert response.status_code == 302
    assert Member.objects.get(email="ola@example.org").status == Member.Status.ACTIVE
    welcome = OutgoingEmail.objects.get(kind="welcome")
    assert welcome.state == OutgoingEmail.State.QUEUED
    assert mail.outbox == []
    assert took < 10  # the request is not held hostage by publish retries

    # The broker is back (eager here); the periodic sweep sends what was left behind.
    celery_app.conf.task_always_eager = True
    OutgoingEmail.objects.filter(pk=welcome.pk).update(
        created_at=welcome.created_at.replace(year=welcome.created_at.year - 1)
    )
    assert outgoing_email_sweep() == 1
    welcome.refresh_from_db()
    assert welcome.state == OutgoingEmail.State.SENT
    # The verification email left behind goes in the same batch, first (the fast lane).
    assert [(m.to, m.subject.split(" ")[0]) for m in mail.outbox] == [
        (["ola@example.org"], "Confirm"),
        (["ola@example.org"], "Welcome"),
    ]


def test_every_outbox_task_is_routed_to_the_mail_queue():
    celery_app.loader.import_default_modules()
    outbox_tasks = sorted(name for name in celery_app.tasks if name.startswith("members.tasks."))

    routed = {name: celery_app.amqp.router.route({}, name)["queue"].name for name in outbox_tasks}

    assert routed == {
        "members.tasks.outgoing_email_send": "mail",
        "members.tasks.outgoing_email_sweep": "mail",
        "members.tasks.outgoing_emails_send_batch": "mail",
    }
