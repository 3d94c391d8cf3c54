"""Who may be emailed about what: one rule per kind, and one-click unsubscribe switches off
exactly what that rule reads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.contact import CONTACT_RULES, member_unsubscribe, members_contactable
from members.models import Member, OutgoingEmail
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

Kind = OutgoingEmail.Kind


def test_members_contactable_for_checkins_leaves_out_paused_bounced_left_and_lapsed():
    active = MemberFactory()
    prospect = MemberFactory(status=Member.Status.PROSPECT)
    MemberFactory(checkin_cadence="paused")
    MemberFactory(checkins_paused_until=timezone.localdate() + timedelta(days=10))
    MemberFactory(email_bounced_at=timezone.now())
    MemberFactory(status=Member.Status.LEFT)
    MemberFactory(status=Member.Status.LAPSED)

    contactable = set(members_contactable(kind=Kind.CHECKIN))

    assert contactable == {active, prospect}


def test_a_pause_that_has_ended_no_longer_holds_checkins():
    back = MemberFactory(checkins_paused_until=timezone.localdate() - timedelta(days=1))

    assert list(members_contactable(kind=Kind.CHECKIN)) == [back]


def test_reminders_and_digests_follow_their_own_preference_for_active_members_only():
    both = MemberFactory()
    no_reminders = MemberFactory(wants_meeting_reminders=False)
    no_digest = MemberFactory(wants_digest=False)
    MemberFactory(status=Member.Status.PROSPECT)

    assert set(members_contactable(kind=Kind.REMINDER)) == {both, no_digest}
    assert set(members_contactable(kind=Kind.DIGEST)) == {both, no_reminders}


def test_a_caller_may_choose_the_statuses_of_its_audience():
    left = MemberFactory(status=Member.Status.LEFT)
    MemberFactory(status=Member.Status.LEFT, checkin_cadence="paused")

    people = members_contactable(kind=Kind.SURVEY, statuses=[Member.Status.LEFT])

    assert list(people) == [left]


@pytest.mark.parametrize("kind", sorted(CONTACT_RULES))
def test_unsubscribing_from_a_kind_makes_the_person_not_contactable_for_it(kind):
    member = MemberFactory()
    assert list(members_contactable(kind=kind)) == [member]

    member_unsubscribe(member=member, kind=kind)
    member_unsubscribe(member=member, kind=kind)  # a second click changes nothing

    assert list(members_contactable(kind=kind)) == []
