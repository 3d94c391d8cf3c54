"""A member's status changes only along allowed transitions, each one recorded."""

import pytest

from members.models import Member, MemberStatusChange
from members.services.lifecycle import (
    StatusChangeNotAllowed,
    member_change_status,
    member_leave,
    member_rejoin,
)
from tests.factories import MemberFactory, UserFactory, member_with_account

pytestmark = pytest.mark.django_db


def test_member_change_status_records_who_when_and_why():
    member = MemberFactory(status=Member.Status.ACTIVE)
    coordinator = UserFactory()

    member_change_status(
        member=member, to_status=Member.Status.LAPSED, reason="No reply", changed_by=coordinator
    )

    change = MemberStatusChange.objects.get(member=member)
    assert (change.from_status, change.to_status) == ("active", "lapsed")
    assert change.changed_by == coordinator
    assert change.reason == "No reply"
    member.refresh_from_db()
    assert member.status == Member.Status.LAPSED
    assert member.status_changed_at == change.changed_at


def test_member_change_status_refuses_illegal_transition_and_writes_nothing():
    member = MemberFactory(status=Member.Status.PROSPECT)

    with pytest.raises(StatusChangeNotAllowed):
        member_change_status(member=member, to_status=Member.Status.LAPSED, reason="nope")

    member.refresh_from_db()
    assert member.status == Member.Status.PROSPECT
    assert MemberStatusChange.objects.count() == 0


def test_member_leave_then_rejoin_keeps_full_history():
    member = member_with_account()

    member_leave(member=member, reason="Changing careers")
    member_rejoin(member=member)

    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE
    steps = list(
        member.status_changes.order_by("changed_at", "pk").values_list(
            "from_status", "to_status", "changed_by"
        )
    )
    assert steps == [
        ("active", "left", member.user_id),
        ("left", "active", member.user_id),
    ]
