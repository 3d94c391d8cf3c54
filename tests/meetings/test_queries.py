"""Every meetings page runs a fixed number of queries, however many meetings, registrations,
resources or suggestions it shows: the number is stated, and the same for one row as for many."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Registration
from meetings.services.feeds import calendar_feed_get_or_create
from meetings.services.registrations import registration_create
from meetings.services.topics import suggestion_create, suggestion_vote
from resources.models import Kind
from tests.factories import MemberFactory, member_with_account, topic
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db

ROWS = [1, 25]


def make_meetings(n, member):
    for i in range(n):
        meeting = MeetingFactory(capacity=5, topics=[topic("outreach"), topic("leadership")])
        Registration.objects.bulk_create(
            [Registration(meeting=meeting, member=MemberFactory()) for _ in range(2)]
        )
        if i % 2 == 0:
            registration_create(meeting=meeting, member=member)


def log_in(client, who, member):
    if who == "member":
        client.force_login(member.user)


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize(("who", "queries"), [("visitor", 4), ("member", 8)])
def test_meeting_list_queries_by_viewer(client, django_assert_num_queries, who, queries, rows):
    member = member_with_account()
    make_meetings(rows, member)
    log_in(client, who, member)

    with django_assert_num_queries(queries):
        response = client.get(reverse("meetings:list"))
    # Cached filters (their topics) and cards (theirs): two queries fewer.
    with django_assert_num_queries(queries - 2):
        cached = client.get(reverse("meetings:list"))

    for html in (response.content.decode(), cached.content.decode()):
        assert f"{rows} meeting" in html
        going_on_first_page = len(range(0, min(rows, 20), 2))  # every other meeting, 20 a page
        assert html.count("You are going") == (going_on_first_page if who == "member" else 0)


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize(("who", "queries"), [("visitor", 3), ("member", 7)])
def test_meeting_detail_queries_with_registrations_and_resources(
    client, django_assert_num_queries, who, queries, rows
):
    member = member_with_account()
    meeting = MeetingFactory(capacity=10, topics=[topic("outreach"), topic("leadership")])
    registration_create(meeting=meeting, member=member)
    others = ["going"] * min(rows, 9) + ["waitlisted"] * max(rows - 9, 0)
    Registration.objects.bulk_create(
        Registration(meeting=meeting, member=MemberFactory(), status=status) for status in others
    )
    for i in range(rows):
        ResourceFactory(meeting=meeting, kind=Kind.SLIDES, title=f"Slides {i:03d}")
    log_in(client, who, member)

    with django_assert_num_queries(queries):
        response = client.get(meeting.get_absolute_url())

    html = response.content.decode()
    assert html.count("Slides ") == rows
    assert ("You are going." in html) is (who == "member")


@pytest.mark.parametrize("rows", ROWS)
def test_my_meetings_queries_with_registrations(client, django_assert_num_queries, rows):
    member = member_with_account()
    for i in range(rows):
        registration_create(meeting=MeetingFactory(title=f"My chat {i:03d}"), member=member)
    calendar_feed_get_or_create(member=member)  # the first visit creates it, in 3 more queries
    client.force_login(member.user)

    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:mine"))

    assert response.content.decode().count("My chat ") == rows


@pytest.mark.parametrize("rows", ROWS)
def test_suggestions_queries_with_votes(client, django_assert_num_queries, rows):
    member = member_with_account()
    for i in range(rows):
        suggestion = suggestion_create(member=MemberFactory(), title=f"Topic {i:03d}")
        suggestion_vote(suggestion=suggestion, member=MemberFactory())
        if i % 2 == 0:
            suggestion_vote(suggestion=suggestion, member=member)
    client.force_login(member.user)

    with django_assert_num_queries(4):
        response = client.get(reverse("meetings:suggestions"))

    html = response.content.decode()
    assert html.count('<div class="fw-bold">Topic ') == rows
    assert html.count("Withdraw my vote") == len(range(0, rows, 2))


@pytest.mark.parametrize("rows", ROWS)
def test_calendar_feed_queries_with_going_meetings(client, django_assert_num_queries, rows):
    member = MemberFactory()
    for _ in range(rows):
        meeting = MeetingFactory(topics=[topic("outreach")])
        registration_create(meeting=meeting, member=member)
        Registration.objects.create(meeting=meeting, member=MemberFactory())
    feed = calendar_feed_get_or_create(member=member)

    with django_assert_num_queries(2):
        response = client.get(reverse("meetings:feed", args=[feed.token]))

    assert len(Calendar.from_ical(response.content).events) == rows


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize(("who", "queries"), [("visitor", 2), ("member", 6)])
def test_meeting_ics_queries_by_viewer(client, django_assert_num_queries, who, queries, rows):
    member = member_with_account()
    meeting = MeetingFactory(topics=[topic("outreach"), topic("leadership")])
    registration_create(meeting=meeting, member=member)
    Registration.objects.bulk_create(
        Registration(meeting=meeting, member=MemberFactory()) for _ in range(rows)
    )
    log_in(client, who, member)

    with django_assert_num_queries(queries):
        response = client.get(reverse("meetings:ics", args=[meeting.pk]))

    [event] = Calendar.from_ical(response.content).events
    assert str(event["summary"]) == meeting.title
    assert ("secret-room" in response.content.decode()) is (who == "member")
