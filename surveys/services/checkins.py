"""Check-in rounds: the regular emails that counter attrition.

`checkins_daily_run` is the one daily entry point (beat and `send_checkins`): it runs attrition
first, then this round's check-in, which leaves out anyone with an open re-engagement check-in,
so nobody gets two check-in emails on one morning.

Record, then send: a round hands its people to the workers in chunks; a worker writes a chunk's
invitations and outbox rows in one transaction, unique per person and round, and the workers
send each chunk once it is committed. Running a round twice, or missing a day, neither
duplicates nor loses mail.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from members.contact import contactable
from members.models import CheckinCadence, Member, OutgoingEmail, Reengagement
from members.outbox.bulk import bulk_email_links, bulk_email_render
from members.outbox.merge import emails_render_merged
from members.outbox.queue import outgoing_emails_queue_bulk
from members.outbox.render import email_language
from members.services.attrition import attrition_run, members_to_reengage
from surveys.forms import one_press_options
from surveys.models import Invitation, Survey
from surveys.services.invitations import answer_url

logger = logging.getLogger(__name__)

CADENCE_DAYS = {CheckinCadence.MONTHLY: 30, CheckinCadence.QUARTERLY: 91}


@dataclass
class RoundReport:
    survey: Survey | None
    round: int
    due: int
    # People whose invitations and emails the workers are preparing (`checkin_round_chunk_run`).
    handed_over: int = 0
    # Invited and queued by this process itself (eager tasks, or the broker down).
    invited: int = 0
    queued: int = 0
    dry_run: bool = False


def checkin_round_number(now) -> int:
    """A round is a calendar month in the community's zone, e.g. 202611."""
    day = timezone.localdate(now)
    return day.year * 100 + day.month


def checkin_survey_current(*, now=None) -> Survey | None:
    return Survey.objects.open(now).filter(is_checkin=True).order_by("-opens_at").first()


def members_due_for_checkin(*, now=None):
    """Members and prospects whose cadence says they are due, in one query.

    Only those who may be sent a check-in (not paused, left, lapsed or bounced), and not those
    with an open re-engagement check-in: that one is their check-in. Someone never checked in is
    due a month after joining (the welcome email comes first).
    """
    now = now or timezone.now()
    last_checkin = (
        Invitation.objects.filter(member=OuterRef("pk"), survey__is_checkin=True)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    first_after = now - timedelta(days=settings.FIRST_CHECKIN_AFTER_DAYS)
    due = Q(last_checkin__isnull=True, since__lte=first_after)
    for cadence, days in CADENCE_DAYS.items():
        due |= Q(checkin_cadence=cadence, last_checkin__lte=now - timedelta(days=days))
    open_reengagements = Reengagement.objects.filter(closed_at__isnull=True)
    return (
        Member.objects.filter(contactable(kind=OutgoingEmail.Kind.CHECKIN, now=now))
        .exclude(pk__in=open_reengagements.values("member_id"))
        .annotate(
            last_checkin=Subquery(last_checkin, output_field=DateTimeField()),
            since=Coalesce("joined_at", "created_at"),
        )
        .filter(due)
        .order_by("pk")
    )


def _checkin_values(invitation: Invitation) -> dict[str, str]:
    """What differs from one person's check-in email to the next: their name and signed links
    (see members/outbox/merge.py)."""
    member = invitation.member
    return {
        "name": member.full_name,
        "answer": answer_url(invitation),
        **bulk_email_links(member=member, kind=OutgoingEmail.Kind.CHECKIN),
    }


def _checkin_dedupe_key(invitation: Invitation) -> str:
    return f"checkin:{invitation.survey_id}:{invitation.round}:{invitation.member_id}"


def _checkin_email(invitation: Invitation, values: dict, question, options_by_language: dict):
    """One person's check-in email, in their language, from `_checkin_values`.
    `options_by_language` caches the first question's (anchor, value, label) options per
    language across the chunk."""
    member = invitation.member
    with translation.override(email_language(member=member)):
        language = translation.get_language()
        if language not in options_by_language:
            options_by_language[language] = one_press_options(question) if question else []
    link = values["answer"]
    # Each option is a link to the survey page with it chosen; opening it stores nothing (mail
    # scanners open every link), the person still presses Send. The option travels in the
    # fragment, which browsers never send: no server or proxy log pairs this person's link with
    # an answer to an anonymous check-in.
    options = [
        {"label": label, "url": f"{link}#{anchor}"}
        for anchor, _value, label in options_by_language[language]
    ]
    return bulk_email_render(
        kind=OutgoingEmail.Kind.CHECKIN,
        dedupe_key=_checkin_dedupe_key(invitation),
        member=member,
        template="surveys/email/checkin",
        context={
            "name": values["name"],
            "survey": invitation.survey,
            "question": question,
            "options": options,
            "answer_url": link,
        },
        links={"unsubscribe": values["unsubscribe"], "preferences": values["preferences"]},
    )


@transaction.atomic
def checkin_round_chunk_run(
    *, survey_id: int, round_number: int, member_ids: list[int], now
) -> tuple[int, int]:
    """Invite some of a round's people and queue their emails, together in one transaction;
    returns (invited, queued). A worker runs it for each chunk of a round, in parallel with the
    other chunks, and starts sending a chunk as soon as it is committed.

    Safe to run twice, or at once with another run of the same people: only those still due
    are invited (one invitation per person and round, by a unique constraint), only invitations
    not yet emailed get an email, and each email has its dedupe key. Someone who unsubscribed or
    bounced since the round was scheduled is no longer due, and is left out.
    """
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:  # deleted since the round was scheduled
        return 0, 0
    people = list(members_due_for_checkin(now=now).filter(pk__in=member_ids))
    Invitation.objects.bulk_create(
        [Invitation(survey=survey, member=m, round=round_number) for m in people],
        batch_size=1000,
        ignore_conflicts=True,
    )
    # The people are already loaded: fetch only the new invitations' keys, not the members a
    # second time.
    by_pk = {member.pk: member for member in people}
    invitations = [
        Invitation(pk=pk, survey=survey, member=by_pk[member_id], round=round_number, nonce=nonce)
        for pk, member_id, nonce in Invitation.objects.filter(
            survey=survey, round=round_number, sent_at__isnull=True, member_id__in=list(by_pk)
        )
        .order_by("pk")
        .values_list("pk", "member_id", "nonce")
    ]
    question = survey.questions.answerable_in_email()
    options_by_language = {}
    emails = emails_render_merged(
        people=invitations,
        member=lambda invitation: invitation.member,
        dedupe_key=_checkin_dedupe_key,
        values=_checkin_values,
        render=lambda invitation, values: _checkin_email(
            invitation, values, question, options_by_language
        ),
    )
    queued = outgoing_emails_queue_bulk(emails=emails)
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(sent_at=now)
    return len(invitations), queued


# The chunk's task, by name: surveys/tasks.py imports this module, so this one must not import
# it back (tests/copsite/test_layout.py forbids the cycle).
CHUNK_TASK = "surveys.tasks.checkin_round_chunk"


def _chunk_hand_over(**chunk) -> tuple[int, int] | None:
    """Hand one chunk to the workers; None once it is handed over, else its (invited, queued)
    when it ran here: with tasks run in-process (tests, development), or when the broker
    refuses it."""
    if current_app.conf.task_always_eager:
        return checkin_round_chunk_run(**chunk)
    try:
        current_app.send_task(CHUNK_TASK, kwargs={**chunk, "now": chunk["now"].isoformat()})
    except Exception:
        logger.warning("Could not hand a check-in chunk to the workers; preparing it here")
        return checkin_round_chunk_run(**chunk)
    return None


def checkin_round_run(*, now=None, dry_run=False, progress=None, leaving_out=None) -> RoundReport:
    """Invite everyone due to this round's check-in, and queue their emails.

    The round only decides who is due, and hands them to the workers in chunks of
    CHECKIN_ROUND_CHUNK people: each chunk's invitations and emails are written by a worker in
    one transaction (`checkin_round_chunk_run`), the chunks in parallel, and sent as each one
    commits. Rendering 10,000 emails in this one process kept the workers waiting.

    A round stopped midway loses nothing: whoever was not invited is still due, and the next
    run (the next day's, or `send_checkins` again) invites them. A chunk's task is acknowledged
    only once it is done: a pool process killed during one hands it back at once, and a whole
    worker killed leaves it to Redis, which delivers it again after its visibility timeout (an
    hour), unless the next run has invited those people first. Dedupe keys and the
    one-invitation-per-person-and-round rule keep a second run from sending anything twice.

    `leaving_out`: people not to invite, as a queryset of members.
    """
    now = now or timezone.now()
    survey = checkin_survey_current(now=now)
    round_number = checkin_round_number(now)
    due = []
    if survey is not None:
        people = members_due_for_checkin(now=now)
        if leaving_out is not None:
            people = people.exclude(pk__in=leaving_out.values("pk"))
        due = list(people.values_list("pk", flat=True))
    report = RoundReport(survey=survey, round=round_number, due=len(due), dry_run=dry_run)
    if survey is None or dry_run or not due:
        return report
    chunk = settings.CHECKIN_ROUND_CHUNK
    for start in range(0, len(due), chunk):
        member_ids = due[start : start + chunk]
        done = _chunk_hand_over(
            survey_id=survey.pk, round_number=round_number, member_ids=member_ids, now=now
        )
        if done is None:
            report.handed_over += len(member_ids)
        else:
            report.invited += done[0]
            report.queued += done[1]
        if progress:
            progress(min(start + chunk, len(due)), len(due))
    logger.info(
        "Check-in round %s: %s due, %s handed to the workers, %s invited and %s emails queued here",
        round_number,
        report.due,
        report.handed_over,
        report.invited,
        report.queued,
    )
    return report


@dataclass
class DailyReport:
    attrition: dict
    round: RoundReport


def checkins_daily_run(*, now=None, dry_run=False, progress=None) -> DailyReport:
    """The day's check-ins: re-engagement for members at risk first, then the round.

    In that order, the round sees today's re-engagements and leaves those people out.
    A dry run says how many would be invited and changes nothing.
    """
    now = now or timezone.now()
    if dry_run:
        at_risk = members_to_reengage(now=now)
        return DailyReport(
            attrition={"invited": at_risk.count(), "lapsed": 0},
            round=checkin_round_run(now=now, dry_run=True, leaving_out=at_risk),
        )
    attrition = attrition_run(now=now)
    return DailyReport(attrition=attrition, round=checkin_round_run(now=now, progress=progress))


def people_due_today(*, now=None) -> tuple[QuerySet, QuerySet]:
    """Who today's run would email: (members at risk, who get a re-engagement check-in;
    everyone else due this round's check-in). What a dry run lists."""
    at_risk = members_to_reengage(now=now)
    due = members_due_for_checkin(now=now).exclude(pk__in=at_risk.values("pk"))
    return at_risk, due
