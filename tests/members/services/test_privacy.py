"""A member's own data: exported whole, or erased whole."""

import pytest

from members.models import Member, MemberStatusChange
from members.services.lifecycle import member_leave
from members.services.privacy import account_delete, member_export_data
from tests.factories import member_with_account, topic

pytestmark = pytest.mark.django_db


def test_member_export_data_holds_profile_and_history():
    member = member_with_account(full_name="Ines Rossi", interests=[topic("leadership")])
    member_leave(member=member, reason="Busy")

    data = member_export_data(member=member)

    assert data["member"]["name"] == "Ines Rossi"
    assert data["member"]["interests"] == ["Leadership and management"]
    assert data["account"]["email"] == member.email
    assert [(s["from"], s["to"]) for s in data["status_history"]] == [("active", "left")]


def test_account_delete_erases_user_member_and_history():
    member = member_with_account()
    member_leave(member=member)
    user = member.user

    account_delete(user=user)

    assert not Member.objects.filter(pk=member.pk).exists()
    assert not MemberStatusChange.objects.exists()
    assert not type(user).objects.filter(pk=user.pk).exists()
