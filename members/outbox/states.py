"""The outbox's state machine: every change of an email's state happens here, and only along
TRANSITIONS. Each UPDATE names the states it may start from, so a transition that another worker
already made (or that the machine forbids) changes nothing.

    (new) → queued | suppressed      the address bounces: never sent
    queued → sending                 a worker claims it
    queued → suppressed              the address was suppressed before a worker got to it
    sending → sending                its worker died: reclaimed after the lease
    sending → sent                   the SMTP server accepted it
    sending → queued                 a transient failure: retried after a backoff
    sending → failed                 a permanent refusal, or out of attempts
    failed → queued                  a coordinator retries it (the admin's action)
    sent | sending → bounced         the provider reports, later, that it did not arrive
                                     (members/outbox/bounces.py; a report may come before the
                                     worker has recorded the row as sent)
"""

from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from members.models import Member, SuppressionReason
from members.outbox.models import FAST_LANE_KINDS, OutgoingEmail

State = OutgoingEmail.State

TRANSITIONS = {
    State.QUEUED: {State.SENDING, State.SUPPRESSED},
    State.SENDING: {State.SENDING, State.SENT, State.QUEUED, State.FAILED, State.BOUNCED},
    State.FAILED: {State.QUEUED},
    State.SENT: {State.BOUNCED},
    State.SUPPRESSED: set(),
    State.BOUNCED: set(),
}


def _from(to_state: str) -> list[str]:
    """The states from which `to_state` may be reached."""
    return [state for state, targets in TRANSITIONS.items() if to_state in targets]


def initial_state(*, member: Member | None) -> str:
    if member is not None and member.email_bounced_at is not None:
        return State.SUPPRESSED
    return State.QUEUED


@contextmanager
def _worker_update():
    """A transaction for a worker's claims and "sent" records that does not wait for its commit
    to reach the disk (PostgreSQL's synchronous_commit, for this transaction only).

    Safe because losing one of these updates only ever means a resend: if PostgreSQL crashes
    within the fraction of a second before the commit is flushed, a claim falls back to queued
    and a "sent" record back to sending, past its lease, and the row goes again. That is the
    duplicate the leases already allow for a worker killed mid-batch (only messages the server
    had accepted go twice); nothing is lost, as the rows were committed when queued. A crash of
    the worker itself loses nothing: the commit is in PostgreSQL either way. Waiting for the
    disk on each of a round's hundreds of small commits cost the workers time for no gain.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        yield


def emails_claim(*, queryset, now, limit: int | None = None) -> list[OutgoingEmail]:
    """queued/sending → sending for this worker, up to `limit` rows.

    FOR UPDATE SKIP LOCKED with a LIMIT: concurrent workers each take the next rows nobody
    holds, instead of waiting or all grabbing the same ones. Each kind of claimable row is
    looked up on its own, and only ids are locked and sorted: one query with an OR, selecting
    whole rows, made PostgreSQL scan and sort every email of a 10,000-person round (bodies
    included, spilled to disk) for each batch of 200.

    Account emails (verification, password reset) go first: someone is waiting on the site, and
    a signup must not queue behind a 10,000-person round. A partial index finds them.
    """
    due = queryset.due(now)
    with _worker_update():
        ids = []
        # Rows past their lease first: they have waited longest.
        for claimable in (
            queryset.past_lease(now),
            due.filter(kind__in=FAST_LANE_KINDS),
            due.exclude(kind__in=FAST_LANE_KINDS),
        ):
            wanted = None if limit is None else limit - len(ids)
            if wanted == 0:
                break
            locked = (
                claimable.select_for_update(skip_locked=True)
                .order_by("created_at")
                .values_list("pk", flat=True)
            )
            ids += locked[:wanted] if wanted else locked
        if not ids:
            return []
        OutgoingEmail.objects.filter(pk__in=ids, state__in=_from(State.SENDING)).update(
            state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        # In the order claimed: the fast lane goes first over the connection too.
        position = {pk: index for index, pk in enumerate(ids)}
        rows = OutgoingEmail.objects.filter(pk__in=ids)
        return sorted(rows, key=lambda email: position[email.pk])


def emails_mark_sent(*, emails: list[OutgoingEmail]) -> None:
    """sending → sent, in one committed UPDATE for all of them."""
    if not emails:
        return
    sent_at = timezone.now()
    for email in emails:
        email.state, email.sent_at, email.last_error = State.SENT, sent_at, ""
    with _worker_update():
        OutgoingEmail.objects.filter(
            pk__in=[email.pk for email in emails], state__in=_from(State.SENT)
        ).update(state=State.SENT, sent_at=sent_at, last_error="", updated_at=sent_at)


def _error(exc: Exception) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:2000]


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, 8… times the base, capped."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _save(email: OutgoingEmail, to_state: str, **fields) -> None:
    email.state = to_state
    for name, value in fields.items():
        setattr(email, name, value)
    OutgoingEmail.objects.filter(pk=email.pk, state__in=_from(to_state)).update(
        state=to_state, updated_at=timezone.now(), **fields
    )


def email_retry_or_fail(*, email: OutgoingEmail, exc: Exception, now) -> None:
    """sending → queued after a backoff, or → failed once out of attempts."""
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _save(email, State.FAILED, last_error=_error(exc))
    else:
        _save(
            email,
            State.QUEUED,
            last_error=_error(exc),
            not_before=now + retry_delay(email.attempts),
        )


def email_bounce(*, email: OutgoingEmail, exc: Exception, now) -> None:
    """sending → failed for good: the server refused the address, so nothing more goes there."""
    _save(email, State.FAILED, last_error=_error(exc))
    if email.member_id:
        Member.objects.filter(pk=email.member_id, email_bounced_at__isnull=True).update(
            email_bounced_at=now, email_suppressed_reason=SuppressionReason.REFUSED
        )


def email_bounced_late(*, email: OutgoingEmail, description: str) -> bool:
    """sent (or still sending) → bounced: the provider reported that it never arrived.
    Returns whether the row moved (a second report of the same bounce changes nothing)."""
    moved = OutgoingEmail.objects.filter(pk=email.pk, state__in=_from(State.BOUNCED)).update(
        state=State.BOUNCED, last_error=description[:2000], updated_at=timezone.now()
    )
    if moved:
        email.state, email.last_error = State.BOUNCED, description[:2000]
    return bool(moved)


def emails_suppress_queued(*, member: Member) -> int:
    """queued → suppressed for everything still waiting to go to a suppressed address, except
    account emails (the person asks for those on the site and is waiting). Returns how many."""
    return (
        OutgoingEmail.objects.filter(member=member, state__in=_from(State.SUPPRESSED))
        .filter(state=State.QUEUED)
        .exclude(kind__in=FAST_LANE_KINDS)
        .update(state=State.SUPPRESSED, updated_at=timezone.now())
    )


def emails_requeue_failed(*, emails) -> int:
    """failed → queued with a fresh set of attempts. Returns how many."""
    return emails.filter(state=State.FAILED).update(
        state=State.QUEUED, attempts=0, not_before=None, updated_at=timezone.now()
    )
