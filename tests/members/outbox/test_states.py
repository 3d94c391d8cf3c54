"""The outbox's state machine: transitions happen only along TRANSITIONS, whoever asks."""

import smtplib
from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import OutgoingEmail
from members.outbox import states
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

State = OutgoingEmail.State


def email(member=None, **fields) -> OutgoingEmail:
    member = member or MemberFactory()
    return OutgoingEmail.objects.create(
        dedupe_key=f"test:{OutgoingEmail.objects.count()}",
        kind=OutgoingEmail.Kind.WELCOME,
        member=member,
        to_email=member.email,
        subject="Hello",
        body_text="Hello",
        **fields,
    )


def test_every_state_has_its_transitions_stated():
    assert set(states.TRANSITIONS) == set(State.values)


def test_a_bounced_address_starts_suppressed():
    assert states.initial_state(member=MemberFactory(email_bounced_at=timezone.now())) == (
        State.SUPPRESSED
    )
    assert states.initial_state(member=MemberFactory()) == State.QUEUED


def test_claim_takes_due_rows_and_rows_past_their_lease_only():
    now = timezone.now()
    due = email()
    email(not_before=now + timedelta(minutes=5))  # backing off
    email(state=State.SENT)
    email(state=State.SUPPRESSED)
    stale = email(state=State.SENDING, claimed_at=now - timedelta(hours=1))
    email(state=State.SENDING, claimed_at=now)  # its worker is alive

    claimed = states.emails_claim(queryset=OutgoingEmail.objects.all(), now=now)

    assert {row.pk for row in claimed} == {due.pk, stale.pk}
    assert {row.state for row in claimed} == {State.SENDING}
    assert {row.attempts for row in claimed} == {1}


def test_mark_sent_does_not_touch_a_row_that_is_not_sending():
    queued = email()

    states.emails_mark_sent(emails=[queued])

    queued.refresh_from_db()
    assert queued.state == State.QUEUED
    assert queued.sent_at is None


def test_a_transient_failure_backs_off_and_the_last_attempt_fails(settings):
    row = email(state=State.SENDING, attempts=1)
    now = timezone.now()

    states.email_retry_or_fail(email=row, exc=TimeoutError("slow"), now=now)
    row.refresh_from_db()
    assert (row.state, row.not_before) == (State.QUEUED, now + timedelta(seconds=60))

    OutgoingEmail.objects.filter(pk=row.pk).update(
        state=State.SENDING, attempts=settings.OUTBOX_MAX_ATTEMPTS
    )
    row.refresh_from_db()
    states.email_retry_or_fail(email=row, exc=TimeoutError("slow"), now=now)
    row.refresh_from_db()
    assert (row.state, row.last_error) == (State.FAILED, "TimeoutError: slow")


def test_a_bounce_fails_the_row_and_marks_the_address():
    member = MemberFactory()
    row = email(member, state=State.SENDING, attempts=1)
    now = timezone.now()

    states.email_bounce(
        email=row, exc=smtplib.SMTPRecipientsRefused({row.to_email: (550, b"no")}), now=now
    )

    row.refresh_from_db()
    member.refresh_from_db()
    assert row.state == State.FAILED
    assert member.email_bounced_at == now


def test_requeue_takes_failed_rows_only():
    failed = email(state=State.FAILED, attempts=6)
    sent = email(state=State.SENT)

    count = states.emails_requeue_failed(emails=OutgoingEmail.objects.all())

    failed.refresh_from_db()
    sent.refresh_from_db()
    assert count == 1
    assert (failed.state, failed.attempts) == (State.QUEUED, 0)
    assert sent.state == State.SENT
