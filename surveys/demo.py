"""Demo surveys: both shipped templates run once, answered through the respondent's service."""

import random
from datetime import timedelta

from django.utils import timezone

from members.models import Member
from surveys.models import Invitation, Question, Survey
from surveys.services import answering, copying
from surveys.services.checkins import checkin_round_number

CHECKIN_TEMPLATE = "Community check-in (template)"
REVIEW_TEMPLATE = "Community review (template)"


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
            picked = (
                [rng.choice(choices)]
                if question.kind == "single"
                else rng.sample(choices, rng.randint(1, 3))
            )
            answers += [(question, c.pk, None, "") for c in picked]
        elif rng.random() < 0.5:
            answers.append(
                (
                    question,
                    None,
                    None,
                    rng.choice(
                        [
                            "More meetings in the evening, please.",
                            "Hearing how the hospital library handles requests was eye-opening.",
                            "I would love a session on demonstrating impact.",
                            "Keep it informal — that is what makes it work.",
                            "Could we visit each other's libraries?",
                        ]
                    ),
                )
            )
    return answers


def seed_surveys(*, rng: random.Random, now=None, stdout=None) -> None:
    now = now or timezone.now()
    if Survey.objects.exclude(title__in=[CHECKIN_TEMPLATE, REVIEW_TEMPLATE]).exists():
        if stdout:
            stdout.write("Surveys: already seeded")
        return
    people = list(Member.objects.filter(status__in=["active", "prospect"]).order_by("pk")[:80])
    # The community review: anonymous, to members and prospects, answered by about half.
    review = copying.survey_copy(
        survey=Survey.objects.get(title=REVIEW_TEMPLATE),
        title="Community review 2026",
        opens_at=now - timedelta(days=10),
        days_open=30,
    )
    # A named check-in survey, run in three past rounds so the trend shows.
    checkin = copying.survey_copy(
        survey=Survey.objects.get(title=CHECKIN_TEMPLATE),
        title="Community check-in",
        opens_at=now - timedelta(days=300),
        days_open=700,
    )
    checkin.is_anonymous = False
    checkin.save(update_fields=["is_anonymous"])
    # Invitations as if already emailed (demo data sends no mail): the review now, and three
    # past check-in rounds, the last over three months ago, so that `send_checkins` finds
    # people due right after seeding.
    round_dates = [now - timedelta(days=days) for days in (280, 190, 100)]
    Invitation.objects.bulk_create(
        [Invitation(survey=review, member=m, sent_at=now) for m in people]
        + [
            Invitation(
                survey=checkin, member=m, round=checkin_round_number(at), created_at=at, sent_at=at
            )
            for at in round_dates
            for m in people
        ]
    )
    invitations = Invitation.objects.filter(survey__in=[review, checkin]).select_related(
        "survey", "member"
    )
    answered = 0
    for invitation in invitations:
        if rng.random() < 0.5:
            continue
        questions = list(invitation.survey.questions.for_respondent(invitation.member))
        answered_at = (invitation.sent_at or now) + timedelta(days=rng.randint(0, 9))
        answering.response_submit(
            invitation=invitation,
            answers=_fake_answers(rng, questions),
            declared_sector=invitation.member.sector if rng.random() < 0.6 else None,
            now=min(answered_at, now),
        )
        answered += 1
    if stdout:
        stdout.write(f"Surveys: 2 run from the templates, {answered} responses")
