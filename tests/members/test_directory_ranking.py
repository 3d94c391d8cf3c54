"""Who the directory lists, and in what order, is cached under the members' version
(members/views.directory, members/listing.py): a change shows at once."""

import pytest
from django.urls import reverse

from members.models import Member
from tests.factories import MemberFactory, member_with_account

pytestmark = pytest.mark.django_db


def listed(client, query="") -> list[str]:
    response = client.get(reverse("members:directory") + query)
    return [m.full_name for m in response.context["page"].object_list]


def test_a_newcomer_a_rename_and_a_departure_show_at_once(client):
    me = member_with_account(full_name="Mo Me")
    client.force_login(me.user)
    bea = MemberFactory(full_name="Bea Books")
    assert listed(client) == ["Bea Books", "Mo Me"]  # now cached

    MemberFactory(full_name="Al Archive")
    assert listed(client) == ["Al Archive", "Bea Books", "Mo Me"]

    bea.full_name = "Zed Books"
    bea.save()
    assert listed(client) == ["Al Archive", "Mo Me", "Zed Books"]
    assert listed(client, "?q=zed") == ["Zed Books"]

    bea.status = Member.Status.LEFT
    bea.save()
    assert listed(client) == ["Al Archive", "Mo Me"]


def test_someone_who_left_without_a_signal_is_not_listed(client):
    """A bulk update sends no signal: the page's rows are still read through the directory's
    own filter, so nobody who left is shown."""
    me = member_with_account(full_name="Mo Me")
    client.force_login(me.user)
    gone = MemberFactory(full_name="Gil Gone")
    assert listed(client) == ["Gil Gone", "Mo Me"]

    Member.objects.filter(pk=gone.pk).update(status=Member.Status.LEFT)

    assert listed(client) == ["Mo Me"]
