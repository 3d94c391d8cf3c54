"""The holding area between an anonymous answer and the results.

Whoever reads every table of the database must not be able to tell whose response is whose.
PostgreSQL gives a careful reader more than the columns: rows written by one transaction share
its id (`xmin`), transaction ids grow with time, rows keep the physical order they were written
in (`ctid`), sequences count, and `pg_stat_*` counts inserts. So an anonymous answer never goes
straight into Response and Answer:

1. the person's own request writes a HeldResponse in a transaction of its own (not the one that
   marks the invitation completed), its answers and declared sector sealed (AES-GCM under the
   site's secret key, members/links.py), with a random key and no time;
2. once at least SURVEY_ANONYMITY_BATCH responses to the same survey and round are held, one
   transaction unseals them all, shuffles them, writes their Responses and Answers (random UUID
   keys, the release date as the only date, a declared sector only if at least a batch's worth
   in the batch declared it) and deletes the held rows. Every released row shares
   that transaction's `xmin` and a random physical order, so neither names one of the people who
   completed in the meantime.

A batch that never fills (fewer than SURVEY_ANONYMITY_BATCH answers in a round, even after the
survey closes) stays held and sealed: it is never deleted and never shown, and the results say
how many answers are held back and why. Should the survey be reopened and more answers come, they
are released together. Rotating the secret key needs DJANGO_SECRET_KEY_FALLBACKS to keep the old
key until every held row is released; a row that cannot be unsealed is logged and kept.
"""

import json
import logging
import secrets
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from members.links import InvalidLink, seal, unseal
from surveys.models import TEXT_ANSWER_MAX_LENGTH, Answer, HeldResponse, Response, Survey

logger = logging.getLogger(__name__)

HELD_SEAL = "surveys.held-response.v1"

# Worst cases of the JSON below, in bytes: a row's brackets, two 64-bit ids and a number; a
# character of text (a control character is escaped as \u0001); the text of an "Other" answer
# (its form field's max_length).
_ROW_BYTES = 64
_CHAR_BYTES = 6
_OTHER_TEXT_CHARS = 300


def held_payload_size(*, survey: Survey) -> int:
    """The length every sealed response to `survey` is padded to: the longest one possible.

    The held row's transaction sits next to the person's completion, so its size must not say
    what they answered (a long comment, three options, a sector) once the batch is released.
    """
    size = _ROW_BYTES  # the envelope and the sector's id
    for question in survey.questions.prefetch_related("choices"):
        other = _OTHER_TEXT_CHARS * _CHAR_BYTES if question.allow_other else 0
        if question.kind == question.Kind.TEXT:
            size += _ROW_BYTES + TEXT_ANSWER_MAX_LENGTH * _CHAR_BYTES
        elif question.kind == question.Kind.MULTIPLE:
            size += _ROW_BYTES * (len(question.choices.all()) + 1) + other
        else:
            size += _ROW_BYTES + other
    return size


def held_response_seal(*, survey: Survey, answers: list, sector_id: int | None) -> str:
    """The sealed form of one response: [question, choice, number, text] rows and the sector,
    padded with JSON whitespace to the survey's one length."""
    payload = {"sector": sector_id, "answers": answers}
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    size = held_payload_size(survey=survey)
    # Longer only if the questions changed under a form being answered: a multiple of the size.
    padded = -(-len(data) // size) * size
    return seal(purpose=HELD_SEAL, data=data + b" " * (padded - len(data)))


def _unsealed(held: HeldResponse) -> dict | None:
    try:
        return json.loads(unseal(purpose=HELD_SEAL, token=held.sealed))
    except (InvalidLink, ValueError):
        # Kept, never deleted: with the right key (a fallback) it can still be released.
        logger.error("Held response %s cannot be unsealed with the configured keys", held.pk)
        return None


def batch_size() -> int:
    # settings.py refuses less than 5 from the environment; tests of arithmetic may set 1.
    return max(settings.SURVEY_ANONYMITY_BATCH, 1)


def held_responses_release(*, survey_id: int, round: int, now=None) -> int:
    """Release the held responses of one survey and round if there are at least a batch.

    Returns how many reached the results (0 while the batch is not full).
    """
    now = now or timezone.now()
    with transaction.atomic():
        held = list(
            HeldResponse.objects.select_for_update(skip_locked=True).filter(
                survey_id=survey_id, round=round
            )
        )
        opened = [(row, payload) for row in held if (payload := _unsealed(row)) is not None]
        if len(opened) < batch_size():
            return 0
        # The order of writing becomes the physical order of the rows: make it random.
        secrets.SystemRandom().shuffle(opened)
        # A sector declared by fewer than a batch's worth in this batch would single them out
        # among the people who completed meanwhile: those responses go in without a sector (the
        # form promises the sector is used only in totals of five or more).
        sectors = Counter(payload["sector"] for _row, payload in opened)
        rare = {sector for sector, n in sectors.items() if n < batch_size()}
        released_on = timezone.localdate(now)
        responses, answers = [], []
        for _row, payload in opened:
            response = Response(
                survey_id=survey_id,
                round=round,
                submitted_on=released_on,
                sector_id=None if payload["sector"] in rare else payload["sector"],
            )
            responses.append(response)
            for question_id, choice_id, number, text in payload["answers"]:
                answers.append(
                    Answer(
                        response=response,
                        question_id=question_id,
                        choice_id=choice_id,
                        number=number,
                        text=text,
                    )
                )
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(answers)
        HeldResponse.objects.filter(pk__in=[row.pk for row, _ in opened]).delete()
    return len(opened)


def held_responses_release_due(*, now=None) -> int:
    """Release every survey and round that has a full batch (the safety net run by beat)."""
    groups = (
        HeldResponse.objects.values_list("survey_id", "round")
        .annotate(n=Count("pk"))
        .filter(n__gte=batch_size())
        .order_by()
    )
    return sum(
        held_responses_release(survey_id=survey_id, round=round, now=now)
        for survey_id, round, _n in groups
    )


def held_responses_count(*, survey: Survey) -> int:
    """Answers given but not in the results yet: their batch has not filled."""
    return HeldResponse.objects.filter(survey=survey).count()
