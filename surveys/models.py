import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from members.models import Member, Sector

TEXT_ANSWER_MAX_LENGTH = 2000


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class SurveyQuerySet(models.QuerySet):
    def open(self, now=None):
        """Scheduled surveys between their dates: templates and drafts never open."""
        now = now or timezone.now()
        return self.filter(status=Survey.Status.SCHEDULED, opens_at__lte=now, closes_at__gt=now)


class Survey(models.Model):
    """A questionnaire sent by email link to an audience of members and prospects."""

    class Status(models.TextChoices):
        # Copied to run, never run itself.
        TEMPLATE = "template", "Template"
        # Being prepared: never open and nobody can be invited, whatever its dates say.
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled: open between its dates"

    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    is_anonymous = models.BooleanField(
        "anonymous",
        default=True,
        help_text="Anonymous answers cannot be linked to the person, even in the database.",
    )
    is_checkin = models.BooleanField(
        "check-in", default=False, help_text="Sent in rounds as the regular community check-in."
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.SCHEDULED,
        help_text="A draft never opens and nobody can be invited to it, whatever its dates.",
    )
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    audience_statuses = models.JSONField(
        default=list,
        blank=True,
        help_text="Who is invited, by status (prospect, active, lapsed, left). Empty: active.",
    )
    audience_sectors = models.ManyToManyField(
        Sector, blank=True, help_text="Limit the audience to these sectors. Empty: every sector."
    )
    # A lazy reference, not an import: surveys use a meeting's attendance, nothing more.
    audience_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="attendees of",
        help_text="Limit the audience to the people who attended this meeting (post-meeting "
        "feedback). Empty: no limit.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opens"
            ),
        ]

    def __str__(self):
        return self.title

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
            return f"Opens {date_format(timezone.localtime(self.opens_at))}"
        if now < self.closes_at:
            return f"Open until {date_format(timezone.localtime(self.closes_at))}"
        return f"Closed {date_format(timezone.localtime(self.closes_at))}"

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

    def answerable_in_email(self):
        """The question a check-in email offers as one link per option, or None: the first one
        everybody may be asked, if it has options (a scale or a choice)."""
        question = self.for_respondent(None).first()
        if question is None or not (question.is_scale or question.has_choices):
            return None
        return question


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE5 = "scale5", "1–5 scale"
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        TEXT = "text", "Free text"
        YESNO = "yesno", "Yes / no"
        SCALE10 = "scale10", "0–10 scale"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        MEMBERS = "members", "Members only"
        NON_MEMBERS = "non_members", "People who are not members"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    low_label = models.CharField(
        max_length=60, blank=True, help_text="For scales, e.g. “Not at all”"
    )
    high_label = models.CharField(max_length=60, blank=True, help_text="For scales, e.g. “Very”")
    allow_other = models.BooleanField(
        default=False, help_text="For choice questions: add an “Other” option with a text box."
    )
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.EVERYONE)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

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

    def scale_choices(self) -> list[tuple[str, str]]:
        """(value, label) for each point of a scale; the ends carry their labels."""
        values = list(self.scale_range())
        choices = []
        for value in values:
            label = str(value)
            if value == values[0] and self.low_label:
                label = f"{value} – {self.low_label}"
            elif value == values[-1] and self.high_label:
                label = f"{value} – {self.high_label}"
            choices.append((str(value), label))
        return choices


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class Invitation(models.Model):
    """One person's link to one survey (in one check-in round). It records only that it was
    completed, never which response is theirs."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    # The check-in round (0 for a one-off survey): one invitation per person per round.
    round = models.PositiveIntegerField(default=0)
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    completed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "member", "round"], name="invitation_unique_per_round"
            ),
        ]

    def __str__(self):
        return f"{self.survey} → {self.member.email} (round {self.round})"


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
