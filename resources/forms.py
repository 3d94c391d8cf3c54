from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from members.models import Sector, Topic
from resources.files import ALLOWED_EXTENSIONS, validate_upload
from resources.models import GUIDED_KINDS, Kind, Resource, Visibility
from resources.services import ResourceContent

MEETINGS_OFFERED_DAYS = 400


class _ResourceFormBase(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Topics"),
    )
    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sectors"),
        help_text=_("The kinds of library it is most useful to; leave empty for all."),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.MEMBERS,
        label=_("Who can read it once published"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Enter a title.")
        self.fields["summary"].error_messages["required"] = _("Enter a short summary.")

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Enter a title."))
        return title

    def clean_summary(self):
        summary = " ".join(self.cleaned_data["summary"].split())
        if not summary:
            raise forms.ValidationError(_("Enter a short summary."))
        return summary

    def to_content(self) -> ResourceContent:
        data = self.cleaned_data
        return ResourceContent(
            kind=data["kind"],
            title=data["title"],
            summary=data["summary"],
            body=data.get("body", ""),
            context=data.get("context", ""),
            actions=data.get("actions", ""),
            impact=data.get("impact", ""),
            lessons=data.get("lessons", ""),
            contact=data.get("contact", ""),
            url=data.get("url", ""),
            visibility=data["visibility"],
            topics=tuple(data["topics"]),
            sectors=tuple(data["sectors"]),
            meeting=data.get("meeting"),
            upload=data.get("file") or None,
            remove_file=bool(data.get("remove_file")),
        )


class ResourceForm(_ResourceFormBase):
    """A file, a link or a page of text: templates, guides, reports, slides, meeting notes."""

    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in Kind if k not in GUIDED_KINDS], label=_("Kind")
    )
    file = forms.FileField(
        required=False,
        widget=forms.FileInput,
        label=_("File"),
        help_text=format_lazy(
            _(
                "PDF, Word, Excel, PowerPoint, OpenDocument text, PNG, JPEG, plain text or CSV "
                "({extensions})."
            ),
            extensions=", ".join(f".{e}" for e in ALLOWED_EXTENSIONS),
        ),
    )
    remove_file = forms.BooleanField(required=False, label=_("Remove the current file"))
    url = forms.URLField(
        required=False,
        label=_("Link"),
        assume_scheme="https",
        max_length=500,
        help_text=_("Instead of a file: the address of a page elsewhere."),
    )
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label=_("Meeting"),
        empty_label=_("No meeting"),
        help_text=_("Notes and slides of a meeting appear on its page."),
    )

    class Meta:
        model = Resource
        fields = [
            "kind",
            "title",
            "summary",
            "body",
            "url",
            "meeting",
            "topics",
            "sectors",
            "visibility",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        labels = {"body": _("Text (optional)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        since = timezone.now() - timedelta(days=MEETINGS_OFFERED_DAYS)
        meetings = Meeting.objects.published().filter(starts_at__gte=since)
        if self.instance.meeting_id:
            meetings = meetings | Meeting.objects.filter(pk=self.instance.meeting_id)
        self.fields["meeting"].queryset = meetings.order_by("-starts_at")
        if not (self.instance.pk and self.instance.file):
            del self.fields["remove_file"]
        else:
            self.fields["file"].help_text = " ".join(
                [
                    gettext("Now: %(name)s. Choose another file to replace it.")
                    % {"name": self.instance.file_name},
                    str(self.fields["file"].help_text),
                ]
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, url = cleaned.get("file"), cleaned.get("url")
        keeps_file = bool(self.instance.file) and not cleaned.get("remove_file")
        if upload and url:
            self.add_error("url", _("Give a file or a link, not both."))
        elif url and keeps_file:
            self.add_error("url", _("Remove the current file first, or leave the link empty."))
        if cleaned.get("kind") == Kind.LINK and not url and "url" not in self.errors:
            self.add_error("url", _("A link needs its address."))
        return cleaned


class GuidedResourceForm(_ResourceFormBase):
    """A case study or practice story, written in the sections of the case study template."""

    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in GUIDED_KINDS],
        widget=forms.RadioSelect,
        initial=Kind.CASE_STUDY,
        label=_("What are you writing?"),
        help_text=_(
            "A case study reports a project and its impact; a practice story is a "
            "shorter account of a moment when knowledge was shared or put to use."
        ),
    )

    class Meta:
        model = Resource
        fields = [
            "kind",
            "title",
            "summary",
            "context",
            "actions",
            "impact",
            "lessons",
            "contact",
            "topics",
            "sectors",
            "visibility",
        ]
        widgets = {
            "context": forms.Textarea(attrs={"rows": 4}),
            "actions": forms.Textarea(attrs={"rows": 6}),
            "impact": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "context": _("1. Context"),
            "actions": _("2. What was done"),
            "impact": _("3. Impact"),
            "lessons": _("4. Lessons learned"),
            "contact": _("5. Contact"),
        }
        help_texts = {
            "context": _(
                "Your library and the problem or opportunity: who, where, why it mattered."
            ),
            "actions": _("What you did, step by step, and who was involved."),
            "impact": _("What changed, for whom. Numbers, quotes and feedback help."),
            "lessons": _("What you would do again, or differently; advice for a colleague."),
            "contact": _("Who to ask for more (a name, role or email), or leave empty."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = _(
            "A short, specific title, e.g. “Teaching referencing with a board game”."
        )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Comment to the author"),
        help_text=_("Needed when you ask for changes; the author receives it by email."),
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        label=_("Your rating (1 = not useful, 5 = very useful)"),
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
