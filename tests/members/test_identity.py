"""Identity: an unverified signup changes nobody's record; a changed address moves the record
with it; an account without a record gets one only by a POST."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import Member, User
from members.outbox.bulk import preferences_url
from tests.factories import MemberFactory, UserFactory, member_with_account, sector

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough passphrase 42"


def signup(client, **overrides):
    data = {
        "full_name": "Mallory Defacer",
        "email": "ines@example.org",
        "sector": sector("school").pk,
        "organisation": "Nowhere Ltd",
        "job_title": "Vandal",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_an_unverified_signup_with_a_members_address_changes_nothing_anyone_sees(client):
    existing = MemberFactory(
        email="ines@example.org",
        full_name="Inès Martin",
        organisation="City Library",
        sector=sector("public"),
        status=Member.Status.ACTIVE,
    )
    viewer = member_with_account(email="viewer@example.org")

    signup(client, email="INES@example.org")
    client.force_login(viewer.user)
    page = client.get(reverse("members:detail", args=[existing.pk])).content.decode()

    existing.refresh_from_db()
    assert (existing.full_name, existing.organisation, existing.sector) == (
        "Inès Martin",
        "City Library",
        sector("public"),
    )
    assert existing.user is None
    assert "Inès Martin" in page and "Mallory" not in page and "Nowhere Ltd" not in page


def test_verifying_the_address_links_the_record_and_applies_what_was_entered(
    client, django_capture_on_commit_callbacks
):
    prospect = MemberFactory(
        email="ines@example.org", full_name="I. Martin (imported)", status=Member.Status.PROSPECT
    )
    # Account emails go through the outbox, sent once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, full_name="Inès Martin", organisation="City Library", job_title="Librarian")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mail.outbox[0]))

    prospect.refresh_from_db()
    user = User.objects.get(email="ines@example.org")
    assert prospect.user == user
    assert (prospect.full_name, prospect.organisation, prospect.job_title) == (
        "Inès Martin",
        "City Library",
        "Librarian",
    )
    assert prospect.sector == sector("school")
    assert prospect.status == Member.Status.ACTIVE
    assert user.signup_details == {}
    assert Member.objects.filter(email="ines@example.org").count() == 1


def test_a_new_primary_address_moves_the_record_clears_the_bounce_and_ends_old_links(
    client, django_capture_on_commit_callbacks
):
    member = member_with_account(email="old@example.org")
    Member.objects.filter(pk=member.pk).update(email_bounced_at=timezone.now())
    member.refresh_from_db()
    old_link = preferences_url(member=member)
    client.force_login(member.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"action_add": "", "email": "new@example.org"})
    client.post(confirmation_path(mail.outbox[-1]))
    client.post(reverse("account_email"), {"action_primary": "", "email": "new@example.org"})

    member.refresh_from_db()
    assert EmailAddress.objects.get(email="new@example.org").primary
    assert member.email == "new@example.org"
    assert member.email_bounced_at is None
    assert client.get(old_link.removeprefix("http://127.0.0.1:8000")).status_code == 404
    # A later signup with the old address finds no stale record to take over.
    client.logout()
    signup(client, email="old@example.org")
    member.refresh_from_db()
    assert member.full_name != "Mallory Defacer"
    assert not Member.objects.filter(email="old@example.org").exists()


def test_an_account_without_a_record_gets_one_by_post_never_by_get(client):
    user = UserFactory(email="admin-made@example.org")
    client.force_login(user)

    page = client.get(reverse("members:me"))
    assert not Member.objects.filter(email="admin-made@example.org").exists()
    made = client.post(reverse("members:record_create"), {"next": reverse("members:me")})

    assert "Make my community record" in page.content.decode()
    assert made.status_code == 302 and made.url == reverse("members:me")
    assert Member.objects.get(email="admin-made@example.org").user == user


def test_making_a_record_never_redirects_off_site(client):
    client.force_login(UserFactory(email="admin-made@example.org"))

    made = client.post(reverse("members:record_create"), {"next": "https://evil.example/"})

    assert made.url == reverse("members:me")


def test_the_confirmation_link_names_no_account(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, email="fresh@example.org")
    path = confirmation_path(mail.outbox[-1])
    key = path.rstrip("/").rsplit("/", 1)[-1]

    # A random key looked up in the database, not the EmailAddress id signed (allauth's
    # default: "<base64 of the id>:<signature>").
    from allauth.account.models import EmailConfirmation

    assert ":" not in key and len(key) >= 32
    assert EmailConfirmation.objects.get(key=key).email_address.email == "fresh@example.org"
