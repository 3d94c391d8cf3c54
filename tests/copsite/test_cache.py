"""With the Redis cache down, pages still work: the cache fails open."""

import pytest
from django.core import mail
from django.core.cache import cache, caches

from copsite.celery import app as celery_app
from members.models import Member
from tests.factories import sector

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.mark.django_db
def test_signup_works_with_the_redis_cache_down(
    client, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "copsite.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        response = client.post(
            "/accounts/signup/",
            {
                "full_name": "Cal Cacheless",
                "email": "cal@example.org",
                "sector": sector("school").pk,
                "organisation": "Hillview Primary",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "privacy_consent": "on",
            },
        )

    assert response.status_code == 302
    assert Member.objects.get(email="cal@example.org").full_name == "Cal Cacheless"
    assert [m.to for m in mail.outbox] == [["cal@example.org"]]


def test_clearing_the_cache_keeps_the_broker_queues(settings):
    """Cache and broker share one Redis database: clearing the cache must not drop queued tasks."""
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set (make test sets it)")
    cache.set("greeting", "hello")
    with celery_app.connection_for_write() as conn:
        conn.default_channel.client.rpush("cache-clear-probe", "a task")
        try:
            cache.clear()

            assert cache.get("greeting") is None
            assert conn.default_channel.client.llen("cache-clear-probe") == 1
        finally:
            conn.default_channel.client.delete("cache-clear-probe")


def test_clearing_the_cache_with_redis_down_does_not_fail(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "copsite.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    assert caches["default"].clear() is False
