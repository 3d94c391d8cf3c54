"""Copying a survey, such as one of the shipped templates."""

import pytest

from surveys.models import Survey
from surveys.services.copying import survey_copy

pytestmark = pytest.mark.django_db


def test_survey_copy_of_shipped_template_copies_questions_and_choices():
    template = Survey.objects.get(title="Community review (template)")

    copy = survey_copy(survey=template)

    assert copy.title == "Community review"
    assert copy.is_open()
    assert [q.text for q in copy.questions.all()] == [q.text for q in template.questions.all()]
    assert copy.questions.get(text__startswith="Why did you decide").choices.count() == 6
    assert template.questions.count() == 12
