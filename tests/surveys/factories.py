from datetime import timedelta

import factory
from django.utils import timezone

from surveys.models import Choice, Invitation, Question, Survey
from surveys.services.anonymity import held_responses_release_due
from surveys.services.answering import response_submit
from tests.factories import MemberFactory


def long_ago(days):
    return timezone.now() - timedelta(days=days)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Survey {n}")
    introduction = "Tell us how it is going."
    is_anonymous = True
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    member = factory.SubFactory(MemberFactory)
    sent_at = factory.LazyFunction(timezone.now)


def survey_with_questions(**kwargs) -> Survey:
    """A survey with one question of each kind: scale, single (with other), multiple, text,
    yes/no, 0–10."""
    survey = SurveyFactory(**kwargs)
    Question.objects.create(
        survey=survey,
        position=0,
        kind="scale5",
        text="How valuable?",
        required=True,
        low_label="Not at all",
        high_label="Very",
    )
    single = Question.objects.create(
        survey=survey, position=1, kind="single", text="Which format?", allow_other=True
    )
    for i, label in enumerate(["In person", "Online", "Hybrid"]):
        Choice.objects.create(question=single, position=i, label=label)
    multiple = Question.objects.create(
        survey=survey, position=2, kind="multiple", text="More of what?"
    )
    for i, label in enumerate(["Meetups", "Talks", "Socials"]):
        Choice.objects.create(question=multiple, position=i, label=label)
    Question.objects.create(survey=survey, position=3, kind="text", text="Anything else?")
    Question.objects.create(survey=survey, position=4, kind="yesno", text="Stay in touch?")
    Question.objects.create(survey=survey, position=5, kind="scale10", text="Recommend?")
    return survey


def answer(
    survey,
    *,
    scale=None,
    singles=(),
    multiples=(),
    text="",
    yesno=None,
    declared=None,
    round=0,
    other="",
):
    """One respondent's answers to a survey_with_questions(), by kind, released at once
    (with SURVEY_ANONYMITY_BATCH = 1)."""
    invitation = InvitationFactory(survey=survey, round=round)
    q = {question.kind: question for question in survey.questions.all()}
    rows = []
    if scale is not None:
        rows.append((q["scale5"], None, scale, ""))
    for label in singles:
        rows.append((q["single"], q["single"].choices.get(label=label).pk, None, ""))
    if other:
        rows.append((q["single"], None, None, other))
    for label in multiples:
        rows.append((q["multiple"], q["multiple"].choices.get(label=label).pk, None, ""))
    if text:
        rows.append((q["text"], None, None, text))
    if yesno is not None:
        rows.append((q["yesno"], None, int(yesno), ""))
    response_submit(invitation=invitation, answers=rows, declared_sector=declared)
    held_responses_release_due()
