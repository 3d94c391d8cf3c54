"""The outbox's state machine: every change of an email's state happens here, and only along
TRANSITIONS. Each UPDATE names the states it may start from, so a transition that another worker
already made (or that the machine forbids) changes nothing.

    (new) → queued | suppressed      the address bounces: never sent
    queued → sending                 a worker claims it
    sending → sending                its worker died: reclaimed after the lease
    sending → sent                   the SMTP server accepted it
    sending → queued                 a transient failure: retried after a backoff
    sending → failed                 a permanent refusal, or out of attempts
    failed → queued                  a coordinator retries it (the admin's action)
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from members.models import Member
from members.outbox.models import OutgoingEmail

State = OutgoingEmail.State

TRANSITIONS = {
    State.QUEUED: {State.SENDING},
    State.SENDING: {State.SENDING, State.SENT, State.QUEUED, State.FAILED},
    State.FAILED: {State.QUEUED},
    State.SENT: set(),
    State.SUPPRESSED: set(),
}


def _from(to_state: str) -> list[str]:
    """The states from which `to_state` may be reached."""
    return [state for state, targets in TRANSITIONS.items() if to_state in targets]


def initial_state(*, member: Member | None) -> str:
    if member is not None and member.email_bounced_at is not None:
        return State.SUPPRESSED
    return State.QUEUED


def emails_claim(*, queryset, now, limit: int | None = None) -> list[OutgoingEmail]:
    """queued/sending → sending for this worker, up to `limit` rows.

    FOR UPDATE SKIP LOCKED with a LIMIT: concurrent workers each take the next rows nobody
    holds, instead of waiting or all grabbing the same ones. Each kind of claimable row is
    looked up on its own, and only ids are locked and sorted: one query with an OR, selecting
    whole rows, made PostgreSQL scan and sort every email of a 10,000-person round (bodies
    included, spilled to disk) for each batch of 200.
    """
    with transaction.atomic():
        ids = []
        # Rows past their lease first: they have waited longest.
        for claimable in (queryset.past_lease(now), queryset.due(now)):
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
        return list(OutgoingEmail.objects.filter(pk__in=ids).order_by("created_at"))


def emails_mark_sent(*, emails: list[OutgoingEmail]) -> None:
    """sending → sent, in one committed UPDATE for all of them."""
    if not emails:
        return
    sent_at = timezone.now()
    for email in emails:
        email.state, email.sent_at, email.last_error = State.SENT, sent_at, ""
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
            email_bounced_at=now
        )


def emails_requeue_failed(*, emails) -> int:
    """failed → queued with a fresh set of attempts. Returns how many."""
    return emails.filter(state=State.FAILED).update(
        state=State.QUEUED, attempts=0, not_before=None, updated_at=timezone.now()
    )
