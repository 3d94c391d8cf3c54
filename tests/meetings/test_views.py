from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import (
    CalendarFeed,
    Format,
    Kind,
    Meeting,
    Registration,
    TopicSuggestion,
    TopicVote,
)
from meetings.services.feeds import calendar_feed_get_or_create
from meetings.services.registrations import registration_create
from meetings.services.topics import suggestion_create, suggestion_vote
from members.models import Member
from tests.factories import MemberFactory, member_with_account, topic
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import coordinator_account

pytestmark = pytest.mark.django_db

SECRET_LINK = "https://meet.example.org/secret-room"


@pytest.fixture
def member():
    return member_with_account()


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def text(response) -> str:
    return response.content.decode()


# --- List ------------------------------------------------------------------------------------


def test_meeting_list_shows_published_upcoming_not_drafts_or_past(client):
    MeetingFactory(title="Upcoming chat")
    MeetingFactory(title="Secret draft", status=Meeting.Status.DRAFT)
    MeetingFactory(title="Old chat", starts_at=timezone.now() - timedelta(days=3))

    page = text(client.get(reverse("meetings:list")))

    assert "Upcoming chat" in page
    assert "Secret draft" not in page
    assert "Old chat" not in page
    assert "1 meeting" in page


def test_meeting_list_past(client):
    MeetingFactory(title="Upcoming chat")
    MeetingFactory(title="Old chat", starts_at=timezone.now() - timedelta(days=3))

    page = text(client.get(reverse("meetings:list"), {"when": "past"}))

    assert "Old chat" in page
    assert "Upcoming chat" not in page


def test_meeting_list_filters_by_kind_format_and_topic(client):
    MeetingFactory(title="Workshop on data", kind=Kind.WORKSHOP, topics=[topic("research-support")])
    MeetingFactory(
        title="Social evening", kind=Kind.SOCIAL, format=Format.IN_PERSON, location="Pub"
    )

    by_kind = text(client.get(reverse("meetings:list"), {"kind": "workshop"}))
    by_format = text(client.get(reverse("meetings:list"), {"format": "in_person"}))
    by_topic = text(client.get(reverse("meetings:list"), {"topic": topic("research-support").pk}))

    assert ("Workshop on data" in by_kind, "Social evening" in by_kind) == (True, False)
    assert ("Workshop on data" in by_format, "Social evening" in by_format) == (False, True)
    assert ("Workshop on data" in by_topic, "Social evening" in by_topic) == (True, False)


@pytest.mark.parametrize("query", [{"topic": "999999"}, {"kind": "rave"}, {"topic": "x'--"}])
def test_meeting_list_bad_filter_shows_an_error_not_a_500(client, query):
    MeetingFactory(title="Upcoming chat")

    response = client.get(reverse("meetings:list"), query)

    assert response.status_code == 200
    assert "There is a problem" in text(response)
    assert "Upcoming chat" not in text(response)


def test_meeting_list_shows_the_members_own_status(member_client, member):
    meeting = MeetingFactory()
    registration_create(meeting=meeting, member=member)

    assert "You are going" in text(member_client.get(reverse("meetings:list")))


# --- Detail ----------------------------------------------------------------------------------


def test_meeting_detail_visitor_asked_to_log_in_and_never_sees_the_link(client):
    meeting = MeetingFactory(description="Bring **ideas**")

    page = text(client.get(meeting.get_absolute_url()))

    assert "Log in to register" in page
    assert f"?next=/meetings/{meeting.pk}/" in page
    assert SECRET_LINK not in page
    assert "<strong>ideas</strong>" in page


def test_meeting_detail_link_only_for_members_going(member_client, member):
    meeting = MeetingFactory(capacity=1)
    registration_create(meeting=meeting, member=MemberFactory())  # takes the seat

    before = text(member_client.get(meeting.get_absolute_url()))
    registration_create(meeting=meeting, member=member)
    waitlisted = text(member_client.get(meeting.get_absolute_url()))

    assert SECRET_LINK not in before
    assert "Join the waiting list" in before
    assert SECRET_LINK not in waitlisted
    assert "You are number 1 on the waiting list" in waitlisted


def test_meeting_detail_going_member_sees_the_link(member_client, member):
    meeting = MeetingFactory()
    registration_create(meeting=meeting, member=member)

    page = text(member_client.get(meeting.get_absolute_url()))

    assert "You are going." in page
    assert SECRET_LINK in page


def test_meeting_detail_draft_is_404_for_members(member_client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)

    response = member_client.get(meeting.get_absolute_url())

    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert meeting.title not in text(response)


def test_meeting_detail_draft_shows_to_coordinators_only_not_view_only_staff(client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title="Planning the spring meeting")
    helper = member_with_account()
    helper.user.is_staff = True  # may open the admin, with no permission to change meetings
    helper.user.save(update_fields=["is_staff"])
    client.force_login(helper.user)
    assert client.get(meeting.get_absolute_url()).status_code == 404  # cached as "may not"

    helper.user.groups.add(coordinator_account().user.groups.get(name="Coordinators"))

    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert "Planning the spring meeting" in text(response)


def test_meeting_detail_description_is_sanitised(client):
    meeting = MeetingFactory(
        description="Hi <script>alert(1)</script>"
        '<img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    )

    page = text(client.get(meeting.get_absolute_url()))

    assert "<script>alert(1)" not in page
    assert "onerror" not in page
    assert "javascript:alert" not in page


def test_meeting_detail_in_the_members_time_zone(client):
    member = member_with_account(time_zone="Asia/Tokyo")
    client.force_login(member.user)
    starts = datetime(2027, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    meeting = MeetingFactory(starts_at=starts, ends_at=starts + timedelta(hours=1))

    page = text(client.get(meeting.get_absolute_url()))

    assert "Tuesday 2 March 2027, 21:00" in page


def test_meeting_detail_unknown_is_404(client):
    response = client.get("/meetings/999999/")

    assert response.status_code == 404
    assert "Page not found" in text(response)


# --- RSVP ------------------------------------------------------------------------------------


def test_register_with_htmx_returns_the_fragment_in_place(member_client, member):
    meeting = MeetingFactory()

    response = member_client.post(
        reverse("meetings:register", args=[meeting.pk]), HTTP_HX_REQUEST="true"
    )

    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="rsvp"' in page
    assert "You are registered" in page
    assert SECRET_LINK in page
    assert Registration.objects.get(member=member).status == "going"


def test_register_without_javascript_redirects_back_with_a_message(member_client, member):
    meeting = MeetingFactory()

    response = member_client.post(reverse("meetings:register", args=[meeting.pk]), follow=True)

    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert "You are registered. We have emailed you the details." in text(response)


def test_register_when_full_says_waiting_list_position(member_client, member):
    meeting = MeetingFactory(capacity=1)
    registration_create(meeting=meeting, member=MemberFactory())

    response = member_client.post(reverse("meetings:register", args=[meeting.pk]), follow=True)

    assert "you are on the waiting list (number 1)" in text(response)


def test_register_twice_is_a_clear_message_and_writes_nothing(member_client, member):
    meeting = MeetingFactory()
    url = reverse("meetings:register", args=[meeting.pk])
    member_client.post(url)

    response = member_client.post(url, follow=True)

    assert "You are already registered for this meeting." in text(response)
    assert Registration.objects.filter(member=member).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"status": Meeting.Status.DRAFT}, 404, None),
        ({"status": Meeting.Status.CANCELLED}, 200, "This meeting has been cancelled."),
        ({"starts_at": timezone.now() - timedelta(hours=2)}, 200, "already started"),
    ],
    ids=["draft", "cancelled", "past"],
)
def test_register_refused(member_client, kwargs, status, message):
    meeting = MeetingFactory(**kwargs)

    response = member_client.post(reverse("meetings:register", args=[meeting.pk]), follow=True)

    assert response.status_code == status
    if message:
        assert message in text(response)
    assert Registration.objects.count() == 0


def test_register_requires_login(client):
    meeting = MeetingFactory()

    response = client.post(reverse("meetings:register", args=[meeting.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Registration.objects.count() == 0


def test_register_refuses_get(member_client):
    meeting = MeetingFactory()

    response = member_client.get(reverse("meetings:register", args=[meeting.pk]))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert Registration.objects.count() == 0


def test_register_by_a_member_who_left_is_forbidden(client):
    member = member_with_account(status=Member.Status.LEFT)
    client.force_login(member.user)
    meeting = MeetingFactory()

    response = client.post(reverse("meetings:register", args=[meeting.pk]))

    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_cancel_with_htmx_frees_the_seat(member_client, member):
    meeting = MeetingFactory(capacity=1)
    registration_create(meeting=meeting, member=member)
    waiting = MemberFactory()
    registration_create(meeting=meeting, member=waiting)

    response = member_client.post(
        reverse("meetings:cancel", args=[meeting.pk]), HTTP_HX_REQUEST="true"
    )

    assert "Your registration is cancelled." in text(response)
    assert "Join the waiting list" in text(response)  # the freed seat went to the list
    assert Registration.objects.get(member=waiting).status == "going"


def test_cancel_when_not_registered_is_a_clear_message(member_client):
    meeting = MeetingFactory()
    response = member_client.post(reverse("meetings:cancel", args=[meeting.pk]), follow=True)
    assert "You are not registered for this meeting." in text(response)


# --- Calendar --------------------------------------------------------------------------------


def test_meeting_ics_download_without_the_link_for_visitors(client):
    meeting = MeetingFactory()

    response = client.get(reverse("meetings:ics", args=[meeting.pk]))

    assert response["Content-Type"] == "text/calendar"
    assert "attachment" in response["Content-Disposition"]
    [event] = Calendar.from_ical(response.content).events
    assert str(event["summary"]) == meeting.title
    assert "secret-room" not in response.content.decode()


def test_meeting_ics_download_with_the_link_for_members_going(member_client, member):
    meeting = MeetingFactory()
    registration_create(meeting=meeting, member=member)

    response = member_client.get(reverse("meetings:ics", args=[meeting.pk]))

    assert "secret-room" in response.content.decode()


def test_calendar_feed_lists_the_members_meetings(client, member):
    going = MeetingFactory(title="Going to this")
    MeetingFactory(title="Not registered")
    registration_create(meeting=going, member=member)
    feed = calendar_feed_get_or_create(member=member)

    response = client.get(reverse("meetings:feed", args=[feed.token]))

    summaries = [str(e["summary"]) for e in Calendar.from_ical(response.content).events]
    assert summaries == ["Going to this"]


@pytest.mark.parametrize(
    ("token", "status"),
    # A NUL byte is refused before routing, as bad input (copsite/security.py).
    [("not-a-real-token", 404), ("x" * 64, 404), ("%00", 400)],
)
def test_calendar_feed_tampered_token_is_404(client, member, token, status):
    calendar_feed_get_or_create(member=member)

    response = client.get(f"/meetings/calendar/{token}.ics")

    assert response.status_code == status
    assert ("Page not found" if status == 404 else "Bad request") in text(response)


def test_calendar_feed_regenerate_revokes_the_old_address(member_client, member):
    old = calendar_feed_get_or_create(member=member).token

    response = member_client.post(reverse("meetings:feed_regenerate"), follow=True)

    assert "The old one no longer works" in text(response)
    assert member_client.get(reverse("meetings:feed", args=[old])).status_code == 404
    new = member.calendar_feed.__class__.objects.get(member=member).token
    assert member_client.get(reverse("meetings:feed", args=[new])).status_code == 200


def test_my_meetings_shows_registrations_and_feed_address(member_client, member):
    meeting = MeetingFactory(title="My chat")
    registration_create(meeting=meeting, member=member)

    page = text(member_client.get(reverse("meetings:mine")))
    # A GET makes no calendar address; the button's POST does.
    assert not CalendarFeed.objects.filter(member=member).exists()
    made = text(member_client.post(reverse("meetings:feed_regenerate"), follow=True))

    assert "My chat" in page
    assert "Make my private calendar address" in page
    assert f"/meetings/calendar/{CalendarFeed.objects.get(member=member).token}.ics" in made


# --- Topic suggestions -----------------------------------------------------------------------


def test_suggest_a_topic(member_client, member):
    response = member_client.post(
        reverse("meetings:suggestions"),
        {"title": "  Makerspaces   in libraries ", "description": "Tools"},
        follow=True,
    )

    suggestion = TopicSuggestion.objects.get()
    assert suggestion.title == "Makerspaces in libraries"
    assert "your topic is on the list" in text(response)
    assert "1 vote" in text(response)


def test_suggest_a_topic_empty_shows_the_error_summary(member_client):
    response = member_client.post(reverse("meetings:suggestions"), {"title": "   "})

    assert "There is a problem" in text(response)
    assert TopicSuggestion.objects.count() == 0


def test_vote_twice_is_a_clear_message_and_one_vote(member_client, member):
    suggestion = suggestion_create(member=MemberFactory(), title="Makerspaces")
    url = reverse("meetings:vote", args=[suggestion.pk])
    member_client.post(url)

    response = member_client.post(url, follow=True)

    assert "You have already voted for this topic." in text(response)
    assert TopicVote.objects.filter(member=member).count() == 1


def test_withdraw_a_vote(member_client, member):
    suggestion = suggestion_create(member=MemberFactory(), title="Makerspaces")
    suggestion_vote(suggestion=suggestion, member=member)

    member_client.post(reverse("meetings:unvote", args=[suggestion.pk]))

    assert TopicVote.objects.filter(member=member).count() == 0


def test_vote_for_unknown_suggestion_is_404(member_client):
    response = member_client.post(reverse("meetings:vote", args=[999999]))

    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert TopicVote.objects.count() == 0


def test_suggestions_page_ranked_for_members(member_client):
    low = suggestion_create(member=MemberFactory(), title="Less wanted")
    high = suggestion_create(member=MemberFactory(), title="Most wanted topic")
    suggestion_vote(suggestion=high, member=MemberFactory())

    page = text(member_client.get(reverse("meetings:suggestions")))

    assert page.index(high.title) < page.index(low.title)


def test_suggestions_are_for_members_only(client):
    response = client.get(reverse("meetings:suggestions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
