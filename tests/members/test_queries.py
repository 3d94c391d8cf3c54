"""Every members page runs a fixed number of queries, however many rows it shows: the number is
stated, and the same for one row as for many."""

import pytest
from django.urls import reverse

from members.models import Topic
from tests.factories import MemberFactory, member_with_account, sector, topic
from tests.surveys.factories import InvitationFactory, SurveyFactory

pytestmark = pytest.mark.django_db

ROWS = [1, 30]


def add_members(n):
    for i in range(n):
        MemberFactory(
            sector=sector("health"),
            interests=[topic("outreach"), topic("edi")],
            full_name=f"Colleague {i:03d}",
        )


@pytest.mark.parametrize("rows", ROWS)
def test_directory_queries_for_a_member(client, django_assert_num_queries, rows):
    # Named to sort after the colleagues, so that the first page holds 20 of them.
    me = member_with_account(
        full_name="Zoë Viewer", sector=sector("public"), interests=[topic("outreach")]
    )
    add_members(rows)
    client.force_login(me.user)

    with django_assert_num_queries(8):
        response = client.get(reverse("members:directory"))
    # Cached: who is listed and in what order (so no count), the filters (their sectors and
    # topics) and the cards (their interests).
    with django_assert_num_queries(4):
        cached = client.get(reverse("members:directory"))

    for html in (response.content.decode(), cached.content.decode()):
        assert f"{rows + 1} members" in html
        assert html.count("Colleague ") == min(rows, 20)
    assert cached.content == response.content.replace(
        response.context["csrf_token"].encode(), cached.context["csrf_token"].encode()
    )


@pytest.mark.parametrize("rows", ROWS)
def test_me_queries_with_colleagues_and_open_surveys(client, django_assert_num_queries, rows):
    me = member_with_account(sector=sector("public"), interests=[topic("outreach")])
    add_members(rows)
    for i in range(rows):
        InvitationFactory(member=me, survey=SurveyFactory(title=f"Pulse {i:03d}"))
    client.force_login(me.user)

    with django_assert_num_queries(9):
        response = client.get(reverse("members:me"))
    # The ranking of suggestions is cached (members/suggestions.py) and so are the cards
    # (templates/members/_suggestions.html): the suggested rows are read fresh, not their interests.
    with django_assert_num_queries(7):
        again = client.get(reverse("members:me"))

    for html in (response.content.decode(), again.content.decode()):
        assert html.count("Colleague ") == min(rows, 6)
        assert html.count("Pulse ") == min(rows, 10)


@pytest.mark.parametrize("interests", [1, 16])
def test_member_detail_queries_of_a_colleague(client, django_assert_num_queries, interests):
    shared = list(Topic.objects.order_by("pk")[:interests])
    me = member_with_account(sector=sector("public"), interests=shared)
    colleague = MemberFactory(sector=sector("health"), interests=shared, full_name="Hana Health")
    client.force_login(me.user)

    with django_assert_num_queries(6):
        response = client.get(colleague.get_absolute_url())

    html = response.content.decode()
    assert "<h1>Hana Health</h1>" in html
    assert html.count("(shared with you)") == interests


@pytest.mark.parametrize("rows", ROWS)
def test_member_detail_queries_of_oneself(client, django_assert_num_queries, rows):
    # Named to sort after the colleagues, so that the first page holds 20 of them.
    me = member_with_account(
        full_name="Zoë Viewer", sector=sector("public"), interests=[topic("outreach")]
    )
    add_members(rows)
    client.force_login(me.user)

    with django_assert_num_queries(8):
        response = client.get(me.get_absolute_url())

    html = response.content.decode()
    assert "People from other sectors who share your interests" in html
    assert html.count("Colleague ") == min(rows, 6)
