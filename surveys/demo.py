"""Demo surveys: the community review, answered through the respondent's service, and a
monthly check-in with two years of rounds, answered as each person's profile says."""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from members.demo import is_engaged_at, profile_of
from members.models import EngagementEvent, Member
from surveys.models import Answer, Invitation, Question, Response, Survey
from surveys.services import anonymity
from surveys.services.answering import response_submit
from surveys.services.checkins import checkin_round_number
from surveys.services.copying import survey_copy

CHECKIN_TEMPLATE = "Community check-in (template)"
REVIEW_TEMPLATE = "Community review (template)"


# Text answers that fit the question they answer; any other question gets GENERAL_ANSWERS.
TEXT_ANSWERS = {
    "Anything you would like to tell the coordinators?": [
        "More meetings in the evening, please: I cannot get away at lunchtime.",
        "Hearing how the hospital library handles requests was eye-opening.",
        "I would love a session on demonstrating impact.",
        "Keep it informal — that is what makes it work.",
    ],
    "Can you describe a way the community changed how you work?": [
        "I borrowed the school library's reading challenge for our teen summer programme.",
        "We now log enquiries the way the law library does, and can show our managers the numbers.",
        "A colleague from the university showed me how to run a search clinic; we started one.",
    ],
    "What would make you join?": [
        "Meetings outside working hours.",
        "Knowing that people from special libraries take part too.",
        "More online meetings: I live too far from the city centre.",
    ],
}
GENERAL_ANSWERS = [
    "Could we visit each other's libraries?",
    "Thank you to the coordinators for all their work.",
    "Shorter emails would help.",
]


def _fake_answers(rng, questions):
    answers = []
    for question in questions:
        if not question.required and rng.random() < 0.2:
            continue
        if question.is_scale:
            values = list(question.scale_range())
            # Mostly positive, as real communities are, with a tail.
            answers.append(
                (question, None, rng.choices(values, weights=range(1, len(values) + 1))[0], "")
            )
        elif question.kind == Question.Kind.YESNO:
            answers.append((question, None, int(rng.random() < 0.7), ""))
        elif question.has_choices:
            choices = list(question.choices.all())
            if question.kind == "single":
                # Earlier options are the common ones ("Stay in touch as I am" before "Leave").
                weights = [(len(choices) - i) ** 2 for i in range(len(choices))]
                picked = rng.choices(choices, weights=weights)
            else:
                picked = rng.sample(choices, rng.randint(1, min(3, len(choices))))
            answers += [(question, c.pk, None, "") for c in picked]
        elif rng.random() < 0.5:
            text = rng.choice(TEXT_ANSWERS.get(question.text, GENERAL_ANSWERS))
            answers.append((question, None, None, text))
    return answers


HISTORY_ROUNDS = 24  # monthly, the last one last month
FORMATS = ["In person", "Online", "Hybrid", "No preference"]


def seed_surveys(*, rng: random.Random, now=None, stdout=None) -> None:
    now = now or timezone.now()
    if Survey.objects.exclude(title__in=[CHECKIN_TEMPLATE, REVIEW_TEMPLATE]).exists():
        if stdout:
            stdout.write("Surveys: already seeded")
        return
    people = list(Member.objects.filter(status__in=["active", "prospect"]).order_by("pk")[:80])
    # The community review: anonymous, to members and prospects, answered by about half.
    review = survey_copy(
        survey=Survey.objects.get(title=REVIEW_TEMPLATE),
        title=f"Community review {now.year}",
        title_fr=f"Bilan de la communauté {now.year}",
        opens_at=now - timedelta(days=10),
        days_open=30,
    )
    Invitation.objects.bulk_create(
        [Invitation(survey=review, member=m, sent_at=now) for m in people]
    )
    answered = 0
    for invitation in Invitation.objects.filter(survey=review).select_related("survey", "member"):
        if rng.random() < 0.5:
            continue
        questions = list(review.questions.for_respondent(invitation.member))
        response_submit(
            invitation=invitation,
            answers=_fake_answers(rng, questions),
            declared_sector=invitation.member.sector if rng.random() < 0.6 else None,
            now=min(invitation.sent_at + timedelta(days=rng.randint(0, 9)), now),
        )
        answered += 1
    # Anonymous answers reach the results in batches; the demo has no worker running yet.
    anonymity.held_responses_release_due(now=now)
    rounds, checkin_answers = _seed_checkin_history(rng=rng, now=now)
    if stdout:
        stdout.write(
            f"Surveys: 2 run from the templates, {answered} review responses, {rounds} past "
            f"check-in rounds with {checkin_answers} answers"
        )


def _round_dates(now) -> list[datetime]:
    """The first of each of the last HISTORY_ROUNDS months, at 09:30 (when the round runs)."""
    zone = timezone.get_default_timezone()
    today = timezone.localdate(now)
    dates = []
    for back in range(HISTORY_ROUNDS, 0, -1):
        year, month = today.year, today.month - back
        while month < 1:
            year, month = year - 1, month + 12
        dates.append(datetime(year, month, 1, 9, 30, tzinfo=zone))
    return dates


def _invited_in(member: Member, index: int, at: datetime, now) -> bool:
    """Whether the person was due that round: their cadence, and a member or prospect then."""
    if at < (member.joined_at or member.created_at) + timedelta(days=30):
        return False
    gone = member.status in (Member.Status.LAPSED, Member.Status.LEFT)
    if gone and at > member.status_changed_at:
        return False
    if member.checkin_cadence == "paused" and at > now - timedelta(days=180):
        return False
    if member.checkin_cadence == "quarterly":
        return (index + member.pk) % 3 == 0
    return True


def _seed_checkin_history(*, rng, now) -> tuple[int, int]:
    """A named check-in run monthly for two years, answered as each person's profile says.

    Written in bulk, as the rounds would have left it: invitations, responses with answers to
    the scale and format questions, and the engagement each answer records. The answers warm
    slowly over the two years, so the trend has a direction.
    """
    dates = _round_dates(now)
    checkin = survey_copy(
        survey=Survey.objects.get(title=CHECKIN_TEMPLATE),
        title="Community check-in",
        title_fr="Prise de nouvelles de la communauté",
        opens_at=dates[0] - timedelta(days=1),
        days_open=(now - dates[0]).days + 400,
    )
    checkin.is_anonymous = False
    checkin.save(update_fields=["is_anonymous"])
    scale = checkin.questions.get(kind=Question.Kind.SCALE5)
    fmt = checkin.questions.filter(kind=Question.Kind.SINGLE).order_by("position").first()
    format_choices = {c.label: c for c in fmt.choices.all()} if fmt else {}
    people = list(Member.objects.order_by("pk"))
    invitations, answers_by_invitation = [], {}
    for index, at in enumerate(dates):
        round_number = checkin_round_number(at)
        progress = index / max(len(dates) - 1, 1)
        for member in people:
            if not _invited_in(member, index, at, now):
                continue
            invitation = Invitation(
                survey=checkin, member=member, round=round_number, created_at=at, sent_at=at
            )
            invitations.append(invitation)
            answered_at = at + timedelta(days=rng.randint(0, 9))
            profile = profile_of(member)
            if not is_engaged_at(member, answered_at, now) or rng.random() >= profile.answer:
                continue
            invitation.completed = True
            score = profile.score + 0.5 * progress + rng.gauss(0, 0.7)
            answers_by_invitation[id(invitation)] = (
                answered_at,
                min(5, max(1, round(score))),
                format_choices.get(rng.choice(FORMATS)),
            )
    Invitation.objects.bulk_create(invitations, batch_size=2000)
    responses, answers, events = [], [], []
    for invitation in invitations:
        if id(invitation) not in answers_by_invitation:
            continue
        answered_at, score, choice = answers_by_invitation[id(invitation)]
        member = invitation.member
        response = Response(
            survey=checkin,
            round=invitation.round,
            submitted_on=timezone.localdate(answered_at),
            member=member,
            sector=member.sector,
        )
        responses.append(response)
        answers.append(Answer(response=response, question=scale, number=score))
        if choice is not None:
            answers.append(Answer(response=response, question=fmt, choice=choice))
        events.append(
            EngagementEvent(
                member=member,
                kind=EngagementEvent.Kind.RESPONDED,
                # The day only, as response_submit records it.
                occurred_at=answered_at.replace(hour=12, minute=0),
                source=f"survey:{checkin.pk}",
            )
        )
    Response.objects.bulk_create(responses, batch_size=2000)
    Answer.objects.bulk_create(answers, batch_size=5000)
    EngagementEvent.objects.bulk_create(events, batch_size=2000)
    return len(dates), len(responses)
