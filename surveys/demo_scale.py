"""`seed_demo --responses N`: top the survey answers up to a community's full size.

The demo's check-in history (surveys.demo) answers as each person's profile says; at a large
`--members` it alone passes 20,000 responses. Where it does not, the community review gets more
anonymous responses (no member, a sector, as the holding area releases them) until there are N,
so results pages and exports are measured at full size. Written in bulk, in chunks, with
progress; running it again with the same size adds nothing.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from members.models import Sector
from surveys.demo import REVIEW_TEMPLATE, _fake_answers
from surveys.models import Answer, Choice, Question, Response, Survey

CHUNK = 500


def top_up_responses(*, target: int, rng, now, stdout) -> int:
    """Add anonymous review responses until there are `target`; returns how many were made."""
    todo = target - Response.objects.count()
    if todo <= 0:
        return 0
    review = (
        Survey.objects.filter(title__startswith="Community review", is_anonymous=True)
        .exclude(title=REVIEW_TEMPLATE)
        .order_by("-pk")
        .first()
    )
    if review is None:
        stdout.write("  responses: no community review survey, skipping")
        return 0
    questions = list(
        review.questions.prefetch_related(Prefetch("choices", queryset=Choice.objects.all()))
    )
    questions = [q for q in questions if q.kind != Question.Kind.TEXT] or questions
    sectors = list(Sector.objects.all())
    made = 0
    while made < todo:
        size = min(CHUNK, todo - made)
        responses, answers = [], []
        for _ in range(size):
            response = Response(
                survey=review,
                submitted_on=timezone.localdate(now),
                sector=rng.choice(sectors),
            )
            responses.append(response)
            for question, choice_id, number, text in _fake_answers(rng, questions):
                answers.append(
                    Answer(
                        response=response,
                        question=question,
                        choice_id=choice_id,
                        number=number,
                        text=text,
                    )
                )
        with transaction.atomic():
            Response.objects.bulk_create(responses)
            Answer.objects.bulk_create(answers, batch_size=5000)
        made += size
        stdout.write(f"  responses: {made}/{todo}")
    return made
