import functools

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import EmailConsent, Member, Sector, Topic
from members.time_zones import time_zone_choices
from members.widgets import PlainSelect

VISIBLE_PARTS = ["organisation", "job_title", "city_region", "bio", "interests"]
NAME_MAX = Member._meta.get_field("full_name").max_length
TEXT_MAX = Member._meta.get_field("organisation").max_length


class SignupForm(AllauthSignupForm):
    """allauth's signup plus who the person is in the community."""

    full_name = forms.CharField(label=_("Your name"), max_length=NAME_MAX)
    sector = forms.ModelChoiceField(
        label=_("Your library sector"),
        queryset=Sector.objects.all(),
        empty_label=_("Choose your sector"),
        error_messages={"invalid_choice": _("Choose one of the sectors in the list.")},
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=TEXT_MAX,
        help_text=_("The library or service you work for."),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=TEXT_MAX, required=False)
    privacy_consent = forms.BooleanField(
        error_messages={"required": _("Tick the box to say you agree to the privacy notice.")},
    )

    field_order = [
        "full_name",
        "email",
        "sector",
        "organisation",
        "job_title",
        "password1",
        "password2",
        "privacy_consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels are visible above every field; allauth's placeholders would repeat them.
        for name, form_field in self.fields.items():
            form_field.widget.attrs.pop("placeholder", None)
            if name == "email":
                form_field.label = _("Email address")
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        # Consent is informed and opt-in: the box starts unticked and says what it agrees to.
        # Made per form (in the reader's language), with the translation's markup kept as is.
        self.fields["privacy_consent"].label = format_html(
            gettext(
                'I have read the <a href="{}">privacy notice</a> and agree that the community may '
                "email me: check-ins, meeting reminders and a monthly digest."
            ),
            reverse("pages:privacy"),
        )
        self.fields["privacy_consent"].help_text = format_html(
            gettext(
                "You can stop each kind of email from a link in any of them. Members follow the "
                '<a href="{}">code of conduct</a>.'
            ),
            reverse("pages:code_of_conduct"),
        )


class LoginForm(AllauthLoginForm):
    """allauth's login in the portal's words: visible labels, and "Keep me logged in"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            form_field.widget.attrs.pop("placeholder", None)
        self.fields["login"].label = _("Email address")
        # The page has its own "Forgotten your password?" link beside the button.
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me logged in on this device")


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        help_text=_("Meeting times are shown to you in this zone."),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
        widget=PlainSelect,  # ~430 options: Django's per-option templates were most of the page
    )
    interests = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Interests"),
        help_text=_("Used to introduce you to colleagues from other sectors."),
        error_messages={"invalid_choice": _("Choose topics from the list.")},
    )

    class Meta:
        model = Member
        fields = [
            "full_name",
            "sector",
            "organisation",
            "organisation_visibility",
            "job_title",
            "job_title_visibility",
            "city_region",
            "city_region_visibility",
            "bio",
            "bio_visibility",
            "interests",
            "interests_visibility",
            "time_zone",
            "show_email",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "sector": PlainSelect,
            **{f"{part}_visibility": PlainSelect for part in VISIBLE_PARTS},
        }
        labels = {
            "organisation_visibility": _("Who sees your organisation"),
            "job_title_visibility": _("Who sees your job title"),
            "city_region_visibility": _("Who sees your city or region"),
            "bio_visibility": _("Who sees your bio"),
            "interests_visibility": _("Who sees your interests"),
        }
        error_messages = {
            "sector": {"invalid_choice": _("Choose one of the sectors in the list.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].required = True
        self.fields["sector"].empty_label = _("Choose your sector")
        # A callable: the ~430 zones are listed when the select is drawn or a choice checked,
        # not on every form (a cached profile form draws none).
        self.fields["time_zone"].choices = functools.partial(
            time_zone_choices, current=self.instance.time_zone
        )
        self.fields["interests"].queryset = Topic.objects.in_reader_order()


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you leaving? (optional, it helps the coordinators)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my community record will be erased for good."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class ProspectImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, first row: email, name, and optionally sector, organisation, "
            "job_title, city_region, language (en or fr, for the emails they get), and consent, "
            "consent_date, consent_source for rows that differ from the defaults below."
        ),
    )
    consent = forms.ChoiceField(
        label=_("Their consent to be emailed"),
        choices=[("", _("Given in the file, row by row")), *EmailConsent.choices],
        required=False,
        help_text=_(
            "Canada's anti-spam law (CASL): check-ins go only to people with a recorded "
            "consent. Implied consent of a prospect lasts two years from its date."
        ),
    )
    consent_date = forms.DateField(
        label=_("Consent dated"),
        required=False,
        help_text=_("When they agreed, or when the relationship began (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    consent_source = forms.CharField(
        label=_("Where the addresses came from"),
        max_length=200,
        required=False,
        help_text=_("For example “Sign-up sheet, regional conference 2025”."),
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; split it."))
        return upload

    def clean_consent_date(self):
        date = self.cleaned_data.get("consent_date")
        if date and date > timezone.localdate():
            raise forms.ValidationError(_("A consent cannot be dated in the future."))
        return date

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent") and not cleaned.get("consent_date"):
            self.add_error("consent_date", _("Give the date of the consent."))
        if cleaned.get("consent") and not cleaned.get("consent_source", "").strip():
            self.add_error("consent_source", _("Say where the addresses came from."))
        return cleaned

    def consent_defaults(self) -> dict:
        """The consent every row gets unless its own columns say otherwise."""
        data = self.cleaned_data
        return {
            "consent": data.get("consent", ""),
            "consent_date": data["consent_date"].isoformat() if data.get("consent_date") else "",
            "consent_source": data.get("consent_source", "").strip(),
        }


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "checkin_cadence",
            "wants_meeting_reminders",
            "wants_digest",
            "wants_announcements",
            "language",
        ]
        labels = {
            "language": _("Language of the emails we send you"),
            "checkin_cadence": _("How often should we check in with you?"),
            "wants_meeting_reminders": _("Remind me the day before meetings I registered for"),
            "wants_digest": _("Send me the monthly digest of meetings and new resources"),
            "wants_announcements": _("Send me announcements from the coordinators"),
        }
        # The model's help text speaks to coordinators ("this person"); the label says it all.
        help_texts = {"language": ""}
        widgets = {"checkin_cadence": forms.RadioSelect}
        error_messages = {
            "checkin_cadence": {"invalid_choice": _("Choose monthly, quarterly or paused.")}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One-click pages and older links post without it: then the language stays as it was.
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language
