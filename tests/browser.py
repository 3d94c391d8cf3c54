"""Helpers of the browser tests: a logged-in session without the log-in form (its own journeys
test that), and the reader's chosen language."""

from django.conf import settings
from django.test import Client


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}]
    )


def read_in(page, live_server, language: str) -> None:
    """The language the switcher would have chosen (its cookie)."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
