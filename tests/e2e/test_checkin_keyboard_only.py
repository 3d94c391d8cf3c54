"""From the link in a check-in email to the thank-you page with Tab, Enter and Space only, and a
clearly visible focus indicator at every stop.

The test speaks only in keys and what a person sees: it presses Tab until it reaches something
to operate, Space to choose the first option of each required question, Enter on the first
button that sends the page. That holds however the check-in page lays out its questions.
"""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Survey
from surveys.services.checkins import checkin_round_run
from surveys.services.copying import survey_copy
from tests.a11y import assert_accessible
from tests.contrast import assert_focus_visible
from tests.factories import MemberFactory

pytestmark = pytest.mark.browser

MAX_TAB_STOPS = 60


def checkin_survey() -> Survey:
    """The community's own check-in, copied from the template that ships with the portal."""
    if not Survey.objects.filter(title="Community check-in (template)").exists():
        # A live-server test empties the tables after it; put the shipped templates back.
        importlib.import_module("surveys.migrations.0002_shipped_templates").ship(apps, None)
    return survey_copy(
        survey=Survey.objects.get(title="Community check-in (template)"),
        title="Community check-in",
        opens_at=timezone.now() - timedelta(days=1),
        days_open=60,
    )


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {
            tag: el.tagName.toLowerCase(),
            type: el.type || "",
            name: el.name || "",
            inMain: Boolean(el.closest("main")),
            checked: Boolean(el.checked),
            submits: (el.tagName === "BUTTON" && el.type === "submit")
              || (el.tagName === "INPUT" && el.type === "submit"),
            required: Boolean(el.closest("fieldset")?.querySelector("legend .visually-hidden")
              ?.textContent.includes("required")),
          };
        }"""
    )


def test_checkin_from_the_email_link_to_thank_you_by_keyboard_only(page, live_server, settings):
    settings.SITE_URL = live_server.url
    survey = checkin_survey()
    member = MemberFactory(full_name="Rae Keyboard", joined_at=timezone.now() - timedelta(days=45))
    checkin_round_run()
    email = mail.outbox[-1]
    assert email.to == [member.email]
    # The whole check-in's link: the option links end in their answer's fragment.
    link = re.search(r"(http://\S+/surveys/\d+/r/[^\s#]+)(?=\s)", email.body).group(1)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(survey.title)
    assert_accessible(page)

    # The first Tab stop skips the header; Enter moves the focus into the page's content.
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "a"
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    answered_groups = set()
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        element = focused(page)
        assert element["inMain"], f"focus left the page's content before sending: {element}"
        assert_focus_visible(page)
        if element["type"] == "radio" and element["name"] not in answered_groups:
            if element["required"]:
                page.keyboard.press("Space")
                assert focused(page)["checked"]
            answered_groups.add(element["name"])
        elif element["submits"]:
            page.keyboard.press("Enter")
            break
    else:
        pytest.fail(f"No button to send the check-in within {MAX_TAB_STOPS} Tab presses")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(page)
    assert survey.invitations.get().completed
