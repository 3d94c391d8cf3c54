import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import Member, Sector

TEXT_ANSWER_MAX_LENGTH = 2000


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


def _reader_reads_french() -> bool:
    return (translation.get_language() or "").startswith("fr")


class BilingualContent:
    """Survey content is written in English, with a French version of each text beside it
    (`title` and `title_fr`). The shipped templates have both; a coordinator's own survey may
    be English only, and a French reader then sees the English, marked as such for screen
    readers (`localized_html`)."""

    def localized(self, field: str) -> str:
        """The text of `field` in the reader's language, else the English."""
        if _reader_reads_french():
            french = getattr(self, f"{field}_fr", "")
            if french:
                return french
        return getattr(self, field)

    def localized_html(self, field: str):
        """As `localized`, for a page: English shown to a French reader carries lang="en"."""
        text = self.localized(field)
        if text and _reader_reads_french() and not getattr(self, f"{field}_fr", ""):
            return format_html('<span lang="en">{}</span>', text)
        return text


class SurveyQuerySet(models.QuerySet):
    def open(self, now=None):
        """Scheduled surveys between their dates: templates and drafts never open."""
        now = now or timezone.now()
        return self.filter(status=Survey.Status.SCHEDULED, opens_at__lte=now, closes_at__gt=now)


class Survey(BilingualContent, models.Model):
    """A questionnaire sent by email link to an audience of members and prospects."""

    class Status(models.TextChoices):
        # Copied to run, never run itself.
        TEMPLATE = "template", _("Template")
        # Being prepared: never open and nobody can be invited, whatever its dates say.
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled: open between its dates")

    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(
        _("title in French"),
        max_length=200,
        blank=True,
        help_text=_("Shown to French readers. Empty: they see the English."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_fr = models.TextField(_("introduction in French"), blank=True)
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Anonymous answers cannot be linked to the person, even in the database."),
    )
    is_checkin = models.BooleanField(
        _("check-in"),
        default=False,
        help_text=_("Sent in rounds as the regular community check-in."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.SCHEDULED,
        help_text=_("A draft never opens and nobody can be invited to it, whatever its dates."),
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"))
    audience_statuses = models.JSONField(
        _("audience by status"),
        default=list,
        blank=True,
        help_text=_("Who is invited, by status (prospect, active, lapsed, left). Empty: active."),
    )
    audience_sectors = models.ManyToManyField(
        Sector,
        blank=True,
        verbose_name=_("audience by sector"),
        help_text=_("Limit the audience to these sectors. Empty: every sector."),
    )
    # A lazy reference, not an import: surveys use a meeting's attendance, nothing more.
    audience_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("attendees of"),
        help_text=_(
            "Limit the audience to the people who attended this meeting (post-meeting "
            "feedback). Empty: no limit."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "title"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opens"
            ),
        ]

    def __str__(self):
        return self.localized("title")

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.SCHEDULED and self.opens_at <= now < self.closes_at

    @property
    def is_template(self) -> bool:
        return self.status == self.Status.TEMPLATE

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def state_label(self, now=None) -> str:
        """What a coordinator needs to know at a glance: template, draft, opens, open, closed."""
        now = now or timezone.now()
        if self.status != self.Status.SCHEDULED:
            return self.get_status_display()
        if now < self.opens_at:
            return gettext("Opens %(date)s") % {
                "date": date_format(timezone.localtime(self.opens_at))
            }
        if now < self.closes_at:
            return gettext("Open until %(date)s") % {
                "date": date_format(timezone.localtime(self.closes_at))
            }
        return gettext("Closed %(date)s") % {
            "date": date_format(timezone.localtime(self.closes_at))
        }

    def get_results_url(self):
        return reverse("admin:surveys_survey_results", args=[self.pk])


class QuestionQuerySet(models.QuerySet):
    def for_respondent(self, member: Member | None):
        """The questions as this person sees them: members and non-members differ."""
        is_member = member is not None and member.status in (
            Member.Status.ACTIVE,
            Member.Status.LAPSED,
        )
        excluded = Question.Audience.NON_MEMBERS if is_member else Question.Audience.MEMBERS
        return self.exclude(audience=excluded).prefetch_related("choices")


class Question(BilingualContent, models.Model):
    class Kind(models.TextChoices):
        SCALE5 = "scale5", _("1–5 scale")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")
        YESNO = "yesno", _("Yes / no")
        SCALE10 = "scale10", _("0–10 scale")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        MEMBERS = "members", _("Members only")
        NON_MEMBERS = "non_members", _("People who are not members")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    text_fr = models.CharField(_("question in French"), max_length=300, blank=True)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    help_text_fr = models.CharField(_("help text in French"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    low_label = models.CharField(
        _("low label"), max_length=60, blank=True, help_text=_("For scales, e.g. “Not at all”")
    )
    low_label_fr = models.CharField(_("low label in French"), max_length=60, blank=True)
    high_label = models.CharField(
        _("high label"), max_length=60, blank=True, help_text=_("For scales, e.g. “Very”")
    )
    high_label_fr = models.CharField(_("high label in French"), max_length=60, blank=True)
    allow_other = models.BooleanField(
        _("allow “Other”"),
        default=False,
        help_text=_("For choice questions: add an “Other” option with a text box."),
    )
    audience = models.CharField(
        _("asked of"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.localized("text")

    @property
    def is_scale(self) -> bool:
        return self.kind in (self.Kind.SCALE5, self.Kind.SCALE10)

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)

    def scale_range(self) -> range:
        if self.kind == self.Kind.SCALE5:
            return range(1, 6)
        if self.kind == self.Kind.SCALE10:
            return range(0, 11)
        return range(0)

    def scale_choices(self, *, html: bool = False) -> list[tuple[str, str]]:
        """(value, label) for each point of a scale, in the reader's language; the ends carry
        their labels. `html`: for a page, with English shown to a French reader marked."""
        values = list(self.scale_range())
        text = self.localized_html if html else self.localized
        low, high = text("low_label"), text("high_label")
        choices = []
        for value in values:
            label = str(value)
            if value == values[0] and low:
                label = format_html("{} – {}", value, low) if html else f"{value} – {low}"
            elif value == values[-1] and high:
                label = format_html("{} – {}", value, high) if html else f"{value} – {high}"
            choices.append((str(value), label))
        return choices


class Choice(BilingualContent, models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=200)
    label_fr = models.CharField(_("label in French"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.localized("label")


class Invitation(models.Model):
    """One person's link to one survey (in one check-in round). It records only that it was
    completed, never which response is theirs."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("person")
    )
    # The check-in round (0 for a one-off survey): one invitation per person per round.
    round = models.PositiveIntegerField(_("round"), default=0)
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    completed = models.BooleanField(_("answered"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "member", "round"], name="invitation_unique_per_round"
            ),
        ]

    def __str__(self):
        return gettext("%(survey)s → %(email)s (round %(round)s)") % {
            "survey": self.survey,
            "email": self.member.email,
            "round": self.round,
        }


class Response(models.Model):
    """A set of answers. For an anonymous survey nothing here points at a person: a random key,
    no person, and no time finer than the day (and the round)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    round = models.PositiveIntegerField(default=0)
    submitted_on = models.DateField()
    # Only for named surveys.
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="named_responses"
    )
    # Named surveys copy the member's sector; anonymous ones hold what the person chose to say.
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        # Random keys: listing by key reveals nothing about the order of answering.
        ordering = ["id"]
        indexes = [models.Index(fields=["survey", "round"])]

    def __str__(self):
        return f"Response to {self.survey} on {self.submitted_on}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=TEXT_ANSWER_MAX_LENGTH)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["question", "choice"]),
            models.Index(fields=["question", "number"]),
        ]

    def __str__(self):
        return f"Answer to {self.question_id}"


class HeldResponse(models.Model):
    """An anonymous response waiting to reach the results (see surveys/services/anonymity.py).

    It is written in its own transaction, apart from the invitation's completion, and its answers
    and declared sector are sealed (encrypted under the site's secret key): a row in this table
    tells a reader of the database only that someone answered this survey in this round, which
    the invitations already say. No time, no sequence: a random key, and nothing readable until
    it is released with at least SURVEY_ANONYMITY_BATCH others, in shuffled order.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="held_responses")
    round = models.PositiveIntegerField(default=0)
    sealed = models.TextField(editable=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["survey", "round"])]

    def __str__(self):
        return f"Held response to {self.survey_id} (round {self.round})"
