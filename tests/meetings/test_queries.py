"""List and detail pages keep a constant query count however many meetings and registrations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Registration
from meetings.services.registrations import registration_create
from tests.factories import MemberFactory, member_with_account, topic
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_meetings(n, member):
    for i in range(n):
        meeting = MeetingFactory(capacity=5, topics=[topic("outreach"), topic("leadership")])
        Registration.objects.bulk_create(
            [Registration(meeting=meeting, member=MemberFactory()) for _ in range(2)]
        )
        if i % 2 == 0:
            registration_create(meeting=meeting, member=member)


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "member"])
def test_meeting_list_query_count_constant(client, logged_in):
    member = member_with_account()
    if logged_in:
        client.force_login(member.user)
    url = reverse("meetings:list")
    make_meetings(1, member)
    one = count_queries(client, url)

    make_meetings(49, member)
    fifty = count_queries(client, url)

    assert one == fifty, (one, fifty)


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "member"])
def test_meeting_detail_query_count_constant(client, logged_in):
    member = member_with_account()
    if logged_in:
        client.force_login(member.user)
    meeting = MeetingFactory(capacity=10, topics=[topic("outreach")])
    registration_create(meeting=meeting, member=member)
    url = meeting.get_absolute_url()
    one = count_queries(client, url)

    Registration.objects.bulk_create(
        [
            Registration(meeting=meeting, member=MemberFactory(), status=status)
            for status in ["going"] * 9 + ["waitlisted"] * 40
        ]
    )
    fifty = count_queries(client, url)

    assert one == fifty, (one, fifty)


def test_home_page_query_count_constant(client):
    MeetingFactory()
    one = count_queries(client, reverse("home"))
    for _ in range(10):
        MeetingFactory()
    assert count_queries(client, reverse("home")) == one
