"""Check-in rounds: the regular emails that counter attrition.

`checkins_daily_run` is the one daily entry point (beat and `send_checkins`): it runs attrition
first, then this round's check-in, which leaves out anyone with an open re-engagement check-in,
so nobody gets two check-in emails on one morning.

Record, then send: a round writes its invitations and outbox rows, a chunk of people per
transaction, unique per person and round, and workers send each chunk once it is committed.
Running a round twice, or missing a day, neither duplicates nor loses mail.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from members.contact import contactable
from members.models import CheckinCadence, Member, OutgoingEmail, Reengagement
from members.outbox.bulk import bulk_email_render
from members.outbox.queue import outgoing_emails_queue_bulk
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


def _checkin_email(invitation: Invitation, question, options_by_language: dict) -> OutgoingEmail:
    """One person's check-in email, in their language. `options_by_language` caches the first
    question's (anchor, value, label) options per language across the round."""
    member = invitation.member
    with translation.override(member.language):
        language = translation.get_language()
        if language not in options_by_language:
            options_by_language[language] = one_press_options(question) if question else []
        return _checkin_email_render(invitation, question, options_by_language[language])


def _checkin_email_render(invitation: Invitation, question, one_press) -> OutgoingEmail:
    member = invitation.member
    link = answer_url(invitation)
    # Each option is a link to the survey page with it chosen; opening it stores nothing (mail
    # scanners open every link), the person still presses Send. The option travels in the
    # fragment, which browsers never send: no server or proxy log pairs this person's link with
    # an answer to an anonymous check-in.
    options = [{"label": label, "url": f"{link}#{anchor}"} for anchor, _value, label in one_press]
    return bulk_email_render(
        kind=OutgoingEmail.Kind.CHECKIN,
        dedupe_key=f"checkin:{invitation.survey_id}:{invitation.round}:{member.pk}",
        member=member,
        template="surveys/email/checkin",
        context={
            "survey": invitation.survey,
            "question": question,
            "options": options,
            "answer_url": link,
        },
    )


@transaction.atomic
def _round_chunk_queue(
    *, survey, round_number, people, question, options_by_language, now
) -> tuple[int, int]:
    """Invite some of a round's people and queue their emails, together in one transaction;
    returns (invited, queued). Workers start on a chunk as soon as it is committed."""
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
    emails = [
        _checkin_email(invitation, question, options_by_language) for invitation in invitations
    ]
    queued = outgoing_emails_queue_bulk(emails=emails)
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(sent_at=now)
    return len(invitations), queued


def checkin_round_run(*, now=None, dry_run=False, progress=None, leaving_out=None) -> RoundReport:
    """Invite everyone due to this round's check-in, and queue their emails.

    In chunks of CHECKIN_ROUND_CHUNK people, each chunk's invitations and emails in one
    transaction, so workers send the first chunks while later ones are written. A run stopped
    between chunks loses nothing: whoever was not invited is still due, and the next run (the
    next day's, or `send_checkins` again) invites them; dedupe keys and the one-invitation-per-
    person-and-round rule keep a second run from sending anything twice.

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
        due = list(people)
    report = RoundReport(survey=survey, round=round_number, due=len(due), dry_run=dry_run)
    if survey is None or dry_run or not due:
        return report
    first_question = survey.questions.answerable_in_email()
    # Per language, shared by every chunk of the round.
    options_by_language = {}
    chunk = settings.CHECKIN_ROUND_CHUNK
    for start in range(0, len(due), chunk):
        invited, queued = _round_chunk_queue(
            survey=survey,
            round_number=round_number,
            people=due[start : start + chunk],
            question=first_question,
            options_by_language=options_by_language,
            now=now,
        )
        report.invited += invited
        report.queued += queued
        if progress:
            progress(min(start + chunk, len(due)), len(due))
    logger.info(
        "Check-in round %s: %s due, %s invited, %s emails queued",
        round_number,
        report.due,
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
