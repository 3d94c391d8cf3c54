"""One set of words across pages and emails: Join, Log in, Log out (never allauth's "Sign Up",
"Sign In", "Sign Out", "Remember Me")."""

import re

import pytest
from django.urls import reverse

from tests.factories import member_with_account

pytestmark = pytest.mark.django_db

STOCK = re.compile(r"sign[ -]?(in|up|out)|signup|remember me", re.I)


def visible_text(html: str) -> str:
    """The words on the page, not its markup (URLs such as /accounts/signup/ are not words)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def h1(html: str) -> str:
    return re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", html, re.S).group(1)


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        (reverse("account_login"), "Log in"),
        (reverse("account_signup"), "Join the community"),
        (reverse("account_reset_password"), None),
        (reverse("account_email_verification_sent"), "Check your email"),
        (reverse("home"), None),
    ],
)
def test_pages_for_visitors_use_the_portals_words(client, url, heading):
    html = client.get(url).content.decode()

    assert not STOCK.search(visible_text(html)), STOCK.search(visible_text(html))
    if heading:
        assert h1(html) == heading


def test_login_page_says_log_in_and_keep_me_logged_in(client):
    html = client.get(reverse("account_login")).content.decode()

    assert re.search(r'<button[^>]*type="submit"[^>]*>\s*Log in\s*</button>', html)
    assert "Keep me logged in on this device" in html
    assert f'href="{reverse("account_signup")}">Join the community</a>' in html


def test_signup_button_says_join(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert re.search(r'<button[^>]*type="submit"[^>]*>\s*Join\s*</button>', html)


def test_logging_in_and_out_say_so(client):
    member = member_with_account(email="words@example.org")

    logged_in = client.post(
        reverse("account_login"),
        {"login": member.email, "password": "correct horse battery staple"},
        follow=True,
    ).content.decode()
    logout_page = client.get(reverse("account_logout")).content.decode()
    logged_out = client.post(reverse("account_logout"), follow=True).content.decode()

    assert "You are logged in as" in logged_in
    assert h1(logout_page) == "Log out"
    assert not STOCK.search(visible_text(logout_page))
    assert "You are logged out." in logged_out
    for html in (logged_in, logged_out):
        assert not STOCK.search(visible_text(html))
