"""List and detail pages keep a constant number of queries, however many members there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MemberFactory, member_with_account, sector, topic

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_members(n):
    for i in range(n):
        MemberFactory(
            sector=sector("health"),
            interests=[topic("outreach"), topic("edi")],
            full_name=f"Colleague {i:03d}",
        )


@pytest.mark.parametrize("url_name", ["members:directory", "members:me"])
def test_page_query_count_does_not_grow_with_members(client, url_name):
    me = member_with_account(sector=sector("public"), interests=[topic("outreach")])
    client.force_login(me.user)
    add_members(1)
    url = reverse(url_name)
    one = count_queries(client, url)

    add_members(29)
    thirty = count_queries(client, url)

    assert one == thirty


def test_directory_query_count_is_small(client):
    me = member_with_account()
    client.force_login(me.user)
    add_members(30)

    assert count_queries(client, reverse("members:directory")) <= 8


def test_member_page_query_count_does_not_grow_with_interests(client):
    me = member_with_account(sector=sector("public"), interests=[topic("outreach")])
    client.force_login(me.user)
    add_members(1)
    one = count_queries(client, me.get_absolute_url())

    add_members(29)
    thirty = count_queries(client, me.get_absolute_url())

    assert one == thirty
