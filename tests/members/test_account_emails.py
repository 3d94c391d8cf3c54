"""allauth's emails are the community's own: its templates, its name as sender, text and HTML,
links from SITE_URL, sent through the outbox in its fast lane (kind "account")."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse

from members.models import Member, OutgoingEmail
from tests.factories import member_with_account, sector
from tests.outbox_helpers import URL, html_part, path_of

pytestmark = pytest.mark.django_db

SITE = "https://cop.example.org"
PASSWORD = "a-long-and-unusual-passphrase"
STOCK_WORDS = ("Hello from", "Thank you for using", "user ", "Sign", "sign up", "signup")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def sent(capture, action):
    """Run `action` and return the messages its account emails became, sent after commit."""
    before = len(mail.outbox)
    with capture(execute=True):
        action()
    return mail.outbox[before:]


def signup(client):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": "Niamh Quinn",
            "email": "niamh@example.org",
            "sector": sector("health").pk,
            "organisation": "General Hospital Library",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "privacy_consent": "on",
        },
    )


def assert_community_email(message, row):
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.from_email.startswith(f'"{settings.COMMUNITY_NAME}" <')
    assert message.extra_headers["Message-ID"] == row.message_id
    html = html_part(message)
    assert settings.COMMUNITY_NAME in html
    words = URL.sub("", message.body)  # /accounts/signup/ is a path, not a word
    for word in STOCK_WORDS:
        assert word not in words, word
    assert "You receive this email because this address was just used on the" in message.body
    assert "You receive this email because this address was just used on the" in html
    assert "List-Unsubscribe" not in message.extra_headers


def test_verification_email_is_the_communitys_and_goes_through_the_outbox(
    client, django_capture_on_commit_callbacks
):
    [message] = sent(django_capture_on_commit_callbacks, lambda: signup(client))

    row = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.ACCOUNT)
    assert row.state == OutgoingEmail.State.SENT
    assert row.to_email == "niamh@example.org"
    assert row.member == Member.objects.get(email="niamh@example.org")
    assert message.to == ["niamh@example.org"]
    assert message.subject == f"Confirm your email address to join the {settings.COMMUNITY_NAME}"
    assert message.body.startswith("Hello Niamh,\n\nThank you for joining the")
    assert_community_email(message, row)
    [link] = re.findall(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert link.startswith(SITE)
    assert f'href="{link}"' in html_part(message)
    # The link opens the confirmation page (a GET that changes nothing).
    assert client.get(path_of(link, SITE)).status_code == 200


def test_password_reset_email_carries_a_code_and_no_account_id(
    client, django_capture_on_commit_callbacks
):
    """allauth's reset link carries the account's id in base36 (and its next page redirects to
    another URL with it): an email the portal sends, kept in logs and browser history. A code
    typed on the page where it was asked carries nothing."""
    member = member_with_account(email="reset@example.org")
    user = member.user

    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("account_reset_password"), {"email": member.email}),
    )

    row = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.ACCOUNT)
    assert_community_email(message, row)
    assert message.subject == "Your code to choose a new password"
    assert "Enter this code on the page where you asked:" in message.body
    assert "/accounts/password/reset/" not in message.body + html_part(message)
    code_page = client.get(reverse("account_confirm_password_reset_code")).content.decode()
    assert "Enter the code from your email" in code_page
    assert 'We have sent a code to <a href="mailto:reset@example.org">' in code_page
    code = re.search(r"^ +(\S+)$", message.body, re.M).group(1)
    confirmed = client.post(reverse("account_confirm_password_reset_code"), {"code": code})
    assert confirmed.status_code == 302
    assert str(user.pk) not in confirmed.url
    assert "Save my new password" in client.get(confirmed.url).content.decode()
    done = client.post(
        confirmed.url, {"password1": "a-New-pass-phrase-7", "password2": "a-New-pass-phrase-7"}
    )
    assert done.status_code == 302
    assert "Your new password is saved" in client.get(done.url).content.decode()
    user.refresh_from_db()
    assert user.check_password("a-New-pass-phrase-7")


def test_unknown_address_gets_a_plain_answer_with_a_join_link(
    client, django_capture_on_commit_callbacks
):
    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("account_reset_password"), {"email": "nobody@example.org"}),
    )

    assert message.subject == "There is no account with this address"
    assert f"{SITE}{reverse('account_signup')}" in message.body
    assert "Join the community" in html_part(message)
    assert_community_email(message, OutgoingEmail.objects.get(kind="account"))


def test_joining_again_with_a_known_address_says_log_in(client, django_capture_on_commit_callbacks):
    member_with_account(email="niamh@example.org")

    [message] = sent(django_capture_on_commit_callbacks, lambda: signup(client))

    assert message.subject == "You already have an account"
    assert f"{SITE}{reverse('account_login')}" in message.body
    assert f"{SITE}{reverse('account_reset_password')}" in message.body
    assert "just log in" in message.body
    assert_community_email(message, OutgoingEmail.objects.get(kind="account"))


def test_password_change_sends_a_security_notice(client, django_capture_on_commit_callbacks):
    member = member_with_account(email="change@example.org")
    client.force_login(member.user)

    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: client.post(
            reverse("account_change_password"),
            {
                "oldpassword": "correct horse battery staple",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "privacy_consent": "on",
            },
        ),
    )

    assert message.subject == "Your password has changed"
    assert "If this was not you, choose a new password straight away" in message.body
    assert f"{SITE}{reverse('account_reset_password')}" in message.body
    assert_community_email(message, OutgoingEmail.objects.get(kind="account"))


def test_an_account_email_goes_even_to_a_suppressed_address(
    client, django_capture_on_commit_callbacks
):
    member = member_with_account(email="bounced@example.org")
    Member.objects.filter(pk=member.pk).update(email_bounced_at="2026-01-01T00:00:00Z")

    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("account_reset_password"), {"email": member.email}),
    )

    # The person asked for it on the site, just now: it is sent, not suppressed.
    assert message.to == [member.email]
    assert OutgoingEmail.objects.get(kind="account").state == OutgoingEmail.State.SENT


def test_making_a_new_address_primary_moves_the_member_and_clears_its_bounces(client):
    member = member_with_account(email="old@example.org")
    Member.objects.filter(pk=member.pk).update(
        email_bounced_at="2026-01-01T00:00:00Z", email_suppressed_reason="hard_bounce"
    )
    EmailAddress.objects.create(user=member.user, email="new@example.org", verified=True)
    client.force_login(member.user)

    client.post(reverse("account_email"), {"email": "new@example.org", "action_primary": ""})

    member.refresh_from_db()
    assert (member.email, member.email_bounced_at, member.email_suppressed_reason) == (
        "new@example.org",
        None,
        "",
    )
