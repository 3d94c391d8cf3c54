"""Rules the database keeps, and the ranking of topic suggestions."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from meetings.models import Registration
from meetings.services.topics import suggestion_create, suggestion_vote
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_registration_unique_per_member_and_meeting_in_the_database():
    registration = RegistrationFactory()
    with pytest.raises(IntegrityError):
        Registration.objects.create(meeting=registration.meeting, member=registration.member)


def test_meeting_ending_before_it_starts_is_refused_by_the_database():
    starts = timezone.now() + timedelta(days=1)
    with pytest.raises(IntegrityError):
        MeetingFactory(starts_at=starts, ends_at=starts - timedelta(hours=1))


def test_meeting_capacity_zero_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        MeetingFactory(capacity=0)


def test_suggestions_ranked_by_votes():
    few = suggestion_create(member=MemberFactory(), title="Few")
    many = suggestion_create(member=MemberFactory(), title="Many")
    for _ in range(3):
        suggestion_vote(suggestion=many, member=MemberFactory())

    ranked = list(type(few).objects.ranked().values_list("title", "vote_count"))
    assert ranked == [("Many", 4), ("Few", 1)]
