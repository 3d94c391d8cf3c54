"""List, search, detail and the pages that show resources keep a constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources import services
from resources.models import Kind, Status, Visibility
from tests.factories import member_with_account, sector, topic
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import ResourceFactory, editor_account

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_resources(n, **kwargs):
    for i in range(n):
        ResourceFactory(
            title=f"Impact toolkit {i}",
            summary="Evidence of impact for library managers.",
            visibility=Visibility.MEMBERS if i % 2 else Visibility.PUBLIC,
            featured=i < 5,
            topics=[topic("value-impact"), topic("leadership")],
            sectors=[sector("health"), sector("public")],
            rating_count=1,
            rating_average=4,
            **kwargs,
        )


def login(client, who):
    if who == "member":
        client.force_login(member_with_account().user)
    elif who == "editor":
        client.force_login(editor_account().user)


URLS = [
    reverse("resources:list"),
    reverse("resources:list") + "?q=impact",
    reverse("resources:list") + "?q=impact&sort=rating&topic=&kind=guide",
    reverse("resources:list") + "?sort=date&sector=" + "{health}",
]


@pytest.mark.parametrize("who", ["visitor", "member", "editor"])
@pytest.mark.parametrize("url", URLS, ids=["list", "search", "search-sorted", "sector"])
def test_list_and_search_query_count_constant(client, who, url):
    login(client, who)
    url = url.replace("{health}", str(sector("health").pk))
    make_resources(1)
    one = count_queries(client, url)

    make_resources(49)
    fifty = count_queries(client, url)

    assert one == fifty, (one, fifty)


@pytest.mark.parametrize("who", ["visitor", "member", "editor"])
def test_detail_query_count_constant(client, who):
    login(client, who)
    resource = ResourceFactory(topics=[topic("leadership")])
    url = resource.get_absolute_url()
    services.rating_set(resource=resource, member=member_with_account(), score=3)
    one = count_queries(client, url)

    for _ in range(20):
        services.rating_set(resource=resource, member=member_with_account(), score=4)
    resource.topics.add(topic("value-impact"), topic("edi"))
    fifty = count_queries(client, url)

    assert one == fifty, (one, fifty)


def test_review_queue_and_mine_query_counts_constant(client):
    editor = editor_account()
    author = member_with_account()
    ResourceFactory(author=author, status=Status.SUBMITTED)
    client.force_login(editor.user)
    queue_one = count_queries(client, reverse("resources:review_queue"))
    client.force_login(author.user)
    mine_one = count_queries(client, reverse("resources:mine"))

    for _ in range(20):
        resource = ResourceFactory(author=author, status=Status.SUBMITTED)
        services.resource_request_changes(resource=resource, by=editor.user, comment="More!")
        ResourceFactory(author=author, status=Status.SUBMITTED)
    client.force_login(editor.user)
    queue_many = count_queries(client, reverse("resources:review_queue"))
    client.force_login(author.user)
    mine_many = count_queries(client, reverse("resources:mine"))

    assert (queue_one, mine_one) == (queue_many, mine_many)


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "member"])
def test_home_with_featured_resources_query_count_constant(client, logged_in):
    if logged_in:
        client.force_login(member_with_account().user)
    make_resources(1)
    one = count_queries(client, reverse("home"))
    make_resources(20)
    assert count_queries(client, reverse("home")) == one


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "member"])
def test_meeting_page_shows_its_notes_and_slides_with_constant_queries(client, logged_in):
    if logged_in:
        client.force_login(member_with_account().user)
    meeting = MeetingFactory()
    ResourceFactory(meeting=meeting, kind=Kind.MEETING_NOTES, title="Notes of the day")
    one = count_queries(client, meeting.get_absolute_url())

    for i in range(10):
        ResourceFactory(meeting=meeting, kind=Kind.SLIDES, title=f"Slides {i}")
    ResourceFactory(meeting=meeting, kind=Kind.SLIDES, title="Members slides", visibility="members")
    ResourceFactory(meeting=meeting, kind=Kind.SLIDES, title="Draft slides", status="draft")
    many = count_queries(client, meeting.get_absolute_url())

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert one == many, (one, many)
    assert "Notes of the day" in page
    assert "Slides 9" in page
    assert "Draft slides" not in page
    assert ("Members slides" in page) is logged_in
