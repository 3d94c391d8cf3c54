"""From a check-in email, one press: the option link opens a page with that answer and one Send
button; pressing it stores the answer and completes the invitation. The answer travels in the
link's fragment only: no request the browser makes (what an access log keeps) carries it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Invitation, Response
from surveys.services.checkins import checkin_round_run
from tests.a11y import assert_accessible
from tests.factories import MemberFactory
from tests.surveys.factories import survey_with_questions

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _release_at_once(settings):
    """Released at once, to check what was stored; anonymous batching has its own tests."""
    settings.SURVEY_ANONYMITY_BATCH = 1


def test_checkin_answered_with_one_press_from_the_email(page, live_server, settings):
    settings.SITE_URL = live_server.url
    survey = survey_with_questions(title="Community check-in", is_checkin=True)
    member = MemberFactory(full_name="Ada Lovelace", joined_at=timezone.now() - timedelta(days=60))
    checkin_round_run()
    [email] = [message for message in mail.outbox if message.to == [member.email]]
    # The text part lists each option with its own link: "  4 – Very: http://…".
    link = re.search(r"^  4: (\S+)$", email.body, re.M).group(1)
    assert link.startswith(live_server.url)
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Community check-in")
    expect(page.get_by_text("Your answer: 4")).to_be_visible()
    # The page's own buttons, not the footer's language switcher.
    assert page.get_by_role("main").get_by_role("button").all_inner_texts() == ["Send"]
    assert_accessible(page)
    assert Response.objects.count() == 0  # opening the link stored nothing

    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(page)
    answer_requests = [url for url in requested if "/surveys/" in url]
    assert answer_requests
    assert [url for url in answer_requests if re.search(r"answer-|[?&]q\d+=", url)] == []
    [response] = Response.objects.all()
    scale = survey.questions.get(kind="scale5")
    assert [(a.question_id, a.number) for a in response.answers.all()] == [(scale.pk, 4)]
    assert Invitation.objects.get(member=member, survey=survey).completed is True


def test_checkin_one_press_with_more_said(page, live_server, settings):
    settings.SITE_URL = live_server.url
    survey = survey_with_questions(title="Community check-in", is_checkin=True)
    member = MemberFactory(joined_at=timezone.now() - timedelta(days=60))
    checkin_round_run()
    [email] = [message for message in mail.outbox if message.to == [member.email]]
    link = re.search(r"^  2: (\S+)$", email.body, re.M).group(1)

    page.goto(link)
    expect(page.get_by_text("Tell us more (optional")).to_be_visible()
    page.get_by_label("Anything else?").fill("Evening meetups, please.")
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    [response] = Response.objects.filter(survey=survey)
    assert {(a.number, a.text) for a in response.answers.all()} == {
        (2, ""),
        (None, "Evening meetups, please."),
    }
