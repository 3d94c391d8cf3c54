"""At 375 px (a small phone): the navigation behind one Menu button, filters behind Filter, the
first result on the first screen and a meeting's Register box before its description. All of it
without JavaScript; on a wide screen the same pages show everything at once."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.a11y import assert_accessible
from tests.browser import log_in
from tests.factories import MemberFactory, member_with_account
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import ResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
WIDE = {"width": 1280, "height": 900}


def phone_page(browser, *, javascript=True):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def phone(browser):
    page = phone_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def phone_without_javascript(browser):
    """Menu and Filter must work without JavaScript. (axe-core needs JavaScript, so pages are
    checked for accessibility in the tests with it.)"""
    page = phone_page(browser, javascript=False)
    yield page
    page.context.close()


def top(locator) -> float:
    return locator.bounding_box()["y"]


def press_tab_until(page, name: str, limit: int = 20) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    pytest.fail(f"“{name}” is not reachable with Tab")


def fits_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_navigation_folds_behind_one_menu_button(phone, live_server):
    phone.goto(live_server.url + "/")
    nav = phone.get_by_role("navigation", name="Main")

    expect(nav.locator("summary")).to_have_text("Menu")
    expect(nav.get_by_role("link", name="Meetings")).to_be_hidden()
    expect(nav.get_by_role("link", name="Join", exact=True)).to_be_visible()
    header_height = phone.locator("header").bounding_box()["height"]
    assert header_height < 80  # one row, not two
    assert fits_width(phone)
    assert_accessible(phone)

    press_tab_until(phone, "Menu")
    phone.keyboard.press("Enter")

    expect(nav.get_by_role("link", name="Meetings")).to_be_visible()
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    assert_accessible(phone)
    nav.get_by_role("link", name="Meetings").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Upcoming meetings")


def test_phone_menu_and_filters_work_without_javascript(phone_without_javascript, live_server):
    phone = phone_without_javascript
    MeetingFactory(title="Lunch chat")
    phone.goto(live_server.url + "/meetings/")
    nav = phone.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Resources")).to_be_hidden()
    expect(phone.get_by_label("Kind")).to_be_hidden()

    press_tab_until(phone, "Menu")
    phone.keyboard.press("Enter")
    expect(nav.get_by_role("link", name="Resources")).to_be_visible()
    press_tab_until(phone, "Filter")
    phone.keyboard.press("Enter")
    expect(phone.get_by_label("Kind")).to_be_visible()

    phone.get_by_label("Kind").select_option("informal")
    phone.get_by_role("button", name="Apply filters").click()
    phone.wait_for_url("**/meetings/?*kind=informal*")
    expect(phone.get_by_role("link", name="Lunch chat")).to_be_visible()


def test_phone_meetings_filters_fold_and_the_first_meeting_is_on_the_first_screen(
    phone, live_server
):
    soon = timezone.now() + timedelta(days=3)
    for day in range(3):
        MeetingFactory(
            title=f"Lunch chat {day + 1}",
            starts_at=soon + timedelta(days=day),
            ends_at=soon + timedelta(days=day, hours=1),
        )
    member = member_with_account()
    log_in(phone, live_server, member.user)

    phone.goto(live_server.url + "/meetings/")
    first_card = phone.locator(".meeting-card").first
    expect(first_card).to_be_visible()
    assert top(first_card) < PHONE["height"]
    expect(phone.get_by_label("Kind")).to_be_hidden()
    assert fits_width(phone)
    assert_accessible(phone)

    press_tab_until(phone, "Filter")
    phone.keyboard.press("Enter")
    expect(phone.get_by_label("Kind")).to_be_visible()
    phone.get_by_label("Kind").select_option("informal")
    phone.get_by_role("button", name="Apply filters").click()
    phone.wait_for_url("**/meetings/?*kind=informal*")
    expect(phone.locator(".meeting-card")).to_have_count(3)
    assert_accessible(phone)


def test_phone_resources_and_directory_show_results_on_the_first_screen(phone, live_server):
    for n in range(3):
        ResourceFactory(title=f"Guide number {n + 1}")
    MemberFactory(full_name="Hana Okafor")

    phone.goto(live_server.url + "/resources/")
    first_resource = phone.locator("main ul.list-unstyled > li").first
    expect(first_resource).to_be_visible()
    assert top(first_resource) < PHONE["height"]
    expect(phone.get_by_role("searchbox", name="Search")).to_be_visible()
    expect(phone.get_by_label("Sector")).to_be_hidden()
    assert fits_width(phone)
    assert_accessible(phone)

    member = member_with_account(full_name="Sam Reader")
    log_in(phone, live_server, member.user)
    phone.goto(live_server.url + "/members/")
    first_member = phone.locator(".member-card").first
    expect(first_member).to_be_visible()
    assert top(first_member) < PHONE["height"]
    expect(phone.get_by_label("Interest")).to_be_hidden()
    assert fits_width(phone)
    assert_accessible(phone)


def test_phone_meeting_register_box_comes_before_the_description(phone, browser, live_server):
    meeting = MeetingFactory(
        title="Copyright questions",
        description="\n\n".join(["A long paragraph about copyright in every sector."] * 12),
    )
    url = live_server.url + meeting.get_absolute_url()

    phone.goto(url)
    register = phone.get_by_role("complementary", name="Registration")
    description = phone.get_by_role("region", name="About this meeting")
    assert top(register) < top(description)
    assert top(phone.get_by_role("link", name="Log in to register")) < PHONE["height"]
    assert fits_width(phone)
    assert_accessible(phone)

    # On a wide screen the box sits beside the details and the description.
    context = browser.new_context(viewport=WIDE)
    wide = context.new_page()
    wide.goto(url)
    register_box = wide.get_by_role("complementary", name="Registration").bounding_box()
    description_box = wide.get_by_role("region", name="About this meeting").bounding_box()
    assert register_box["x"] > description_box["x"] + description_box["width"]
    assert register_box["y"] < description_box["y"]
    context.close()


def test_wide_screen_shows_navigation_and_filters_without_a_button(page, live_server):
    page.goto(live_server.url + "/meetings/")
    nav = page.get_by_role("navigation", name="Main")

    expect(nav.get_by_role("link", name="Meetings")).to_be_visible()
    expect(nav.locator("summary")).to_be_hidden()
    expect(page.get_by_label("Kind")).to_be_visible()
    expect(page.locator("details.filters > summary")).to_be_hidden()
    assert_accessible(page)
