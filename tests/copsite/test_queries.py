"""The home page runs a fixed number of queries, however many members, meetings and featured
resources there are: the number is stated, and the same for one of each as for many."""

import pytest
from django.urls import reverse

from members.models import Sector
from resources.models import Visibility
from tests.factories import MemberFactory, member_with_account
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [1, 30])
# The active members per sector are counted once, then kept under the members' version.
@pytest.mark.parametrize(("who", "queries"), [("visitor", 4), ("member", 7)])
def test_home_page_queries_by_viewer(client, django_assert_num_queries, who, queries, rows):
    sectors = list(Sector.objects.all())
    for i in range(rows):
        MemberFactory(sector=sectors[i % len(sectors)])
        MeetingFactory(title=f"Meetup {i:03d}")
        visibility = Visibility.MEMBERS if i % 2 else Visibility.PUBLIC
        ResourceFactory(title=f"Featured {i:03d}", featured=True, visibility=visibility)
    if who == "member":
        client.force_login(member_with_account().user)

    with django_assert_num_queries(queries):
        response = client.get(reverse("home"))
    with django_assert_num_queries(queries - 1):
        client.get(reverse("home"))

    html = response.content.decode()
    assert html.count("Meetup ") == min(rows, 3)
    visible = rows if who == "member" else len(range(0, rows, 2))  # visitors see public ones
    assert html.count("Featured ") == min(visible, 3)
