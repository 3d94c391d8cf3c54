"""Copying a survey: templates are copied, not run."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from surveys.models import Choice, Survey


@transaction.atomic
def survey_copy(
    *,
    survey: Survey,
    title: str | None = None,
    title_fr: str | None = None,
    opens_at=None,
    days_open=30,
) -> Survey:
    """A new survey with the same questions and choices, in both languages (templates are
    copied, not run)."""
    opens_at = opens_at or timezone.now()
    sectors = list(survey.audience_sectors.all())
    questions = list(survey.questions.prefetch_related("choices"))
    copy = Survey.objects.create(
        title=title or survey.title.replace(" (template)", ""),
        title_fr=title_fr
        if title_fr is not None
        else ""
        if title
        else survey.title_fr.replace(" (modèle)", ""),
        introduction=survey.introduction,
        introduction_fr=survey.introduction_fr,
        is_anonymous=survey.is_anonymous,
        is_checkin=survey.is_checkin,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(days=days_open),
        audience_statuses=list(survey.audience_statuses),
    )
    copy.audience_sectors.set(sectors)
    for question in questions:
        choices = list(question.choices.all())
        question.pk = None
        question.survey = copy
        question.save()
        Choice.objects.bulk_create(
            Choice(question=question, position=c.position, label=c.label, label_fr=c.label_fr)
            for c in choices
        )
    return copy


@transaction.atomic
def survey_copy_as_draft(*, survey: Survey) -> Survey:
    """A draft with the same questions; a template's copy drops "(template)" from the title."""
    if survey.is_template:
        title = title_fr = None
    else:
        title = f"{survey.title} (copy)"[:200]
        title_fr = f"{survey.title_fr} (copie)"[:200] if survey.title_fr else ""
    copy = survey_copy(survey=survey, title=title, title_fr=title_fr)
    copy.status = Survey.Status.DRAFT
    copy.save(update_fields=["status"])
    return copy
