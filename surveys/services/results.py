"""Results, computed by SQL aggregation: a fixed number of queries for any number of answers.
Breakdowns never show a group smaller than SMALL_GROUP."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext

from surveys.models import Answer, Choice, Invitation, Question, Response, Survey
from surveys.services.anonymity import held_responses_count

SMALL_GROUP = 5  # breakdowns never show a group smaller than this
TEXT_ANSWERS_SHOWN = 100


@dataclass
class QuestionResult:
    question: Question
    respondents: int = 0
    rows: list = field(default_factory=list)  # (label, count, percent)
    mean: float | None = None
    texts: list = field(default_factory=list)
    by_sector: list = field(default_factory=list)  # (sector name, respondents, mean)
    trend: list = field(default_factory=list)  # (round, respondents, mean)

    BAR_HEIGHT = 28
    BAR_MAX_WIDTH = 300

    @property
    def chart(self) -> dict:
        """Geometry of the SVG bar chart; the table beside it carries the same figures."""
        bars = [
            {
                "label": label,
                "count": count,
                "percent": percent,
                "y": i * self.BAR_HEIGHT,
                "text_y": i * self.BAR_HEIGHT + 18,
                "width": round(self.BAR_MAX_WIDTH * percent / 100, 1),
                "value_x": 232 + round(self.BAR_MAX_WIDTH * percent / 100, 1),
            }
            for i, (label, count, percent) in enumerate(self.rows)
        ]
        return {"bars": bars, "height": len(bars) * self.BAR_HEIGHT}


@dataclass
class SurveyResults:
    survey: Survey
    invited: int
    completed: int
    responses: int
    questions: list
    sectors: list  # (name, respondents) for groups of SMALL_GROUP or more
    hidden_sector_groups: int
    # Anonymous answers given but not yet in the results: their batch has not filled.
    held: int = 0
    hidden_rounds: int = 0  # check-in rounds with fewer than SMALL_GROUP respondents

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.completed / self.invited, 1) if self.invited else None


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


def survey_results(*, survey: Survey) -> SurveyResults:
    """Results computed by SQL aggregation: a fixed number of queries for any number of answers."""
    questions = list(survey.questions.prefetch_related("choices"))  # 2 queries
    invitations = Invitation.objects.filter(survey=survey).aggregate(
        invited=Count("pk"), completed=Count("pk", filter=Q(completed=True))
    )
    responses = Response.objects.filter(survey=survey).count()
    answers = Answer.objects.filter(question__survey=survey)

    respondents = dict(answers.values_list("question").annotate(n=Count("response", distinct=True)))
    choice_counts = defaultdict(dict)
    for question_id, choice_id, n in (
        answers.filter(choice__isnull=False)
        .values_list("question", "choice")
        .annotate(n=Count("pk"))
    ):
        choice_counts[question_id][choice_id] = n
    number_counts = defaultdict(dict)
    for question_id, number, n in (
        answers.filter(number__isnull=False)
        .values_list("question", "number")
        .annotate(n=Count("pk"))
    ):
        number_counts[question_id][number] = n
    other_counts = dict(
        answers.filter(
            choice__isnull=True, number__isnull=True, question__kind__in=["single", "multiple"]
        )
        .values_list("question")
        .annotate(n=Count("pk"))
    )
    means = dict(
        answers.filter(number__isnull=False, question__kind__in=["scale5", "scale10"])
        .values_list("question")
        .annotate(m=Avg("number"))
    )
    # Free text, at most TEXT_ANSWERS_SHOWN per question; random order for anonymous surveys so
    # that the order of answering cannot be read from the page.
    order = "?" if survey.is_anonymous else "response__submitted_on"
    texts = defaultdict(list)
    text_rows = (
        answers.exclude(text="")
        .annotate(rank=Window(RowNumber(), partition_by=[F("question")], order_by=F("id").asc()))
        .filter(rank__lte=TEXT_ANSWERS_SHOWN)
        .order_by(order)
        .values_list("question", "text")
    )
    for question_id, text in text_rows:
        texts[question_id].append(text)

    # Sector breakdown: respondents per sector, and scale means per sector.
    sector_counts = list(
        Response.objects.filter(survey=survey, sector__isnull=False)
        .values_list("sector__name")
        .annotate(n=Count("pk"))
        .order_by("sector__name")
    )
    shown_sectors = [(name, n) for name, n in sector_counts if n >= SMALL_GROUP]
    shown_names = {name for name, _ in shown_sectors}
    sector_means = defaultdict(list)
    for question_id, name, n, mean in (
        answers.filter(
            number__isnull=False,
            question__kind__in=["scale5", "scale10"],
            response__sector__isnull=False,
        )
        .values_list("question", "response__sector__name")
        .annotate(n=Count("response", distinct=True), m=Avg("number"))
        .order_by("response__sector__name")
    ):
        if name in shown_names and n >= SMALL_GROUP:
            sector_means[question_id].append((name, n, round(mean, 2)))
    # Trend across check-in rounds.
    trends = defaultdict(list)
    small_rounds = set()
    for question_id, round_number, n, mean in (
        answers.filter(number__isnull=False, question__kind__in=["scale5", "scale10"])
        .values_list("question", "response__round")
        .annotate(n=Count("response", distinct=True), m=Avg("number"))
        .order_by("response__round")
    ):
        # A round answered by fewer than SMALL_GROUP would name them beside the invitations.
        if n < SMALL_GROUP:
            small_rounds.add(round_number)
            continue
        trends[question_id].append((round_number, n, round(mean, 2)))

    results = []
    for question in questions:
        result = QuestionResult(question=question, respondents=respondents.get(question.pk, 0))
        whole = result.respondents
        if question.has_choices:
            for choice in question.choices.all():
                n = choice_counts[question.pk].get(choice.pk, 0)
                result.rows.append((choice.localized("label"), n, _percent(n, whole)))
            if question.allow_other:
                n = other_counts.get(question.pk, 0)
                result.rows.append((gettext("Other"), n, _percent(n, whole)))
        elif question.is_scale:
            for value, label in question.scale_choices():
                n = number_counts[question.pk].get(int(value), 0)
                result.rows.append((label, n, _percent(n, whole)))
            mean = means.get(question.pk)
            result.mean = round(mean, 2) if mean is not None else None
            result.by_sector = sector_means.get(question.pk, [])
            result.trend = trends.get(question.pk, []) if survey.is_checkin else []
        elif question.kind == Question.Kind.YESNO:
            for value, label in ((1, gettext("Yes")), (0, gettext("No"))):
                n = number_counts[question.pk].get(value, 0)
                result.rows.append((label, n, _percent(n, whole)))
        result.texts = texts.get(question.pk, [])
        results.append(result)
    return SurveyResults(
        survey=survey,
        invited=invitations["invited"],
        completed=invitations["completed"],
        responses=responses,
        questions=results,
        sectors=shown_sectors,
        hidden_sector_groups=len(sector_counts) - len(shown_sectors),
        held=held_responses_count(survey=survey) if survey.is_anonymous else 0,
        hidden_rounds=len(small_rounds) if survey.is_checkin else 0,
    )


def _anonymous_groups(survey: Survey) -> tuple[set, set]:
    """The rounds, and (round, sector) pairs, with at least SMALL_GROUP responses: only those
    may appear beside an anonymous response in the export."""
    rounds = {
        r
        for r, n in Response.objects.filter(survey=survey)
        .values_list("round")
        .annotate(n=Count("pk"))
        .order_by()
        if n >= SMALL_GROUP
    }
    pairs = {
        (r, sector)
        for r, sector, n in Response.objects.filter(survey=survey, sector__isnull=False)
        .values_list("round", "sector__name")
        .annotate(n=Count("pk"))
        .order_by()
        if n >= SMALL_GROUP and r in rounds
    }
    return rounds, pairs


def survey_results_csv_rows(*, survey: Survey):
    """One row per response, one column per question.

    Anonymous rows carry no person and no date (the date a batch was released says nothing
    useful), and a round or sector only where at least SMALL_GROUP responses share it.
    """
    questions = list(survey.questions.all())
    anonymous = survey.is_anonymous
    header = ["response", "round", "sector"]
    if not anonymous:
        header = ["response", "round", "date", "sector", "member email"]
    header += [q.text for q in questions]
    yield header
    choice_labels = dict(Choice.objects.filter(question__survey=survey).values_list("pk", "label"))
    shown_rounds, shown_pairs = _anonymous_groups(survey) if anonymous else (set(), set())
    current, values, meta = None, {}, None

    def row():
        if anonymous:
            shown = meta["round"] in shown_rounds
            pair_shown = (meta["round"], meta["sector__name"]) in shown_pairs
            cells = [
                str(meta["id"]),
                meta["round"] if shown else "",
                meta["sector__name"] if pair_shown else "",
            ]
        else:
            cells = [
                str(meta["id"]),
                meta["round"],
                meta["submitted_on"].isoformat(),
                meta["sector__name"] or "",
                meta["member__email"] or "",
            ]
        return cells + ["; ".join(values.get(q.pk, [])) for q in questions]

    answers = (
        Answer.objects.filter(response__survey=survey)
        .order_by("response_id", "question__position", "question_id", "choice__position", "id")
        .values(
            "response_id",
            "question_id",
            "choice_id",
            "number",
            "text",
            "response__round",
            "response__submitted_on",
            "response__sector__name",
            "response__member__email",
            "question__kind",
        )
        .iterator(chunk_size=2000)
    )
    for answer in answers:
        if answer["response_id"] != current:
            if current is not None:
                yield row()
            current, values = answer["response_id"], {}
            meta = {
                "id": current,
                "round": answer["response__round"],
                "submitted_on": answer["response__submitted_on"],
                "sector__name": answer["response__sector__name"],
                "member__email": answer["response__member__email"],
            }
        if answer["choice_id"]:
            value = choice_labels.get(answer["choice_id"], "")
        elif answer["number"] is not None:
            value = (
                ("yes" if answer["number"] else "no")
                if answer["question__kind"] == "yesno"
                else str(answer["number"])
            )
        else:
            value = answer["text"]
        values.setdefault(answer["question_id"], []).append(value)
    if current is not None:
        yield row()
