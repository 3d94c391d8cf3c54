"""Copying a survey makes a draft: nothing opens or is sent before a coordinator has edited it."""

from django.db import transaction

from surveys.models import Survey
from surveys.services import survey_copy


@transaction.atomic
def survey_copy_as_draft(*, survey: Survey) -> Survey:
    """A draft with the same questions; a template's copy drops "(template)" from the title."""
    title = None if survey.is_template else f"{survey.title} (copy)"[:200]
    copy = survey_copy(survey=survey, title=title)
    copy.status = Survey.Status.DRAFT
    copy.save(update_fields=["status"])
    return copy
