"""Every page a visitor, a member and a coordinator reach, in Canadian French, in a browser:
each says it is French, shows no untranslated navigation, and has no WCAG 2.x A/AA violation
(axe-core). The demo community gives each page real content."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from meetings.models import Meeting
from members.models import Member, User
from resources.models import Resource, Visibility
from tests.a11y import assert_accessible
from tests.browser import log_in, read_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words of the English navigation and footer; none may show on a French page.
ENGLISH_CHROME = ["Log in", "Log out", "Join", "Meetings", "Resources", "Skip to content"]


@pytest.fixture
def community():
    call_command("seed_demo", members=12, prospects=2, stdout=StringIO())


def in_french(page, live_server, user=None):
    read_in(page, live_server, "fr-ca")
    if user is not None:
        log_in(page, live_server, user)


def check(page, url):
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    chrome = page.locator("header, footer").all_inner_texts()
    for word in ENGLISH_CHROME:
        assert not any(word in text.split("\n") for text in chrome), (url, word)
    assert_accessible(page)


def test_every_visitor_page_in_french(page, live_server, community):
    in_french(page, live_server)
    meeting = Meeting.objects.upcoming().order_by("starts_at").first()
    resource = Resource.objects.published().filter(visibility=Visibility.PUBLIC).first()
    for path in [
        "/",
        "/meetings/",
        "/meetings/?when=past",
        meeting.get_absolute_url(),
        "/meetings/topics/",
        "/resources/",
        "/resources/?q=bibliothèque",
        resource.get_absolute_url(),
        "/about/",
        "/contact/",
        "/privacy/",
        "/code-of-conduct/",
        "/accessibility/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]:
        check(page, live_server.url + path)


def test_every_member_page_in_french(page, live_server, community):
    member = Member.objects.get(email="member@example.org")
    in_french(page, live_server, member.user)
    other = Member.objects.active().exclude(pk=member.pk).exclude(user=None).first()
    meeting = Meeting.objects.upcoming().order_by("starts_at").first()
    for path in [
        "/",
        "/members/",
        f"/members/{other.pk}/",
        "/members/me/",
        "/members/me/profile/",
        "/members/me/preferences/",
        "/members/me/leave/",
        "/meetings/mine/",
        meeting.get_absolute_url(),
        "/surveys/mine/",
        "/resources/mine/",
        "/resources/new/",
        "/resources/new/case-study/",
    ]:
        check(page, live_server.url + path)


def test_every_coordinator_page_in_french(page, live_server, community):
    coordinator = User.objects.get(email="coordinator@example.org", groups__name="Coordinators")
    in_french(page, live_server, coordinator)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Tableau de bord de la santé de la communauté").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Santé de la communauté")
    expect(page.get_by_role("heading", name="Niveaux de participation par secteur")).to_be_visible()
    assert page.locator("svg[role=img]").count() == 8
    expect(
        page.get_by_role("form", name="Langue").get_by_role("button", name="Français")
    ).to_have_attribute("aria-current", "true")
    assert_accessible(page)
    page.get_by_role("link", name="Membres à risque", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Membres à risque de décrochage")
    assert_accessible(page)

    for path in [
        "/admin/",
        "/admin/members/member/",
        "/admin/meetings/meeting/",
        "/admin/surveys/survey/",
        "/admin/resources/resource/",
    ]:
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
        assert_accessible(page)
