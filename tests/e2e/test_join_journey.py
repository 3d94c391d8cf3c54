"""A visitor finds the community, joins, confirms their address and meets a colleague from
another sector, with an accessibility check on every page of the way."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from members.models import Member
from tests.a11y import assert_accessible
from tests.factories import MemberFactory, sector, topic

pytestmark = pytest.mark.browser

PASSWORD = "a-long-and-unusual-passphrase"


def confirm_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body).group(1)


def test_visitor_joins_confirms_and_finds_a_colleague_from_another_sector(page, live_server):
    colleague = MemberFactory(
        full_name="Hana Okafor",
        sector=sector("health"),
        organisation="General Hospital Library",
        interests=[topic("outreach"), topic("value-impact")],
    )

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Community of Practice")
    expect(page.get_by_role("cell", name="Health libraries")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Join the community").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the community")
    assert_accessible(page)
    page.get_by_label("Your name").fill("Sam Teacher")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Your library sector").select_option(label="School libraries")
    page.get_by_label("Organisation").fill("Hillview Primary")
    page.get_by_label("Job title").fill("Teacher Librarian")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Join", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)
    verification = mail.outbox[-1]
    assert verification.to == ["sam@example.org"]

    page.goto(live_server.url + confirm_path(verification.body))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    assert_accessible(page)
    assert Member.objects.get(email="sam@example.org").status == Member.Status.PROSPECT
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam Teacher")
    assert Member.objects.get(email="sam@example.org").status == Member.Status.ACTIVE
    welcome = mail.outbox[-1]
    assert welcome.to == ["sam@example.org"]
    assert welcome.subject.startswith("Welcome to the")
    assert_accessible(page)

    page.get_by_role("link", name="Complete my profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit my profile")
    assert_accessible(page)
    page.get_by_label("Outreach and community engagement").check()
    page.get_by_label("Children and young people").check()
    page.get_by_role("button", name="Save my profile").click()

    expect(page.get_by_role("status")).to_contain_text("Your profile has been saved.")
    suggestions = page.get_by_role(
        "region", name="People from other sectors who share your interests"
    )
    expect(suggestions.get_by_role("link", name="Hana Okafor")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Members", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Member directory")
    page.get_by_label("Sector").select_option(label="Health libraries")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Hana Okafor")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Hana Okafor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hana Okafor")
    expect(page.get_by_text("General Hospital Library")).to_be_visible()
    assert page.url == live_server.url + colleague.get_absolute_url()
    assert_accessible(page)


def test_signup_errors_are_summarised_and_shown_beside_fields(page, live_server):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Organisation").fill("Library")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD + "x")
    page.get_by_role("button", name="Join", exact=True).click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("Your library sector"))).to_have_attribute(
        "href", "#id_sector"
    )
    expect(page.locator("#id_sector")).to_have_class(re.compile("is-invalid"))
    assert Member.objects.count() == 0
    assert_accessible(page)


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")

    assert focused == "Skip to main content"
    assert page.evaluate("document.activeElement.id") == "main"


def test_landing_page_fits_a_phone_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/")

    expect(page.get_by_role("link", name="Join", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Log in", exact=True).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    context.close()
