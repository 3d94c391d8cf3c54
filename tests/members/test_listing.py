"""CountingPaginator (members/listing.py) reads a page and the number of all rows in one query,
and otherwise pages exactly as Django's Paginator does."""

import pytest
from django.core.paginator import Paginator

from members.listing import CountingPaginator
from members.models import Topic
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 7


@pytest.fixture
def topics():
    Topic.objects.bulk_create(
        Topic(name=f"Topic {i:02d}", slug=f"topic-{i:02d}") for i in range(30)
    )
    return Topic.objects.order_by("name", "pk")


def shown(page) -> tuple:
    return (
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        [row.pk for row in page.object_list],
        page.has_next(),
        page.has_previous(),
    )


@pytest.mark.parametrize("number", [None, "", "1", "2", 3, "0", "-1", "abc", "2.5", "99"])
def test_every_page_number_gives_what_djangos_paginator_gives(topics, number):
    assert topics.count() > 4 * PER_PAGE

    ours = CountingPaginator(topics, PER_PAGE).get_page(number)
    djangos = Paginator(topics, PER_PAGE).get_page(number)

    assert shown(ours) == shown(djangos)


def test_a_page_in_range_is_one_query(topics, django_assert_num_queries):
    total = topics.count()

    with django_assert_num_queries(1):
        page = CountingPaginator(topics, PER_PAGE).get_page("2")
        assert len(page.object_list) == PER_PAGE
        assert page.paginator.count == total


def test_no_rows_and_distinct_rows_are_counted_as_django_counts(topics):
    empty = CountingPaginator(topics.none(), PER_PAGE).get_page("1")
    assert (empty.paginator.count, list(empty.object_list)) == (0, [])

    # Topics two members share come twice from the join, once when distinct: a window count
    # would count the repeats.
    for _ in range(2):
        MemberFactory(interests=list(topics[:10]))
    shared = Topic.objects.filter(members__isnull=False)
    assert shared.count() == 20
    distinct = shared.distinct().order_by("pk")
    ours = CountingPaginator(distinct, PER_PAGE).get_page("1")
    assert ours.paginator.count == distinct.count() == 10
