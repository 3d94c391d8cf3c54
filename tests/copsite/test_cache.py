"""With the Redis cache down, pages still work: the cache fails open."""

import pytest
from django.core import mail

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
