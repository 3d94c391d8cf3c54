"""A member writes a case study in the guided form and submits it; an editor publishes it from
the review queue; a visitor finds it by searching and in the Atom feed."""

import xml.etree.ElementTree as ET

import pytest

from resources.models import Resource, ResourceTransition, Status
from tests import browser
from tests.a11y import assert_accessible
from tests.factories import member_with_account
from tests.resources.factories import editor_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ATOM = "{http://www.w3.org/2005/Atom}"


def log_in(page, live_server, user) -> None:
    page.context.clear_cookies()  # the next person, in the same browser
    browser.log_in(page, live_server, user)


def test_case_study_from_guided_form_to_search_and_feed(page, live_server):
    member = member_with_account(full_name="Aoife Byrne")
    editor = editor_account(full_name="Eddie Editor")

    # The member finds the library from the header and starts a case study.
    log_in(page, live_server, member.user)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Resources").click()
    page.wait_for_url("**/resources/")
    assert_accessible(page)
    page.get_by_role("link", name="Write a case study or practice story").click()
    page.wait_for_url("**/resources/new/case-study/")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Write a case study or practice story"
    )
    assert_accessible(page)

    # Submitting without a title shows the error summary and the error beside the field.
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("alert").get_by_text("There is a problem").wait_for()
    page.get_by_role("link", name="Title: Enter a title.").wait_for()
    assert_accessible(page)

    page.get_by_label("Case study", exact=True).check()
    page.get_by_label("Title").fill("Makerspace sessions for teenagers")
    page.get_by_label("Summary").fill("Saturday makerspace sessions brought teenagers back.")
    page.get_by_label("1. Context").fill("A public library that teenagers had stopped visiting.")
    page.get_by_label("2. What was done").fill("Monthly Saturday sessions with local volunteers.")
    page.get_by_label("3. Impact").fill("Visits by 13 to 17 year olds doubled in six months.")
    page.get_by_label("4. Lessons learned").fill("Ask teenagers what they want first.")
    page.get_by_label("Outreach and community engagement").check()
    page.get_by_label("Everyone").check()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your draft is saved.").wait_for()
    assert_accessible(page)

    # Submitted with the keyboard alone.
    page.get_by_role("button", name="Submit for review").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/resources/mine/")
    row = page.get_by_role("row", name="Makerspace sessions for teenagers")
    assert "Submitted for review" in row.inner_text()
    assert_accessible(page)

    # The editor publishes it from the review queue.
    log_in(page, live_server, editor.user)
    page.goto(live_server.url + "/resources/review/")
    assert_accessible(page)
    page.get_by_role("link", name="Makerspace sessions for teenagers").click()
    page.wait_for_url("**/resources/*/")
    assert page.get_by_role("heading", name="Context").is_visible()
    assert_accessible(page)
    page.get_by_label("Comment to the author").fill("Lovely: thank you!")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/resources/review/")
    page.get_by_text("Published. The author has been told.").wait_for()
    assert_accessible(page)
    resource = Resource.objects.get(title="Makerspace sessions for teenagers")
    assert resource.status == Status.PUBLISHED
    assert list(
        ResourceTransition.objects.filter(resource=resource).values_list("to_status", flat=True)
    ) == ["draft", "submitted", "published"]

    # A visitor finds it by searching, and in the feed.
    page.context.clear_cookies()
    page.goto(live_server.url + "/resources/")
    page.get_by_role("searchbox", name="Search").fill("makerspace teenagers")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/resources/?*q=makerspace*")
    page.get_by_role("link", name="Makerspace sessions for teenagers").click()
    page.wait_for_url("**/resources/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Makerspace sessions for teenagers"
    assert_accessible(page)

    feed = page.request.get(live_server.url + "/resources/feed.atom")
    root = ET.fromstring(feed.body())  # noqa: S314 -- our own feed, from the test server
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == [
        "Makerspace sessions for teenagers"
    ]


def test_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    member = member_with_account()
    log_in(page, live_server, member.user)
    page.goto(live_server.url + "/resources/new/case-study/")
    page.get_by_label("Title").fill("No script needed")
    page.get_by_label("Summary").fill("Works with JavaScript off.")
    page.get_by_label("1. Context").fill("Some context.")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**/resources/mine/")
    assert Resource.objects.get(title="No script needed").status == Status.SUBMITTED
    context.close()
