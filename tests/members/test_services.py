import pytest
from django.conf import settings
from django.core import mail

from members.models import Member, MemberStatusChange, OutgoingEmail
from members.outbox.queue import outgoing_email_queue
from members.outbox.render import outgoing_email_render
from members.services.joining import member_activate_on_verification, member_register
from members.services.lifecycle import (
    StatusChangeNotAllowed,
    member_change_status,
    member_leave,
    member_rejoin,
)
from members.services.privacy import account_delete, member_export_data
from tests.factories import MemberFactory, UserFactory, member_with_account, sector, topic

pytestmark = pytest.mark.django_db


def test_member_register_links_imported_prospect_instead_of_duplicating():
    prospect = MemberFactory(
        email="ada@example.org", status=Member.Status.PROSPECT, source=Member.Source.IMPORT
    )
    user = UserFactory(email="Ada@Example.org", verified=False)

    member = member_register(
        user=user, full_name="Ada Lovelace", sector=sector("academic"), organisation="Uni"
    )

    assert member.pk == prospect.pk
    assert Member.objects.filter(email__iexact="ada@example.org").count() == 1
    member.refresh_from_db()
    assert member.user == user
    assert member.full_name == "Ada Lovelace"
    assert member.sector == sector("academic")
    assert member.status == Member.Status.PROSPECT


def test_member_register_creates_record_for_new_address():
    user = UserFactory(email="new@example.org", verified=False)

    member = member_register(user=user, full_name="New Person", sector=sector("school"))

    assert member.email == "new@example.org"
    assert member.source == Member.Source.SIGNUP
    assert member.status == Member.Status.PROSPECT


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


def test_outgoing_email_queue_is_idempotent_per_dedupe_key(django_capture_on_commit_callbacks):
    member = MemberFactory()

    with django_capture_on_commit_callbacks(execute=True):
        first = outgoing_email_queue(
            kind="welcome",
            dedupe_key="k1",
            template="members/email/welcome",
            context={"member": member},
            member=member,
        )
        second = outgoing_email_queue(
            kind="welcome",
            dedupe_key="k1",
            template="members/email/welcome",
            context={"member": member},
            member=member,
        )

    assert first.pk == second.pk
    assert len(mail.outbox) == 1


def test_outgoing_email_to_bounced_address_is_suppressed(django_capture_on_commit_callbacks):
    member = MemberFactory(email_bounced_at="2026-01-01T00:00:00Z")

    with django_capture_on_commit_callbacks(execute=True):
        email = outgoing_email_queue(
            kind="welcome",
            dedupe_key="k2",
            template="members/email/welcome",
            context={"member": member},
            member=member,
        )

    assert email.state == OutgoingEmail.State.SUPPRESSED
    assert mail.outbox == []


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


def test_outgoing_email_text_parts_are_not_html_escaped():
    member = MemberFactory(full_name="Siobhán O'Brien & Co <Library>")

    email = outgoing_email_render(
        kind=OutgoingEmail.Kind.WELCOME,
        dedupe_key="test:plain",
        template="members/email/welcome",
        context={"member": member},
        member=member,
    )

    assert email.subject == (
        f"Welcome to the {settings.COMMUNITY_NAME}, Siobhán O'Brien & Co <Library>"
    )
    assert "Siobhán O'Brien & Co <Library>" in email.body_text
    assert "&#x27;" not in email.body_text
    # The HTML part, where there is one, still escapes.
    assert "<Library>" not in email.body_html
