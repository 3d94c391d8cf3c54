"""With the broker down, a request that queues email still succeeds; the mail goes later."""

import re
import time

import pytest
from django.core import mail

from copsite.celery import app as celery_app
from members.models import Member, OutgoingEmail
from members.tasks import outgoing_email_sweep
from tests.factories import sector

PASSWORD = "a-long-and-unusual-passphrase"


def reset_producer_pool():
    # Celery caches its producer pool per app; forget it (without closing it: kombu shares it
    # by URL) so that the next publish looks up the pool for the current broker URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    celery_app.conf.task_always_eager = False
    reset_producer_pool()
    yield
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
    reset_producer_pool()


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
        },
    )
    confirm = re.search(r"(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    mail.outbox.clear()

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
    assert [m.to for m in mail.outbox] == [["ola@example.org"]]


@pytest.mark.django_db
def test_signup_works_with_the_redis_cache_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "copsite.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Cal Cacheless",
            "email": "cal@example.org",
            "sector": sector("school").pk,
            "organisation": "Hillview Primary",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert Member.objects.get(email="cal@example.org").full_name == "Cal Cacheless"
    assert [m.to for m in mail.outbox] == [["cal@example.org"]]
