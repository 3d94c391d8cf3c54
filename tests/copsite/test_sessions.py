"""Sessions are read from the shared cache (cached_db, copsite/settings.py) and still end at once
on logout: an old cookie opens nothing afterwards."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import member_with_account

pytestmark = pytest.mark.django_db


def test_a_session_is_read_from_the_cache_and_ends_at_logout(client):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    member = member_with_account()
    client.force_login(member.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("members:me")).status_code == 200
    assert not any("django_session" in query["sql"] for query in queries.captured_queries)

    client.post(reverse("account_logout"))
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = thief.get(reverse("members:me"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
