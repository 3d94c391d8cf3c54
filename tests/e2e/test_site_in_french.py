"""The site in Canadian French, in a browser: the switcher says which language is chosen, a
failed log-in explains itself in French with no WCAG A/AA violation, and the switcher works from
the keyboard alone, without a script of its own. (Every page's French, with axe-core, is
test_every_page_in_french's.)"""

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible
from tests.browser import read_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABS_TO_THE_FOOTER = 60


def choose_french(page, live_server):
    read_in(page, live_server, "fr-ca")


def test_french_home_and_log_in_pages_and_an_accessible_failed_log_in(page, live_server):
    choose_french(page, live_server)

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    expect(page.get_by_role("link", name="Adhérer", exact=True)).to_be_visible()
    language = page.get_by_role("form", name="Langue")
    expect(language.get_by_role("button", name="Français")).to_have_attribute(
        "aria-current", "true"
    )
    expect(language.get_by_role("button", name="English")).to_have_attribute("lang", "en-ca")

    # axe-core reads these two pages in French in test_every_page_in_french; here, the error.
    page.get_by_role("link", name="Se connecter", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Il y a un problème")).to_be_visible()
    assert_accessible(page)


def test_switching_to_french_with_the_keyboard_keeps_the_page(page, live_server):
    page.goto(live_server.url + "/resources/")
    expect(page.locator("html")).to_have_attribute("lang", "en-ca")

    # Tab through the page, as a keyboard user would, until the switcher's French button.
    for _ in range(TABS_TO_THE_FOOTER):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('value')") == "fr-ca":
            break
    french = page.get_by_role("button", name="Français")
    expect(french).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url(live_server.url + "/resources/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")
    assert_accessible(page)

    # And back, with the keyboard again.
    page.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/resources/")
    expect(page.locator("html")).to_have_attribute("lang", "en-ca")


def test_french_pages_fit_a_phone_with_the_menu_folded(page, live_server):
    """French words run longer than English ones: at 375 px nothing scrolls sideways."""
    choose_french(page, live_server)
    page.set_viewport_size({"width": 375, "height": 667})

    for path in ("/", "/accounts/login/", "/accounts/signup/"):
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("link", name="Se connecter", exact=True).first).to_be_visible()
    assert_accessible(page)
