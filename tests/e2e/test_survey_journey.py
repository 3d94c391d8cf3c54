"""From the link in the invitation email to the thank-you page, by keyboard only."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from surveys.models import Response
from surveys.services.invitations import invitations_create
from tests.a11y import assert_accessible
from tests.factories import MemberFactory
from tests.surveys.factories import survey_with_questions

pytestmark = pytest.mark.browser


def test_respondent_answers_from_the_email_link_by_keyboard(page, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.SURVEY_ANONYMITY_BATCH = 1  # released at once, to check what was stored
    survey = survey_with_questions(title="Autumn pulse", audience_statuses=["prospect"])
    member = MemberFactory(full_name="Kim Prospect", status="prospect", checkin_cadence="monthly")
    invitations_create(survey=survey)
    body = mail.outbox[-1].body
    link = re.search(r"(http://\S+/surveys/\d+/r/\S+/)", body).group(1)
    scale = survey.questions.get(kind="scale5")
    text = survey.questions.get(kind="text")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn pulse")
    expect(page.get_by_text("This survey is anonymous.")).to_be_visible()
    assert_accessible(page)

    # Submit with nothing filled: the summary links to the required question.
    page.locator("main form button[type=submit]").focus()
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    assert_accessible(page)
    assert Response.objects.count() == 0

    # Keyboard only: focus the first option of the scale, arrow to "4", type a comment.
    page.locator(f"#id_q{scale.pk}_0").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator(f"#id_q{scale.pk}_3")).to_be_checked()
    page.locator(f"#id_q{text.pk}").focus()
    page.keyboard.type("Evening meetups, please.")
    page.locator("main form button[type=submit]").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.get_by_role("link", name=re.compile("change which emails"))).to_be_visible()
    assert_accessible(page)
    response = Response.objects.get()
    assert response.member is None
    assert {(a.number, a.text) for a in response.answers.all()} == {
        (4, ""),
        (None, "Evening meetups, please."),
    }

    page.get_by_role("link", name=re.compile("change which emails")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email preferences")
    assert_accessible(page)
    page.get_by_label("Paused").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save my preferences").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your email preferences have been saved.")
    member.refresh_from_db()
    assert member.checkin_cadence == "paused"

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You have already answered this survey"
    )
    assert_accessible(page)
