"""Member querysets: who the directory introduces to whom."""

import pytest

from members.models import Member
from tests.factories import MemberFactory, sector, topic

pytestmark = pytest.mark.django_db


def test_from_other_sectors_sharing_interests_introduces_across_sectors_only():
    me = MemberFactory(sector=sector("public"), interests=[topic("outreach"), topic("edi")])
    both = MemberFactory(
        full_name="Both Shared",
        sector=sector("health"),
        interests=[topic("outreach"), topic("edi")],
    )
    one = MemberFactory(full_name="One Shared", sector=sector("legal"), interests=[topic("edi")])
    MemberFactory(full_name="Same Sector", sector=sector("public"), interests=[topic("edi")])
    MemberFactory(full_name="No Overlap", sector=sector("school"), interests=[topic("leadership")])
    MemberFactory(
        full_name="Hidden Interests",
        sector=sector("school"),
        interests=[topic("edi")],
        interests_visibility="hidden",
    )
    MemberFactory(
        full_name="Left", sector=sector("school"), interests=[topic("edi")], status="left"
    )

    suggestions = list(Member.objects.from_other_sectors_sharing_interests(me))

    assert suggestions == [both, one]
    assert [s.shared_interests for s in suggestions] == [2, 1]
