"""With DEBUG on, what a view says is not there (a draft, a members-only resource) shows the
styled 404 page a visitor would see; a URL that matches nothing still shows Django's debug
page, and real errors keep their traceback."""

import pytest
from django.test import override_settings
from django.urls import path

from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def broken(request):
    raise ValueError("a real bug")


urlpatterns = [path("broken/", broken)]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_a_draft_meeting_shows_the_styled_404_in_debug(client, debug):
    draft = MeetingFactory(status="draft")

    response = client.get(draft.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert "<footer" in html
    assert "Django tried these URL patterns" not in html
    assert "No Meeting matches" not in html


def test_an_unknown_url_still_shows_the_debug_page(client, debug):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Django tried these URL patterns" in response.content.decode()


def test_without_debug_a_draft_shows_the_same_page(client):
    draft = MeetingFactory(status="draft")

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_other_errors_are_not_turned_into_404(client, debug):
    client.raise_request_exception = True

    with pytest.raises(ValueError, match="a real bug"):
        client.get("/broken/")
