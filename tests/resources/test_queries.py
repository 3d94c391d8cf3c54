"""Every resources page runs a fixed number of queries, however many resources, ratings or steps
of review it shows: the number is stated, and the same for one row as for many."""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse

from resources import services
from resources.models import ResourceTransition, Status, Visibility
from tests.factories import member_with_account, sector, topic
from tests.resources.factories import ResourceFactory, editor_account

pytestmark = pytest.mark.django_db

ROWS = [1, 25]
ATOM = "{http://www.w3.org/2005/Atom}"


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


QUERY_STRINGS = {
    "list": "",
    "search": "?q=impact",
    "search-sorted": "?q=impact&sort=rating&topic=&kind=guide",
    "sector": "?sort=date&sector={health}",
}
# Logged in, the page also reads the session, the user, the member and, until they are cached,
# the user's permissions (is it an editor?); the sector filter looks its sector up. Cards not yet
# cached read their authors, topics and sectors (one query each); cached cards read none of them.
LIST_CASES = [
    pytest.param(who, name, queries, id=f"{who}-{name}")
    for who, name, queries in [
        ("visitor", "list", 7),
        ("visitor", "search", 7),
        ("visitor", "search-sorted", 7),
        ("visitor", "sector", 8),
        ("member", "list", 12),
        ("member", "search", 12),
        ("member", "search-sorted", 12),
        ("member", "sector", 13),
        ("editor", "list", 12),
        ("editor", "search", 12),
        ("editor", "search-sorted", 12),
        ("editor", "sector", 13),
    ]
]


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize(("who", "name", "queries"), LIST_CASES)
def test_resource_list_queries_by_viewer_and_filter(
    client, django_assert_num_queries, who, name, queries, rows
):
    login(client, who)
    make_resources(rows)
    url = reverse("resources:list") + QUERY_STRINGS[name].format(health=sector("health").pk)

    with django_assert_num_queries(queries):
        response = client.get(url)
    # Cached: the ranking (so no count), the filters (topics, sectors), the cards and, logged
    # in, the account's permissions.
    with django_assert_num_queries(queries - (6 if who == "visitor" else 8)):
        cached = client.get(url)

    shown = rows if who != "visitor" else len(range(0, rows, 2))  # visitors see public ones
    assert f"{shown} resource" in response.content.decode()
    assert len(response.context["page"].object_list) == min(shown, 20)
    html, again = response.content.decode(), cached.content.decode()
    assert again.count("Impact toolkit") == html.count("Impact toolkit") > 0
    assert again.count("Topics:") == html.count("Topics:") == min(shown, 20)


@pytest.mark.parametrize("rows", ROWS)
# The history (its steps and who took them) is read only for those who see it.
@pytest.mark.parametrize(
    ("who", "queries"), [("visitor", 3), ("member", 9), ("author", 10), ("editor", 10)]
)
def test_resource_detail_queries_with_ratings_and_history(
    client, django_assert_num_queries, who, queries, rows
):
    author = member_with_account(full_name="Ann Author")
    editor = editor_account(full_name="Ed Editor")
    resource = ResourceFactory(author=author, topics=[topic("leadership"), topic("edi")])
    for _ in range(rows):
        services.rating_set(resource=resource, member=member_with_account(), score=4)
    ResourceTransition.objects.bulk_create(
        ResourceTransition(
            resource=resource,
            from_status=Status.PUBLISHED,
            to_status=Status.PUBLISHED,
            by=editor.user,
            comment=f"Note {i:03d}",
        )
        for i in range(rows)
    )
    viewer = {"visitor": None, "member": member_with_account(), "author": author, "editor": editor}
    if viewer[who] is not None:
        client.force_login(viewer[who].user)

    with django_assert_num_queries(queries):
        response = client.get(resource.get_absolute_url())

    html = response.content.decode()
    assert f"from {rows} rating" in html
    assert html.count("Note ") == (rows if who in ("author", "editor") else 0)


@pytest.mark.parametrize("rows", ROWS)
def test_my_resources_queries_for_an_author(client, django_assert_num_queries, rows):
    editor = editor_account()
    author = member_with_account()
    for i in range(rows):
        resource = ResourceFactory(author=author, status=Status.SUBMITTED, title=f"Mine {i:03d}")
        services.resource_request_changes(resource=resource, by=editor.user, comment="More!")
    client.force_login(author.user)

    with django_assert_num_queries(5):
        response = client.get(reverse("resources:mine"))

    html = response.content.decode()
    assert html.count("More!") == rows


@pytest.mark.parametrize("rows", ROWS)
def test_review_queue_queries_for_an_editor(client, django_assert_num_queries, rows):
    editor = editor_account()
    for i in range(rows):
        ResourceFactory(status=Status.SUBMITTED, title=f"Waiting {i:03d}")
        returned = ResourceFactory(status=Status.SUBMITTED, title=f"Returned {i:03d}")
        services.resource_request_changes(resource=returned, by=editor.user, comment="More!")
    client.force_login(editor.user)
    cache.clear()  # asking for changes above cached the editor's permissions

    with django_assert_num_queries(7):
        response = client.get(reverse("resources:review_queue"))
    with django_assert_num_queries(5):  # the permissions, cached
        client.get(reverse("resources:review_queue"))

    html = response.content.decode()
    assert f"Waiting for review ({rows})" in html
    assert f"With their authors for changes ({rows})" in html


@pytest.mark.parametrize("rows", ROWS)
def test_resource_feed_queries_with_public_resources(client, django_assert_num_queries, rows):
    make_resources(rows * 2)  # every other one is for members only

    with django_assert_num_queries(1):
        response = client.get(reverse("resources:feed"))

    root = ET.fromstring(response.content)  # noqa: S314 -- our own feed, generated by the test
    assert len(root.findall(f"{ATOM}entry")) == rows
