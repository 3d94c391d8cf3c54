"""Topic suggestions and votes: one vote per member."""

import pytest

from meetings.models import TopicVote
from meetings.services.topics import VoteRefused, suggestion_create, suggestion_vote
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_suggestion_create_counts_the_suggesters_vote():
    member = MemberFactory()
    suggestion = suggestion_create(member=member, title="Makerspaces")
    assert list(suggestion.votes.values_list("member_id", flat=True)) == [member.pk]


def test_suggestion_vote_twice_refused_and_one_vote_kept():
    suggestion = suggestion_create(member=MemberFactory(), title="Makerspaces")
    voter = MemberFactory()
    suggestion_vote(suggestion=suggestion, member=voter)

    with pytest.raises(VoteRefused, match="already voted"):
        suggestion_vote(suggestion=suggestion, member=voter)

    assert TopicVote.objects.filter(suggestion=suggestion).count() == 2
