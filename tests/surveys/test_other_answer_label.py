"""An "Other" text box names its question in words that read well, in the form and in the
error summary ("What would you like more of? — if “Other”, please say what")."""

import pytest
from django.template.loader import render_to_string

from surveys.forms import AnswerForm, other_field_name
from surveys.models import Choice, Question
from tests.surveys.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def test_other_box_label_reads_as_a_sentence(client):
    survey = SurveyFactory()
    question = Question.objects.create(
        survey=survey,
        position=0,
        kind="multiple",
        text="What would you like more of?",
        allow_other=True,
    )
    Choice.objects.create(question=question, position=0, label="Socials")

    form = AnswerForm(data={f"q{question.pk}": ["other"]}, questions=[question])

    assert not form.is_valid()
    label = form.fields[other_field_name(question)].label
    assert label == "What would you like more of? — if “Other”, please say what"
    assert "?:" not in label


def test_error_summary_adds_no_colon_after_a_question_mark():
    survey = SurveyFactory()
    question = Question.objects.create(
        survey=survey, position=0, kind="text", text="Anything else?", required=True
    )
    form = AnswerForm(data={}, questions=[question])
    form.is_valid()

    html = render_to_string("includes/form_errors.html", {"form": form})

    assert "Anything else? Answer this question." in html
    assert "?:" not in html
