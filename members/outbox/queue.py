"""Recording emails in the outbox, once per dedupe key; workers send them after the commit."""

from collections.abc import Callable

from django.core import mail
from django.db import connection as db_connection
from django.db import transaction

from members import tasks
from members.outbox.bulk import bulk_email_render
from members.outbox.message import outgoing_email_bytes, sends_stored_bytes
from members.outbox.models import FAST_LANE_KINDS, OutgoingEmail
from members.outbox.render import outgoing_email_render
from members.outbox.states import emails_requeue_failed


def _with_message_id(email: OutgoingEmail) -> OutgoingEmail:
    """The row's own key as its Message-ID, so the provider's bounce reports find it."""
    email.headers = {**email.headers, "Message-ID": email.message_id}
    return email


def email_queue(*, dedupe_key: str, render: Callable[[], OutgoingEmail]) -> OutgoingEmail:
    """Record the email `render()` builds, once per dedupe key, and send it after the commit.

    `render` is only called when the key is new: a repeated call costs one query. Each app's
    email builder returns an unsaved row, so the admin's previews show exactly what is sent.
    """
    existing = OutgoingEmail.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:  # queued before: nothing to render
        return existing
    rendered = _with_message_id(render())
    # The id stays as rendered: the Message-ID is made from it.
    fields = {f.attname: getattr(rendered, f.attname) for f in OutgoingEmail._meta.concrete_fields}
    email, created = OutgoingEmail.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
    if created and email.state == OutgoingEmail.State.QUEUED:
        # Account emails go to a queue of their own with its own worker (the fast lane).
        tasks.email_send_after_commit(email.pk, fast=email.kind in FAST_LANE_KINDS)
    return email


def outgoing_email_queue(**kwargs) -> OutgoingEmail:
    """Record one email, once per dedupe key, and send it after the commit.

    Takes the arguments of `outgoing_email_render`.
    """
    return email_queue(
        dedupe_key=kwargs["dedupe_key"], render=lambda: outgoing_email_render(**kwargs)
    )


def outgoing_email_queue_rendered(*, email: OutgoingEmail) -> OutgoingEmail:
    """Record an email rendered elsewhere (allauth's account emails, see
    members/outbox/account.py), once per dedupe key, and send it after the commit."""
    return email_queue(dedupe_key=email.dedupe_key, render=lambda: email)


def bulk_email_queue(**kwargs) -> OutgoingEmail:
    """Record one bulk email (see `bulk_email_render`, whose arguments it takes)."""
    return email_queue(dedupe_key=kwargs["dedupe_key"], render=lambda: bulk_email_render(**kwargs))


def outgoing_emails_queue_bulk(*, emails: list[OutgoingEmail]) -> int:
    """Record many rendered emails at once (a check-in round's chunk); rows whose dedupe key
    exists are skipped. After the commit, enough batch tasks are enqueued to send them all.

    Over SMTP each message's bytes are built here and stored with the row (members/outbox/
    message.py): a round's chunks are queued by the workers in parallel, and a row written once
    with its bytes spares the database a second write of every row when it is first claimed.
    """
    over_smtp = sends_stored_bytes(mail.get_connection())
    for email in emails:
        _with_message_id(email)
        if over_smtp and email.state == OutgoingEmail.State.QUEUED:
            email.message = outgoing_email_bytes(email)
    if db_connection.vendor == "postgresql":
        created = _copy_new_rows(emails)
    else:
        keys = [email.dedupe_key for email in emails]
        before = OutgoingEmail.objects.filter(dedupe_key__in=keys).count()
        OutgoingEmail.objects.bulk_create(emails, batch_size=1000, ignore_conflicts=True)
        created = OutgoingEmail.objects.filter(dedupe_key__in=keys).count() - before
    tasks.batches_enqueue(created, after_commit=True)
    return created


@transaction.atomic
def _copy_new_rows(emails: list[OutgoingEmail]) -> int:
    """INSERT … ON CONFLICT DO NOTHING for a whole round, fed by COPY; returns the rows added.

    A round's bodies run to tens of megabytes: bulk_create spent a third of the round's time
    quoting them into SQL text, which COPY skips. The rows land in a temporary table first, as
    COPY alone cannot skip the dedupe keys that already exist.
    """
    fields = OutgoingEmail._meta.concrete_fields
    quote = db_connection.ops.quote_name
    table = quote(OutgoingEmail._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with db_connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE outbox_incoming (LIKE {table}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY outbox_incoming ({columns}) FROM STDIN") as copy:
            for email in emails:
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(email, True), db_connection)
                        for field in fields
                    ]
                )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM outbox_incoming "  # noqa: S608 -- names from the model, no input  # nosec B608
            "ON CONFLICT (dedupe_key) DO NOTHING"
        )
        created = cursor.rowcount
        cursor.execute("DROP TABLE outbox_incoming")
    return created


def outgoing_emails_retry(*, emails) -> int:
    """Give failed emails another round of attempts (the admin's "retry failed" action)."""
    count = emails_requeue_failed(emails=emails)
    tasks.batches_enqueue(count, after_commit=True)
    return count
