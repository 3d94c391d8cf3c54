"""Hardening: CSP and Permissions-Policy on every page, private caching of member pages, bad
filter input answered 400, rate limits keyed on the real client, permissions on admin actions
and drafts, iCalendar escaping, and an operator who can log in after createsuperuser."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from meetings.models import Meeting
from members.models import Member
from tests.factories import MemberFactory, UserFactory, member_with_account
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_every_page_sends_a_strict_csp_and_a_permissions_policy(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_pages_carry_no_inline_script_or_style(client):
    member = member_with_account()
    client.force_login(member.user)
    for name in ["home", "members:me", "meetings:list", "resources:list", "surveys:mine"]:
        html = client.get(reverse(name)).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
        assert "<style" not in html and " style=" not in html, name
        assert "includeIndicatorStyles" in html  # htmx will not inject its <style>


def test_member_pages_are_private_to_the_browser(client):
    member = member_with_account()
    client.force_login(member.user)

    for name in ["members:me", "members:my_preferences", "meetings:mine", "surveys:mine"]:
        assert "private" in client.get(reverse(name))["Cache-Control"], name


@pytest.mark.parametrize(
    "url",
    [
        "/admin/members/member/?status=%00",
        "/admin/meetings/meeting/?starts_at__year=99999999999",
        "/meetings/?q=%00",
        "/resources/%00/",
    ],
)
def test_nul_bytes_and_overflowing_numbers_are_bad_requests(client, url):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 400


def _fail_logins(client, *, forwarded_for, times):
    """Failed logins through one proxy (10.0.0.1), each with another address (so only the
    per-client limit, 10 a minute, applies); the last answer's text."""
    text = ""
    for n in range(times):
        text = client.post(
            reverse("account_login"),
            {"login": f"guess{n}-{forwarded_for}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=forwarded_for,
            REMOTE_ADDR="10.0.0.1",
        ).content.decode()
    return text


@pytest.mark.parametrize(("proxies", "other_locked_out"), [(1, False), (0, True)])
def test_failed_logins_are_limited_per_real_client_behind_the_proxy(
    client, settings, proxies, other_locked_out
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    limited = "Too many failed login attempts"

    attacker = _fail_logins(client, forwarded_for="203.0.113.9", times=12)
    other = _fail_logins(client, forwarded_for="198.51.100.7", times=1)

    assert limited in attacker
    # With the proxy counted, another person behind it is not locked out; without, they are.
    assert (limited in other) == other_locked_out


def test_a_view_only_helper_sees_no_action_that_changes_anything(client):
    helper = UserFactory(is_staff=True)
    helper.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_meeting", "view_member", "view_survey"])
    )
    MeetingFactory(status=Meeting.Status.DRAFT)
    MemberFactory()
    client.force_login(helper)

    meetings = client.get("/admin/meetings/meeting/").content.decode()
    members = client.get("/admin/members/member/").content.decode()
    surveys = client.get("/admin/surveys/survey/").content.decode()
    refused = client.post(
        "/admin/meetings/meeting/",
        {"action": "publish_meetings", "_selected_action": [Meeting.objects.get().pk]},
    )

    assert "publish_meetings" not in meetings and "cancel_meetings" not in meetings
    assert "export_attendance" in meetings
    assert "mark_left" not in members and "export_csv" in members
    assert "invite_audience" not in surveys
    assert refused.status_code in (200, 302)
    assert Meeting.objects.get().status == Meeting.Status.DRAFT


def test_every_admin_action_declares_the_permission_it_needs():
    """An action without `permissions` is offered to anyone who may view the list: a view-only
    helper could then, say, mark someone else's address as verified."""
    from django.contrib import admin

    undeclared = [
        f"{model._meta.label}.{name}"
        for model, model_admin in admin.site._registry.items()
        for func, name, _description in model_admin._get_base_actions()
        if not getattr(func, "allowed_permissions", None)
    ]

    assert undeclared == []


def test_a_view_only_helper_cannot_mark_an_address_verified(client):
    helper = UserFactory(is_staff=True)
    helper.user_permissions.add(Permission.objects.get(codename="view_emailaddress"))
    address = EmailAddress.objects.get(user=UserFactory())
    EmailAddress.objects.filter(pk=address.pk).update(verified=False)
    client.force_login(helper)

    listing = client.get("/admin/account/emailaddress/").content.decode()
    client.post(
        "/admin/account/emailaddress/",
        {"action": "make_verified", "_selected_action": [address.pk]},
    )

    assert "make_verified" not in listing
    address.refresh_from_db()
    assert address.verified is False


def test_drafts_are_seen_only_by_those_who_may_change_meetings(client):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, title="Secret plan")
    staff = UserFactory(is_staff=True)
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))

    client.force_login(staff)
    as_staff = client.get(draft.get_absolute_url()).status_code
    client.force_login(coordinator)
    as_coordinator = client.get(draft.get_absolute_url()).status_code

    assert (as_staff, as_coordinator) == (404, 200)


def test_a_title_with_line_breaks_makes_a_valid_ics_and_an_rsvp_works(client):
    meeting = MeetingFactory(title="Line one\nLine two; with, commas")
    member = member_with_account()
    client.force_login(member.user)

    ics = client.get(reverse("meetings:ics", args=[meeting.pk]))
    rsvp = client.post(reverse("meetings:register", args=[meeting.pk]))

    assert ics.status_code == 200
    body = ics.content.decode()
    assert "SUMMARY:Line one\\nLine two\\; with\\, commas" in body
    assert "X-WR-CALNAME:Line one\\nLine two\\; with\\, commas" in body
    assert rsvp.status_code in (200, 302)
    assert meeting.registrations.get().member == member


def test_createsuperuser_makes_an_account_that_logs_in_at_once(client):
    out = io.StringIO()
    call_command("createsuperuser", email="Operator@Example.org", interactive=False, stdout=out)
    from members.models import User

    user = User.objects.get(email="operator@example.org")
    user.set_password("a long operator passphrase")
    user.save()

    login = client.post(
        reverse("account_login"),
        {"login": "operator@example.org", "password": "a long operator passphrase"},
    )
    admin = client.get("/admin/")

    assert EmailAddress.objects.get(user=user).verified
    assert Member.objects.get(user=user).email == "operator@example.org"
    assert login.status_code == 302 and admin.status_code == 200
    assert "can log in now" in out.getvalue()
