"""The cross-sector introduction (members/suggestions.py): who is introduced to whom, and its
cached ranking never shows someone who no longer qualifies, misses someone new, or follows one
member's interests for another."""

import pytest
from django.urls import reverse

from members.models import Member
from members.suggestions import suggestions_for
from tests.factories import MemberFactory, member_with_account, sector, topic

pytestmark = pytest.mark.django_db


def names(member) -> list[str]:
    return [m.full_name for m in suggestions_for(member, limit=6)]


def test_introduces_across_sectors_only_most_shared_interests_first():
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

    suggestions = suggestions_for(me, limit=6)

    assert suggestions == [both, one]
    assert [s.shared_interests for s in suggestions] == [2, 1]
    assert suggestions_for(me, limit=1) == [both]
    assert suggestions_for(MemberFactory(interests=[]), limit=6) == []


def test_a_new_colleague_or_a_new_shared_interest_shows_at_once():
    me = MemberFactory(sector=sector("public"), interests=[topic("edi")])
    assert names(me) == []  # an empty ranking, now cached
    colleague = MemberFactory(full_name="New Colleague", sector=sector("health"))
    colleague.interests.add(topic("edi"))
    assert names(me) == ["New Colleague"]

    me.interests.add(topic("outreach"))
    MemberFactory(full_name="Outreach Only", sector=sector("legal"), interests=[topic("outreach")])
    assert names(me) == ["New Colleague", "Outreach Only"]


def test_someone_who_hides_interests_leaves_or_joins_my_sector_is_gone_at_once():
    me = MemberFactory(sector=sector("public"), interests=[topic("edi")])
    hides = MemberFactory(full_name="Hides", sector=sector("health"), interests=[topic("edi")])
    leaves = MemberFactory(full_name="Leaves", sector=sector("legal"), interests=[topic("edi")])
    moves = MemberFactory(full_name="Moves", sector=sector("school"), interests=[topic("edi")])
    assert names(me) == ["Hides", "Leaves", "Moves"]

    # Bulk updates send no signal: the cached ranking is still read through the filter.
    Member.objects.filter(pk=hides.pk).update(interests_visibility="hidden")
    Member.objects.filter(pk=leaves.pk).update(status="left")
    Member.objects.filter(pk=moves.pk).update(sector=sector("public"))
    assert names(me) == []


def test_each_member_gets_their_own_ranking():
    edi = [topic("edi")]
    public = MemberFactory(full_name="Pat Public", sector=sector("public"), interests=edi)
    health = MemberFactory(full_name="Hal Health", sector=sector("health"), interests=edi)
    MemberFactory(full_name="Lee Legal", sector=sector("legal"), interests=edi)
    assert names(public) == ["Hal Health", "Lee Legal"]
    assert names(health) == ["Lee Legal", "Pat Public"]
    public.sector = sector("legal")  # my own sector is in the key too
    assert names(public) == ["Hal Health"]


def test_the_me_page_shows_current_cards(client):
    """The cards are a cached fragment (templates/members/_suggestions.html): a profile edit
    shows at once, and someone who left is gone at once even when no signal was sent."""
    me = member_with_account(sector=sector("public"), interests=[topic("edi")])
    colleague = MemberFactory(full_name="Cam Colleague", sector=sector("health"))
    colleague.interests.add(topic("edi"))
    client.force_login(me.user)
    assert "Cam Colleague" in client.get(reverse("members:me")).content.decode()

    colleague.full_name = "Cam Renamed"
    colleague.organisation_visibility = "members"
    colleague.organisation = "Riverside Hospital Library"
    colleague.save()
    html = client.get(reverse("members:me")).content.decode()
    assert "Cam Renamed" in html and "Cam Colleague" not in html
    assert "Riverside Hospital Library" in html
    assert "Outreach" not in html

    colleague.interests.add(topic("outreach"))  # their interests, on the card
    assert "Outreach" in client.get(reverse("members:me")).content.decode()

    Member.objects.filter(pk=colleague.pk).update(status="left")
    assert "Cam Renamed" not in client.get(reverse("members:me")).content.decode()
