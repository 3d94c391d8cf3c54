"""Bounces and complaints from the provider (Mailgun's tracking webhook through django-anymail):
signed payloads are believed, anything else changes nothing; hard bounces and complaints
suppress at once, soft bounces count towards OUTBOX_SOFT_BOUNCE_LIMIT, a changed address clears
the flag.

The payloads follow Mailgun's documented webhook format ("event-data" plus a "signature" block:
HMAC-SHA256 of timestamp + token with the webhook signing key)."""

import hashlib
import hmac
import json
import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from members.contact import members_contactable
from members.models import DeliveryEvent, Member, OutgoingEmail
from members.outbox.queue import bulk_email_queue, outgoing_email_queue
from tests.factories import MemberFactory, UserFactory
from tests.outbox_helpers import deliver_all

pytestmark = pytest.mark.django_db

KEY = "key-test-webhook-signing-0123456789abcdef"
URL = reverse("mailgun_tracking")


@pytest.fixture(autouse=True)
def _signing_key(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}
    settings.OUTBOX_SOFT_BOUNCE_LIMIT = 3


def signature(key=KEY, timestamp=None, token=None) -> dict:
    timestamp = timestamp or str(int(time.time()))
    token = token or uuid.uuid4().hex + uuid.uuid4().hex[:18]
    digest = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": digest}


def payload(event: str, email: OutgoingEmail | None = None, *, recipient=None, **data) -> dict:
    """A Mailgun webhook body, as Mailgun posts it, about one sent outbox row."""
    recipient = recipient or email.to_email
    message_id = email.message_id.strip("<>") if email else f"{uuid.uuid4().hex}@elsewhere"
    return {
        "signature": signature(),
        "event-data": {
            "event": event,
            "id": uuid.uuid4().hex[:22],
            "timestamp": time.time(),
            "recipient": recipient,
            "message": {
                "headers": {
                    "to": recipient,
                    "message-id": message_id,
                    "from": "hello@localhost",
                    "subject": email.subject if email else "Hello",
                },
                "attachments": [],
                "size": 1234,
            },
            "user-variables": {},
            "tags": [],
            **data,
        },
    }


def hard_bounce(email, **kwargs):
    return payload(
        "failed",
        email,
        severity="permanent",
        reason="bounce",
        **{"delivery-status": {"code": 550, "message": "5.1.1 No such mailbox", "description": ""}},
        **kwargs,
    )


def soft_bounce(email, **kwargs):
    return payload(
        "failed",
        email,
        severity="temporary",
        reason="generic",
        **{"delivery-status": {"code": 452, "message": "4.2.2 Mailbox full", "description": ""}},
        **kwargs,
    )


def post(body: dict):
    # The provider posts without cookies or a CSRF token.
    return Client(enforce_csrf_checks=True).post(
        URL, json.dumps(body), content_type="application/json"
    )


def sent_email(member, n=0) -> OutgoingEmail:
    email = outgoing_email_queue(
        kind=OutgoingEmail.Kind.WELCOME,
        dedupe_key=f"test:{member.pk}:{n}",
        member=member,
        template="members/email/welcome",
        context={"member": member},
    )
    deliver_all()
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT
    return email


def test_emails_leave_with_the_rows_message_id():
    member = MemberFactory()
    email = outgoing_email_queue(
        kind=OutgoingEmail.Kind.WELCOME,
        dedupe_key="test:id",
        member=member,
        template="members/email/welcome",
        context={"member": member},
    )

    [message] = deliver_all()

    assert message.message()["Message-ID"] == email.message_id
    assert OutgoingEmail.objects.for_message_id(email.message_id.strip("<>")).get() == email


def test_a_signed_hard_bounce_suppresses_the_address_and_marks_the_email():
    member = MemberFactory()
    email = sent_email(member)

    response = post(hard_bounce(email))

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.email_bounced_at is not None
    assert member.email_suppressed_reason == "hard_bounce"
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.BOUNCED
    assert "No such mailbox" in email.last_error
    assert not members_contactable(kind="checkin").filter(pk=member.pk).exists()
    [event] = DeliveryEvent.objects.all()
    assert (event.kind, event.email, event.member, event.esp) == (
        "hard_bounce",
        email,
        member,
        "Mailgun",
    )


@pytest.mark.parametrize(
    "forge",
    [
        lambda body: body["signature"].update(signature="0" * 64),
        lambda body: body["signature"].update(signature(key="another-key")),
        lambda body: (
            body["event-data"].update(recipient="someone-else@example.org")
            or body["signature"].update(token="reused-" + body["signature"]["token"])
        ),
        lambda body: body.pop("signature"),
    ],
    ids=["bad-signature", "other-key", "token-changed", "unsigned"],
)
def test_an_unsigned_or_forged_report_is_refused_and_changes_nothing(forge):
    member = MemberFactory()
    email = sent_email(member)
    body = hard_bounce(email)
    forge(body)

    response = post(body)

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.email_bounced_at is None
    assert DeliveryEvent.objects.count() == 0


def test_without_a_signing_key_the_webhook_is_off(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": ""}
    member = MemberFactory()

    response = post(hard_bounce(sent_email(member)))

    assert response.status_code == 404
    assert Member.objects.get(pk=member.pk).email_bounced_at is None


def test_a_complaint_suppresses_and_holds_what_is_still_queued():
    member = MemberFactory()
    email = sent_email(member)
    waiting = bulk_email_queue(
        kind=OutgoingEmail.Kind.DIGEST,
        dedupe_key="test:digest",
        member=member,
        template="emails/digest",
        context={"meetings": [], "resources": [], "suggestions": []},
    )
    account = outgoing_email_queue(
        kind=OutgoingEmail.Kind.ACCOUNT,
        dedupe_key="test:account",
        member=member,
        template="members/email/welcome",
        context={"member": member},
    )

    post(payload("complained", email))

    member.refresh_from_db()
    assert member.email_suppressed_reason == "complaint"
    waiting.refresh_from_db()
    assert waiting.state == OutgoingEmail.State.SUPPRESSED
    account.refresh_from_db()
    assert account.state == OutgoingEmail.State.QUEUED  # asked for on the site: still goes
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENT  # it did arrive


def test_soft_bounces_of_different_emails_suppress_at_the_threshold():
    member = MemberFactory()
    emails = [sent_email(member, n) for n in range(3)]

    post(soft_bounce(emails[0]))
    post(soft_bounce(emails[1]))
    member.refresh_from_db()
    after_two = (member.email_soft_bounces, member.email_bounced_at)
    post(soft_bounce(emails[2]))

    assert after_two == (2, None)
    member.refresh_from_db()
    assert member.email_soft_bounces == 3
    assert member.email_suppressed_reason == "soft_bounces"
    assert all(OutgoingEmail.objects.get(pk=e.pk).state == OutgoingEmail.State.SENT for e in emails)


def test_retries_of_one_deferred_email_count_once():
    member = MemberFactory()
    email = sent_email(member)

    for _ in range(4):  # the provider retries, and reports each attempt
        post(soft_bounce(email))

    member.refresh_from_db()
    assert (member.email_soft_bounces, member.email_bounced_at) == (1, None)
    assert DeliveryEvent.objects.filter(kind="soft_bounce").count() == 4


def test_a_delivery_starts_the_soft_bounce_count_again():
    member = MemberFactory()
    first, second, third = (sent_email(member, n) for n in range(3))

    post(soft_bounce(first))
    post(soft_bounce(second))
    post(payload("delivered", third))

    member.refresh_from_db()
    assert (member.email_soft_bounces, member.email_bounced_at) == (0, None)


def test_the_same_report_twice_is_recorded_and_counted_once():
    member = MemberFactory()
    body = soft_bounce(sent_email(member))

    first, second = post(body), post(body)

    assert (first.status_code, second.status_code) == (200, 200)
    assert DeliveryEvent.objects.count() == 1
    member.refresh_from_db()
    assert member.email_soft_bounces == 1


def test_a_late_report_about_an_old_address_leaves_the_new_one_alone():
    member = MemberFactory(email="old@example.org")
    email = sent_email(member)
    Member.objects.filter(pk=member.pk).update(email="new@example.org")

    post(hard_bounce(email))

    member.refresh_from_db()
    assert member.email_bounced_at is None
    assert DeliveryEvent.objects.get().member is None


def test_a_report_about_mail_sent_elsewhere_finds_the_member_by_address():
    member = MemberFactory(email="known@example.org")

    post(hard_bounce(None, recipient="known@example.org"))

    member.refresh_from_db()
    assert member.email_suppressed_reason == "hard_bounce"


def test_opens_and_clicks_change_nothing():
    member = MemberFactory()
    email = sent_email(member)

    response = post(payload("opened", email))

    assert response.status_code == 200
    assert DeliveryEvent.objects.count() == 0


def test_a_coordinator_changing_the_address_clears_the_flag(client):
    member = MemberFactory(email="old@example.org")
    post(hard_bounce(sent_email(member)))
    member.refresh_from_db()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:members_member_change", args=[member.pk])
    bounced = member.email_bounced_at.astimezone()
    data = {
        "full_name": member.full_name,
        "email": "new@example.org",
        "sector": member.sector_id,
        "organisation": member.organisation,
        "job_title": member.job_title,
        "time_zone": member.time_zone,
        "language": member.language,
        "source": member.source,
        "checkin_cadence": member.checkin_cadence,
        "wants_meeting_reminders": "on",
        "wants_digest": "on",
        "wants_announcements": "on",
        # The form still shows the old address's flag; the new address clears it anyway.
        "email_bounced_at_0": bounced.strftime("%Y-%m-%d"),
        "email_bounced_at_1": bounced.strftime("%H:%M:%S"),
        "email_suppressed_reason": member.email_suppressed_reason,
        "email_soft_bounces": "0",
        "organisation_visibility": "members",
        "job_title_visibility": "members",
        "city_region_visibility": "members",
        "bio_visibility": "members",
        "interests_visibility": "members",
    }
    inlines = client.get(url).context["inline_admin_formsets"]
    for prefix in (inline.formset.prefix for inline in inlines):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert (member.email, member.email_bounced_at, member.email_suppressed_reason) == (
        "new@example.org",
        None,
        "",
    )
