"""Logging in and out in the portal's words, with an accessibility check on each page."""

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible
from tests.factories import member_with_account

pytestmark = pytest.mark.browser


def test_member_logs_in_and_out(page, live_server):
    member = member_with_account(full_name="Lou Login", email="lou@example.org")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Log in", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_role("link", name="Join the community")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill(member.email)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_label("Keep me logged in on this device").check()
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("status")).to_contain_text("You are logged in as")
    page.goto(live_server.url + "/accounts/logout/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log out")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Log out").click()

    expect(page.get_by_role("status")).to_contain_text("You are logged out.")
    assert_accessible(page)
