"""The dashboard and the at-risk list run a fixed number of queries, whatever the community's
size: SQL aggregates, never a query per member, meeting or round."""

import pytest
from django.contrib.auth.models import Group

from tests.copsite.factories import community_with_history
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("size", ["one member", "a community with history"])
def test_dashboard_query_count_does_not_grow_with_the_community(
    coordinator_client, django_assert_num_queries, size
):
    if size == "one member":
        MemberFactory()
    else:
        community_with_history(members=200, events=2000)

    # Session, user, 2 for permissions, sectors, then one per figure (two for resources), at
    # risk, re-engagements waiting.
    with django_assert_num_queries(16):
        response = coordinator_client.get("/admin/dashboard/", {"months": "12"})

    assert response.status_code == 200


def test_dashboard_at_5000_members_and_50000_engagement_events_stays_within_25_queries(
    coordinator_client, django_assert_num_queries
):
    community_with_history(members=5000, events=50_000)

    with django_assert_num_queries(16):
        response = coordinator_client.get("/admin/dashboard/")

    assert response.status_code == 200
    levels = response.context["overview"].sections[-1].table
    assert levels.rows[-1][5] == 4000  # every active member is given a level


@pytest.mark.parametrize("size", ["one member", "a community with history"])
def test_at_risk_query_count_does_not_grow_with_the_list(
    coordinator_client, django_assert_num_queries, size
):
    if size == "one member":
        MemberFactory()
    else:
        community_with_history(members=400, events=400)

    # Session, user, 2 for permissions, the list and its count, waiting and its count, outcomes.
    with django_assert_num_queries(9):
        response = coordinator_client.get("/admin/dashboard/at-risk/")

    assert response.status_code == 200
