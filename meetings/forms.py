from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, Series, TopicSuggestion


def online_url_field() -> forms.URLField:
    return forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to members who are going, and in their confirmation email."),
    )


class MeetingAdminForm(forms.ModelForm):
    online_url = online_url_field()

    class Meta:
        model = Meeting
        fields = [
            "title",
            "summary",
            "description",
            "kind",
            "topics",
            "status",
            "starts_at",
            "ends_at",
            "format",
            "location",
            "online_url",
            "capacity",
            "series",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.status != Meeting.Status.CANCELLED:
            # Cancelling emails every registrant: it is the list's action, which shows how many
            # people will be emailed and asks first, never a choice in this form.
            status = self.fields["status"]
            status.choices = [c for c in status.choices if c[0] != Meeting.Status.CANCELLED]
            status.help_text = _(
                "To cancel the meeting, select it in the list of meetings and choose “Cancel "
                "selected meetings”: it shows who will be emailed before anything is sent."
            )

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(
                _("The capacity must be at least 1, or empty for no limit.")
            )
        return capacity


class SeriesAdminForm(forms.ModelForm):
    online_url = online_url_field()
    # Shown when editing a series (see SeriesAdmin.get_fieldsets).
    apply_to_future = forms.BooleanField(
        label=_("Apply my changes to the future meetings of this series"),
        required=False,
        initial=True,
    )

    class Meta:
        model = Series
        fields = [
            "title",
            "summary",
            "description",
            "kind",
            "topics",
            "format",
            "location",
            "online_url",
            "capacity",
            "publish",
            "frequency",
            "week_of_month",
            "weekday",
            "starts_on",
            "start_time",
            "end_time",
            "occurrences",
        ]

    def clean(self):
        cleaned = super().clean()
        fmt = cleaned.get("format")
        if fmt in ("in_person", "hybrid") and not cleaned.get("location"):
            self.add_error("location", _("Say where an in-person or hybrid meeting takes place."))
        if fmt in ("online", "hybrid") and not cleaned.get("online_url"):
            self.add_error("online_url", _("An online or hybrid meeting needs its online link."))
        return cleaned


class TopicSuggestionForm(forms.ModelForm):
    class Meta:
        model = TopicSuggestion
        fields = ["title", "description"]
        labels = {
            "title": _("Topic"),
            "description": _("What would you like to cover? (optional)"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Enter a topic."))
        return title
