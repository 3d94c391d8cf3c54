"""The answer form, built from a survey's questions. Validation only: storing is a service."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members.models import Sector
from surveys.models import TEXT_ANSWER_MAX_LENGTH, Question

OTHER = "other"


def field_name(question) -> str:
    return f"q{question.pk}"


def other_field_name(question) -> str:
    return f"q{question.pk}_other"


ONE_PRESS = "one_press"


def option_label(question, value) -> str | None:
    """The label of option `value` of a scale or choice question, or None if it is not one."""
    if question.is_scale:
        options = question.scale_choices(html=True)
    elif question.has_choices:
        options = [
            (str(choice.pk), choice.localized_html("label")) for choice in question.choices.all()
        ]
    else:
        return None
    return dict(options).get(str(value))


def one_press_answer(questions, data) -> tuple | None:
    """(question, value, label) for an answer chosen in a check-in email, or None.

    The email's option links open the page as `?q12=4` (see surveys/services/checkins.py); the
    form then asks for that one answer with one Send button, the rest optional. The Send form
    names the question again in `one_press`, since its POST carries the other answers too.
    """
    by_name = {field_name(question): question for question in questions}
    if ONE_PRESS in data:
        names = [name for name in by_name if str(by_name[name].pk) == data.get(ONE_PRESS)]
    else:
        names = [name for name in data if name in by_name]
    if len(names) != 1:
        return None
    question = by_name[names[0]]
    value = data.get(names[0])
    label = option_label(question, value)
    return None if label is None else (question, value, label)


class AnswerForm(forms.Form):
    """One field per question; "other" choices get a text box of their own.

    `optional_except`: a question answered from the email (one press); every other question is
    then optional, whatever the survey says.
    """

    def __init__(self, *args, questions, ask_sector=False, optional_except=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[field_name(question)] = self._field_for(question)
            if optional_except is not None and question.pk != optional_except.pk:
                self.fields[field_name(question)].required = False
            if question.has_choices and question.allow_other:
                self.fields[other_field_name(question)] = forms.CharField(
                    # Names its question, so the error summary and a screen reader's list of
                    # fields say which "Other" it is.
                    label=format_html(
                        "{} — {}",
                        question.localized_html("text"),
                        _("if “Other”, please say what"),
                    ),
                    required=False,
                    max_length=300,
                )
        if ask_sector:
            self.fields["sector"] = forms.ModelChoiceField(
                label=_("Your sector (optional)"),
                help_text=_("Used only in totals of five people or more."),
                queryset=Sector.objects.all(),
                required=False,
                empty_label=_("Prefer not to say"),
                error_messages={"invalid_choice": _("Choose a sector from the list.")},
            )

    def _field_for(self, question):
        common = {
            "label": question.localized_html("text"),
            "help_text": question.localized_html("help_text"),
            "required": question.required,
        }
        invalid = {
            "invalid_choice": _("Choose one of the options given."),
            "required": _("Answer this question."),
        }
        kind = question.kind
        if question.is_scale:
            return forms.ChoiceField(
                choices=question.scale_choices(html=True),
                widget=forms.RadioSelect,
                error_messages=invalid,
                **common,
            )
        if kind == Question.Kind.YESNO:
            return forms.ChoiceField(
                choices=[("yes", _("Yes")), ("no", _("No"))],
                widget=forms.RadioSelect,
                error_messages=invalid,
                **common,
            )
        if question.has_choices:
            choices = [(str(c.pk), c.localized_html("label")) for c in question.choices.all()]
            if question.allow_other:
                choices.append((OTHER, _("Other")))
            if kind == Question.Kind.SINGLE:
                return forms.ChoiceField(
                    choices=choices, widget=forms.RadioSelect, error_messages=invalid, **common
                )
            return forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={**invalid, "invalid_choice": _("Choose from the options given.")},
                **common,
            )
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=TEXT_ANSWER_MAX_LENGTH,
            error_messages={"required": _("Answer this question.")},
            **common,
        )

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            if not (question.has_choices and question.allow_other):
                continue
            picked = cleaned.get(field_name(question)) or []
            picked = picked if isinstance(picked, list) else [picked]
            other_text = (cleaned.get(other_field_name(question)) or "").strip()
            if OTHER in picked and not other_text:
                self.add_error(other_field_name(question), _("Say what “other” means for you."))
        return cleaned

    def answers(self):
        """The cleaned answers as (question, choice_id | None, number | None, text) tuples."""
        rows = []
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value in (None, "", []):
                continue
            if question.is_scale:
                rows.append((question, None, int(value), ""))
            elif question.kind == Question.Kind.YESNO:
                rows.append((question, None, 1 if value == "yes" else 0, ""))
            elif question.has_choices:
                values = value if isinstance(value, list) else [value]
                for item in values:
                    if item == OTHER:
                        text = self.cleaned_data.get(other_field_name(question), "").strip()
                        rows.append((question, None, None, text))
                    else:
                        rows.append((question, int(item), None, ""))
            else:
                rows.append((question, None, None, value.strip()))
        return rows
