"""Topic suggestions: members propose what to meet about and vote."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from meetings.models import TopicSuggestion, TopicVote
from members.models import Member


class VoteRefused(Exception):
    """A vote that the rules forbid; the message is for the member."""


def suggestion_create(*, member: Member, title: str, description: str = "") -> TopicSuggestion:
    with transaction.atomic():
        suggestion = TopicSuggestion.objects.create(
            title=title, description=description, suggested_by=member
        )
        # Suggesting a topic is a vote for it.
        TopicVote.objects.create(suggestion=suggestion, member=member)
    return suggestion


def suggestion_vote(*, suggestion: TopicSuggestion, member: Member) -> TopicVote:
    if suggestion.status != TopicSuggestion.Status.OPEN:
        raise VoteRefused(gettext("Voting on this suggestion has closed."))
    try:
        with transaction.atomic():
            return TopicVote.objects.create(suggestion=suggestion, member=member)
    except IntegrityError:
        raise VoteRefused(gettext("You have already voted for this topic.")) from None


def suggestion_unvote(*, suggestion: TopicSuggestion, member: Member) -> bool:
    deleted, _ = TopicVote.objects.filter(suggestion=suggestion, member=member).delete()
    return bool(deleted)
