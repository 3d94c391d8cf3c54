"""Check-ins, surveys and announcements go only to people with a recorded consent (CASL):
express consent, a member's implied consent, or a prospect's implied consent under two years
old. Reminders and the digest, which go to members only, are unchanged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.contact import IMPLIED_CONSENT_DAYS, members_contactable
from members.models import Member, OutgoingEmail
from surveys.services.checkins import members_due_for_checkin
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def people():
    prospect = Member.Status.PROSPECT
    return {
        "express prospect": MemberFactory(status=prospect, email_consent="express"),
        "fresh implied prospect": MemberFactory(
            status=prospect, email_consent="implied", email_consent_on=days_ago(100)
        ),
        "stale implied prospect": MemberFactory(
            status=prospect,
            email_consent="implied",
            email_consent_on=days_ago(IMPLIED_CONSENT_DAYS + 1),
        ),
        "prospect without consent": MemberFactory(
            status=prospect, email_consent="", email_consent_on=None
        ),
        "member by membership": MemberFactory(
            email_consent="implied", email_consent_on=days_ago(IMPLIED_CONSENT_DAYS * 3)
        ),
        "member without consent": MemberFactory(email_consent="", email_consent_on=None),
    }


def names(people, queryset):
    chosen = set(queryset)
    return {name for name, member in people.items() if member in chosen}


@pytest.mark.parametrize("kind", [OutgoingEmail.Kind.CHECKIN, OutgoingEmail.Kind.SURVEY])
def test_checkins_and_surveys_need_a_recorded_consent(people, kind):
    contactable = names(people, members_contactable(kind=kind))

    assert contactable == {
        "express prospect",
        "fresh implied prospect",
        "member by membership",
    }


def test_announcements_to_prospects_need_a_recorded_consent_too(people):
    statuses = [Member.Status.ACTIVE, Member.Status.PROSPECT]

    contactable = names(
        people, members_contactable(kind=OutgoingEmail.Kind.ANNOUNCEMENT, statuses=statuses)
    )

    assert contactable == {
        "express prospect",
        "fresh implied prospect",
        "member by membership",
    }


@pytest.mark.parametrize("kind", [OutgoingEmail.Kind.REMINDER, OutgoingEmail.Kind.DIGEST])
def test_members_only_emails_do_not_ask_for_consent(people, kind):
    contactable = names(people, members_contactable(kind=kind))

    assert contactable == {"member by membership", "member without consent"}


def test_prospect_without_consent_is_not_due_a_checkin():
    long_ago = timezone.now() - timedelta(days=60)
    with_consent = MemberFactory(status="prospect", created_at=long_ago, joined_at=None)
    MemberFactory(
        status="prospect",
        created_at=long_ago,
        joined_at=None,
        email_consent="",
        email_consent_on=None,
    )

    assert list(members_due_for_checkin()) == [with_consent]


def test_implied_consent_of_a_prospect_lapses_on_its_second_anniversary():
    consented = timezone.localdate() - timedelta(days=IMPLIED_CONSENT_DAYS - 1)
    prospect = MemberFactory(status="prospect", email_consent="implied", email_consent_on=consented)
    kind = OutgoingEmail.Kind.CHECKIN

    assert list(members_contactable(kind=kind)) == [prospect]
    assert list(members_contactable(kind=kind, now=timezone.now() + timedelta(days=2))) == []
