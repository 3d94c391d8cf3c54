"""Delivering the outbox: against a real SMTP server (an aiosmtpd sink) one connection per
batch, retries with backoff while the server is down, permanent refusals mark the address
bounced; a row is sent once, with its attachments."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from meetings.services.registrations import registration_create
from members.models import OutgoingEmail
from members.outbox import delivery
from members.outbox.delivery import outgoing_email_send
from members.outbox.queue import outgoing_email_queue
from tests.factories import MemberFactory, UserFactory, member_with_account
from tests.meetings.factories import MeetingFactory, emails_to
from tests.smtp_sink import SmtpServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    server.start()
    yield server
    server.stop()


def queue(member, n=1):
    return [
        outgoing_email_queue(
            kind="checkin",
            dedupe_key=f"test:{member.pk}:{i}",
            template="members/email/welcome",
            context={"member": member},
            member=member,
        )
        for i in range(n)
    ]


def send_batch(**kwargs) -> tuple[int, int]:
    """(claimed, sent) of one batch."""
    sent = delivery.outgoing_emails_send_batch(**kwargs)
    return sent.claimed, sent.sent


def test_a_batch_is_sent_over_one_smtp_connection(smtp):
    sink = smtp.sink
    member = MemberFactory()
    queue(member, 5)

    claimed, sent = send_batch()

    assert (claimed, sent) == (5, 5)
    assert len(sink.messages) == 5
    assert sink.connections == 1
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent"}


def test_server_down_keeps_mail_queued_with_backoff_then_sends_it_all(smtp):
    sink = smtp.sink
    member = MemberFactory()
    queue(member, 3)
    smtp.stop()

    assert send_batch() == (3, 0)
    rows = list(OutgoingEmail.objects.all())
    assert {(r.state, r.attempts) for r in rows} == {("queued", 1)}
    assert all(r.not_before > timezone.now() for r in rows)
    assert "ConnectionRefusedError" in rows[0].last_error
    # Not retried before its backoff is over, even if the server is back.
    smtp.start()
    assert send_batch() == (0, 0)

    later = timezone.now() + timedelta(minutes=2)
    assert send_batch(now=later) == (3, 3)
    assert len(sink.messages) == 3
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent"}


def test_hard_bounce_fails_the_email_and_suppresses_further_mail(
    smtp, django_capture_on_commit_callbacks
):
    sink = smtp.sink
    gone = MemberFactory(email="gone@example.org")
    queue(gone)

    send_batch()

    email = OutgoingEmail.objects.get()
    gone.refresh_from_db()
    assert email.state == "failed"
    assert "550" in email.last_error
    assert gone.email_bounced_at is not None
    later = outgoing_email_queue(
        kind="checkin",
        dedupe_key="test:after-bounce",
        template="members/email/welcome",
        context={"member": gone},
        member=gone,
    )
    assert later.state == "suppressed"
    assert sink.messages == []


def test_rows_stuck_in_sending_are_reclaimed_after_the_lease(smtp, settings):
    member = MemberFactory()
    (row,) = queue(member)
    OutgoingEmail.objects.filter(pk=row.pk).update(
        state="sending",
        claimed_at=timezone.now() - settings.OUTBOX_SENDING_LEASE - timedelta(seconds=1),
    )

    assert send_batch() == (1, 1)
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 1)
    assert len(smtp.sink.messages) == 1


def test_retry_failed_admin_action_sends_them_again(
    smtp, client, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(coordinator)
    member = MemberFactory()
    (row,) = queue(member)
    OutgoingEmail.objects.filter(pk=row.pk).update(state="failed", attempts=6, last_error="boom")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/members/outgoingemail/",
            {"action": "retry_failed", "_selected_action": [row.pk]},
        )

    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 1)
    assert len(smtp.sink.messages) == 1


def test_a_batch_takes_at_most_its_size_and_the_rest_stays_queued(smtp):
    member = MemberFactory()
    queue(member, 5)

    assert send_batch(limit=2) == (2, 2)
    assert send_batch(limit=2) == (2, 2)
    assert send_batch(limit=2) == (1, 1)
    assert len(smtp.sink.messages) == 5


def test_outgoing_email_send_called_twice_sends_one_email():
    member = member_with_account()
    row = outgoing_email_queue(
        kind=OutgoingEmail.Kind.WELCOME,
        dedupe_key="test:twice-in-process",
        member=member,
        template="members/email/welcome",
        context={"member": member},
    )

    first = delivery.outgoing_email_send(email_id=row.pk).email
    second = delivery.outgoing_email_send(email_id=row.pk).email

    assert first.state == second.state == OutgoingEmail.State.SENT
    assert second.attempts == 1
    assert len(mail.outbox) == 1


def test_outgoing_email_send_attaches_the_ics():
    registration = registration_create(meeting=MeetingFactory(), member=MemberFactory())
    [email] = emails_to(registration.member)

    outgoing_email_send(email_id=email.pk)

    [message] = mail.outbox
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("meeting.ics", "text/calendar")
    assert "BEGIN:VCALENDAR" in content
