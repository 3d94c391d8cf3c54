"""English and Canadian French: the language comes from the browser (a cookie once chosen), the
page says which it is in, and URLs carry no language prefix, so links in emails never change."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_two_languages_with_canadian_formats():
    assert settings.LANGUAGES == [("en-ca", "English"), ("fr-ca", "Français")]
    assert settings.LANGUAGE_CODE == "en-ca"
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    assert str(settings.LOCALE_PATHS[0]).endswith("/locale")


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        ("", "en-ca"),
        ("en-US,en;q=0.9", "en-ca"),
        ("fr-CA,fr;q=0.9", "fr-ca"),
        ("fr-FR,fr;q=0.9", "fr-ca"),
        ("fr", "fr-ca"),
        ("de-DE,de;q=0.9", "en-ca"),
    ],
)
def test_the_page_language_follows_the_browser(client, accept_language, lang):
    html = client.get("/", headers={"accept-language": accept_language}).content.decode()

    assert f'<html lang="{lang}">' in html


def test_a_chosen_language_cookie_wins_over_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr-ca"

    html = client.get("/", headers={"accept-language": "en-US"}).content.decode()

    assert '<html lang="fr-ca">' in html


def test_urls_carry_no_language_prefix():
    assert reverse("meetings:list") == "/meetings/"
    assert reverse("pages:privacy") == "/privacy/"
