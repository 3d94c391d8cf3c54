"""Form fields that can be seen and a focus that can be followed (WCAG 1.4.11 and 2.4.7),
measured from the browser's computed styles: every field border and every focus indicator at
least 3:1 against the colours next to it, with one focus style for links, buttons and fields."""

import pytest

from tests.a11y import assert_accessible
from tests.browser import log_in
from tests.contrast import assert_focus_visible, field_borders, focus_indicator
from tests.factories import member_with_account
from tests.meetings.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def steady_page(browser):
    """A page whose styles do not animate, so computed colours are the final ones."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def tab_through_page(page, limit=80) -> list[dict]:
    """Press Tab until the focus comes back round, checking the indicator at every stop."""
    seen, indicators = set(), []
    for _ in range(limit):
        page.keyboard.press("Tab")
        key = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return e === document.body ? 'body' : e.outerHTML.slice(0, 200); })()"
        )
        if key == "body" or key in seen:
            break
        seen.add(key)
        indicators.append(assert_focus_visible(page))
    return indicators


def test_field_borders_stand_out_from_the_page(steady_page, live_server):
    page = steady_page
    member = member_with_account(full_name="Ines Rossi")

    page.goto(live_server.url + "/accounts/signup/")
    borders = field_borders(page)
    assert {b["type"] for b in borders} >= {"text", "email", "password", "checkbox", "select-one"}
    for border in borders:
        assert border["width"] >= 1 and border["ratio"] >= 3, border
    assert_accessible(page)

    log_in(page, live_server, member.user)
    page.goto(live_server.url + "/members/me/profile/")
    borders = field_borders(page)
    assert len(borders) > 20  # text fields, selects, radios and the interest checkboxes
    for border in borders:
        assert border["width"] >= 1 and border["ratio"] >= 3, border
    assert_accessible(page)


def test_every_tab_stop_shows_one_strong_focus_style(steady_page, live_server):
    page = steady_page
    MeetingFactory(title="Coffee and catalogues")
    member = member_with_account(full_name="Ines Rossi")

    page.goto(live_server.url + "/")
    assert_accessible(page)
    indicators = tab_through_page(page)
    assert len(indicators) > 8  # skip link, header, hero buttons, meeting links, footer

    log_in(page, live_server, member.user)
    for path in ("/meetings/", "/members/me/profile/"):
        page.goto(live_server.url + path)
        assert_accessible(page)
        indicators = tab_through_page(page)
        assert len(indicators) > 8
        # One style everywhere: the same colour and width on links, buttons and fields.
        assert len({(i["width"], i["style"]) for i in indicators}) == 1, indicators

    page.goto(live_server.url + "/members/me/profile/")
    page.locator("#id_full_name").focus()
    assert page.evaluate("getComputedStyle(document.activeElement).boxShadow") == "none"
    assert focus_indicator(page)["ratio"] >= 3
