"""A member finds a meeting, registers in place, downloads the .ics and cancels."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Format, Kind, Registration
from tests.a11y import assert_accessible
from tests.browser import log_in
from tests.factories import member_with_account
from tests.meetings.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_finds_registers_downloads_and_cancels(page, live_server):
    member = member_with_account(full_name="Aoife Byrne")
    soon = timezone.now() + timedelta(days=10)
    MeetingFactory(
        title="Cataloguing clinic",
        kind=Kind.WORKSHOP,
        format=Format.HYBRID,
        location="City Central Library, Room 2",
        capacity=12,
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        description="Bring your **trickiest** records.",
    )
    MeetingFactory(title="Summer social", kind=Kind.SOCIAL, starts_at=soon + timedelta(days=1))
    log_in(page, live_server, member.user)

    # The landing page shows the next meetings; the header leads to all of them.
    page.goto(live_server.url + "/")
    assert page.get_by_role("link", name="Cataloguing clinic").is_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    page.wait_for_url("**/meetings/")
    assert_accessible(page)

    # Find it by kind.
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/meetings/?*kind=workshop*")
    assert page.get_by_role("link", name="Summer social").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Cataloguing clinic").click()
    page.wait_for_url("**/meetings/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Cataloguing clinic"
    assert page.get_by_text("https://meet.example.org/secret-room").count() == 0
    assert_accessible(page)

    # Register in place: htmx swaps the registration box, the page is not reloaded.
    page.evaluate("window.journeyMarker = 'same page'")
    page.get_by_role("button", name="Register").click()
    page.get_by_text("You are going.").wait_for()
    assert page.evaluate("window.journeyMarker") == "same page"
    assert page.get_by_role("link", name="https://meet.example.org/secret-room").is_visible()
    assert Registration.objects.get(member=member).status == "going"
    assert_accessible(page)

    # Add to calendar.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    with open(download_info.value.path(), "rb") as ics:
        [event] = Calendar.from_ical(ics.read()).events
    assert str(event["summary"]) == "Cataloguing clinic"
    assert "secret-room" in str(event["description"])

    # My meetings lists it, with the private calendar address.
    page.goto(live_server.url + "/meetings/mine/")
    assert page.get_by_role("link", name="Cataloguing clinic").is_visible()
    assert_accessible(page)

    # Cancel, again in place, after saying yes to "are you sure?".
    page.get_by_role("link", name="Cataloguing clinic").click()
    page.evaluate("window.journeyMarker = 'still here'")
    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("heading", name="Cancel your place?").wait_for()
    assert Registration.objects.get(member=member).status == "going"
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.get_by_text("Your registration is cancelled.").wait_for()
    assert page.evaluate("window.journeyMarker") == "still here"
    assert page.get_by_role("button", name="Register").is_visible()
    assert Registration.objects.get(member=member).status == "cancelled"
    assert_accessible(page)


def test_visitor_is_asked_to_log_in_and_member_votes_for_a_topic(page, live_server):
    meeting = MeetingFactory(title="Open lunch", capacity=1)
    page.goto(live_server.url + meeting.get_absolute_url())
    assert page.get_by_role("link", name="Log in to register").is_visible()
    assert page.get_by_text("secret-room").count() == 0
    assert_accessible(page)

    member = member_with_account()
    log_in(page, live_server, member.user)
    page.goto(live_server.url + "/meetings/topics/")
    page.get_by_role("textbox", name="Topic").fill("Makerspaces in libraries")
    page.get_by_role("button", name="Suggest this topic").click()
    page.get_by_text("your topic is on the list").wait_for()
    assert page.get_by_text("1 vote", exact=True).is_visible()
    assert_accessible(page)
