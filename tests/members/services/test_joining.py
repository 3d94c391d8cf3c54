"""Joining: signing up links or creates the member; confirming the address activates them."""

import pytest
from django.core import mail

from members.models import Member, OutgoingEmail
from members.services.joining import member_activate_on_verification, member_register
from tests.factories import MemberFactory, UserFactory, sector

pytestmark = pytest.mark.django_db


def test_member_register_links_imported_prospect_instead_of_duplicating():
    prospect = MemberFactory(
        email="ada@example.org", status=Member.Status.PROSPECT, source=Member.Source.IMPORT
    )
    user = UserFactory(email="Ada@Example.org", verified=False)

    # Unverified: whoever typed the address changes nothing (tests/members/test_identity.py).
    assert (
        member_register(
            user=user, full_name="Ada Lovelace", sector=sector("academic"), organisation="Uni"
        )
        is None
    )
    member = member_activate_on_verification(user=user)

    assert member.pk == prospect.pk
    assert Member.objects.filter(email__iexact="ada@example.org").count() == 1
    member.refresh_from_db()
    assert member.user == user
    assert member.full_name == "Ada Lovelace"
    assert member.sector == sector("academic")
    assert member.status == Member.Status.ACTIVE


def test_member_register_creates_record_for_new_address():
    user = UserFactory(email="new@example.org", verified=False)

    member = member_register(user=user, full_name="New Person", sector=sector("school"))

    assert member.email == "new@example.org"
    assert member.source == Member.Source.SIGNUP
    assert member.status == Member.Status.PROSPECT


def test_member_activate_on_verification_activates_and_welcomes_once(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="grace@example.org")
    member_register(user=user, full_name="Grace Hopper", sector=sector("special"))

    with django_capture_on_commit_callbacks(execute=True):
        member = member_activate_on_verification(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        member_activate_on_verification(user=user)

    assert member.status == Member.Status.ACTIVE
    assert member.joined_at is not None
    assert OutgoingEmail.objects.filter(member=member, kind="welcome").count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["grace@example.org"]
    assert message.subject.startswith("Welcome to the")
    assert "Grace Hopper" in message.body
    assert "http://127.0.0.1:8000/members/me/profile/" in message.body
    html = message.alternatives[0][0]
    assert 'href="http://127.0.0.1:8000/members/"' in html
    email = OutgoingEmail.objects.get(member=member)
    assert email.state == OutgoingEmail.State.SENT
    assert email.attempts == 1
