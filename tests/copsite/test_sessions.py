"""Sessions live in the database alone, and end at once on logout: an old cookie opens nothing
afterwards. Not cached_db (one query fewer per page): the cache fails open, so a logout while
Redis blinked would leave the session's cached copy to open the old cookie again once Redis is
back."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import member_with_account

pytestmark = pytest.mark.django_db


def test_a_session_ends_at_logout_for_every_copy_of_its_cookie(client):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    member = member_with_account()
    client.force_login(member.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("members:me")).status_code == 200

    client.post(reverse("account_logout"))

    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = thief.get(reverse("members:me"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
