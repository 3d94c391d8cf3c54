"""A coordinator in the admin: the dashboard and the at-risk list, accessible; this round's
check-in run from the admin (dry run, confirm, emails in the outbox); invitations previewed
before they go; the survey list readable at 1280 px."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from members.models import OutgoingEmail
from surveys.models import Invitation, Question
from tests.a11y import assert_accessible
from tests.browser import log_in
from tests.copsite.factories import community_with_history
from tests.factories import MemberFactory, UserFactory
from tests.surveys.factories import SurveyFactory, survey_with_questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_coordinator(page, live_server):
    user = UserFactory(is_staff=True, first_name="Casey", last_name="Coordinator")
    user.groups.add(Group.objects.get(name="Coordinators"))
    log_in(page, live_server, user)
    return user


def test_dashboard_and_at_risk_list_have_no_accessibility_violations(page, live_server):
    community_with_history(members=300, events=3000)
    survey = SurveyFactory(is_checkin=True)
    Question.objects.create(survey=survey, kind="scale5", text="How valuable?")
    log_in_coordinator(page, live_server)

    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Community health dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community health")
    assert page.locator("svg[role=img]").count() == 8
    assert_accessible(page)

    # The period selector is plain links: the keyboard reaches it, no script needed.
    period = page.get_by_role("navigation", name="Period")
    period.get_by_role("link", name="12 months").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/dashboard/?months=12")
    expect(period.get_by_role("link", name="12 months")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    page.get_by_role("link", name="Members at risk").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members at risk of drifting away")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Send .+ a personal check-in$")).first.click()
    expect(page.get_by_text("is in the outbox, signed by you")).to_be_visible()
    assert_accessible(page)
    assert OutgoingEmail.objects.filter(kind="checkin").count() == 1


def test_coordinator_runs_this_rounds_checkin_from_the_admin(page, live_server):
    survey = survey_with_questions(title="Community check-in", is_checkin=True)
    due = [
        MemberFactory(full_name=name, joined_at=timezone.now() - timedelta(days=60))
        for name in ("Ada Byrne", "Ben Chen", "Cara Dubois")
    ]
    MemberFactory(full_name="Pat Paused", checkin_cadence="paused")
    log_in_coordinator(page, live_server)

    page.goto(live_server.url + "/admin/")
    assert_accessible(page)
    page.get_by_role("link", name="Run this round’s check-in").click()

    # The dry run: how many and who; nothing written yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Run this round’s check-in")
    expect(page.get_by_text("This is a dry run")).to_be_visible()
    for member in due:
        expect(page.get_by_role("link", name=member.full_name)).to_be_visible()
    expect(page.get_by_text("Pat Paused")).to_have_count(0)
    assert_accessible(page)
    assert Invitation.objects.count() == 0

    # One confirmation sends it, through the outbox.
    page.get_by_role("button", name="Send the check-in to 3 people").click()
    page.wait_for_url("**/admin/members/outgoingemail/?kind__exact=checkin")
    expect(page.get_by_text("3 people invited, 3 emails queued for sending.")).to_be_visible()
    assert_accessible(page)
    assert Invitation.objects.filter(survey=survey).count() == 3
    assert sorted(OutgoingEmail.objects.values_list("to_email", "state")) == sorted(
        (member.email, "sent") for member in due
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(member.email for member in due)
    assert all(m.subject.endswith("how is the community working for you?") for m in mail.outbox)

    # Running it again finds nobody due.
    page.goto(live_server.url + "/admin/surveys/survey/checkin-round/")
    expect(page.get_by_text("Nobody is due a check-in now")).to_be_visible()


def test_invite_shows_the_count_and_a_preview_before_sending(page, live_server):
    survey = survey_with_questions(title="Autumn pulse", audience_statuses=["active"])
    MemberFactory.create_batch(4)
    log_in_coordinator(page, live_server)

    page.goto(live_server.url + "/admin/surveys/survey/")
    # At 1280 px every column of the list is on screen: nothing is cut off on the right.
    overflow = page.evaluate(
        "() => document.querySelector('#result_list').getBoundingClientRect().right"
    )
    assert overflow <= page.viewport_size["width"]
    assert_accessible(page)
    page.get_by_role("row", name=re.compile("Autumn pulse")).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("invite_audience")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_text("4 people will be emailed")).to_be_visible()
    page.get_by_text("The email").click()  # the preview, folded in a <details>
    expect(page.get_by_text("Autumn pulse: a few minutes of your time")).to_be_visible()
    assert_accessible(page)
    assert mail.outbox == []

    page.get_by_role("button", name="Send 4 invitations").click()
    expect(page.get_by_text("“Autumn pulse”: 4 invitations queued.")).to_be_visible()
    assert len(mail.outbox) == 4
    assert Invitation.objects.filter(survey=survey, sent_at__isnull=False).count() == 4
