"""Queueing an email: once per dedupe key, and never to an address that bounced."""

import pytest
from django.core import mail

from members.models import OutgoingEmail
from members.outbox.queue import outgoing_email_queue
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


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
