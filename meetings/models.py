import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member, Topic


class Kind(models.TextChoices):
    INFORMAL = "informal", pgettext_lazy("meeting kind", "Informal meetup")
    DISCUSSION = "discussion", pgettext_lazy("meeting kind", "Discussion")
    PRESENTATION = "presentation", pgettext_lazy("meeting kind", "Presentation")
    WORKSHOP = "workshop", pgettext_lazy("meeting kind", "Workshop")
    SOCIAL = "social", pgettext_lazy("meeting kind", "Social")


class Format(models.TextChoices):
    IN_PERSON = "in_person", pgettext_lazy("meeting format", "In person")
    ONLINE = "online", pgettext_lazy("meeting format", "Online")
    HYBRID = "hybrid", pgettext_lazy("meeting format", "Hybrid")


# What a meeting and a series describe alike: copied from a series to its meetings, and from a
# meeting to its duplicate.
MEETING_DETAILS = (
    "title",
    "summary",
    "description",
    "kind",
    "format",
    "location",
    "online_url",
    "capacity",
)


class Series(models.Model):
    """A recurring meeting: the rule and the template its occurrences are created from.

    Once created, each occurrence is an ordinary meeting, edited and cancelled on its own.
    """

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly, on the nth weekday")
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, pgettext_lazy("week of the month", "First")
        SECOND = 2, pgettext_lazy("week of the month", "Second")
        THIRD = 3, pgettext_lazy("week of the month", "Third")
        FOURTH = 4, pgettext_lazy("week of the month", "Fourth")
        LAST = -1, pgettext_lazy("week of the month", "Last")

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INFORMAL)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.ONLINE
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", verbose_name=_("topics"))

    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.TUESDAY
    )
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        choices=WeekOfMonth.choices,
        default=WeekOfMonth.FIRST,
        help_text=_("For monthly series only."),
    )
    starts_on = models.DateField(
        _("starts on"), help_text=_("The first occurrence is on or after this date.")
    )
    start_time = models.TimeField(_("start time"), help_text=_("In the community's time zone."))
    end_time = models.TimeField(_("end time"), help_text=_("In the community's time zone."))
    occurrences = models.PositiveSmallIntegerField(
        _("number of meetings"), default=6, help_text=_("How many meetings to create (1 to 52).")
    )
    publish = models.BooleanField(
        _("publish the meetings"),
        default=True,
        help_text=_("Otherwise they are created as drafts."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="series_ends_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
            models.CheckConstraint(
                condition=Q(occurrences__gte=1, occurrences__lte=52),
                name="series_occurrences_range",
                violation_error_message=_("A series has between 1 and 52 meetings."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="series_capacity_positive",
                violation_error_message=_(
                    "The capacity must be at least 1, or empty for no limit."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The end time must be after the start time.")})
        if self.capacity is not None and self.capacity < 1:
            raise ValidationError(
                {"capacity": _("The capacity must be at least 1, or empty for no limit.")}
            )


class MeetingQuerySet(models.QuerySet):
    def published(self):
        """What members and visitors can see: published and cancelled meetings, never drafts."""
        return self.filter(status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED])

    def open_for_registration(self):
        return self.filter(status=Meeting.Status.PUBLISHED, starts_at__gt=timezone.now())

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")

    def with_counts(self):
        # A subquery per count, not a join and GROUP BY: PostgreSQL counts the registrations of
        # the page's rows only (after LIMIT), and the paginator's count needs no join at all.
        def counted(status):
            registrations = Registration.objects.filter(meeting=OuterRef("pk"), status=status)
            number = registrations.order_by().values("meeting").annotate(n=Count("pk"))
            return Coalesce(Subquery(number.values("n")), 0)

        return self.annotate(
            going_count=counted(Registration.Status.GOING),
            waitlisted_count=counted(Registration.Status.WAITLISTED),
        )

    def for_listing(self):
        # Topics are read only for cards not already cached ({% prefetch %} in the list).
        return self.with_counts()


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("meeting status", "Draft")
        PUBLISHED = "published", pgettext_lazy("meeting status", "Published")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: **bold**, lists, [links](…).")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INFORMAL)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to members who are going.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="meetings", verbose_name=_("topics")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("series"),
    )
    # iCalendar: the UID never changes; SEQUENCE goes up whenever calendars must update.
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="meeting_capacity_positive",
                violation_error_message=_(
                    "The capacity must be at least 1, or empty for no limit."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("The capacity must be at least 1, or empty for no limit.")
        if self.format in (Format.IN_PERSON, Format.HYBRID) and not self.location:
            errors["location"] = _("Say where an in-person or hybrid meeting takes place.")
        if self.format in (Format.ONLINE, Format.HYBRID) and not self.online_url:
            errors["online_url"] = _("An online or hybrid meeting needs its online link.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_open_for_registration(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.has_started

    @property
    def is_online(self) -> bool:
        return self.format in (Format.ONLINE, Format.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (Format.IN_PERSON, Format.HYBRID)

    def seats_left(self, going_count: int) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - going_count, 0)


class Registration(models.Model):
    class Status(models.TextChoices):
        GOING = "going", pgettext_lazy("registration status", "Going")
        WAITLISTED = "waitlisted", pgettext_lazy("registration status", "On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="meeting_registrations",
        verbose_name=_("member"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.GOING
    )
    # When the member (last) registered: the waiting list is served in this order.
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="registration_unique_per_member_and_meeting",
                violation_error_message=_("This member is already registered for this meeting."),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status", "registered_at"])]

    def __str__(self):
        return f"{self.member} → {self.meeting} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.GOING, self.Status.WAITLISTED)

    def waitlist_position(self) -> int | None:
        """1 for the next member to be offered a seat; None when not on the waiting list."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = Registration.objects.filter(
            meeting_id=self.meeting_id, status=self.Status.WAITLISTED
        ).filter(
            Q(registered_at__lt=self.registered_at)
            | Q(registered_at=self.registered_at, pk__lt=self.pk)
        )
        return ahead.count() + 1


class TopicSuggestionQuerySet(models.QuerySet):
    def ranked(self):
        return self.annotate(vote_count=Count("votes")).order_by(
            "-vote_count", "-created_at", "-pk"
        )


class TopicSuggestion(models.Model):
    """A topic a member would like a future meeting about; members vote for the ones they want."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("topic suggestion status", "Open for votes")
        SCHEDULED = "scheduled", pgettext_lazy("topic suggestion status", "Scheduled")
        CLOSED = "closed", pgettext_lazy("topic suggestion status", "Closed")

    title = models.CharField(_("topic"), max_length=150)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    suggested_by = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topic_suggestions",
        verbose_name=_("suggested by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TopicSuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic suggestion")
        verbose_name_plural = _("topic suggestions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class TopicVote(models.Model):
    suggestion = models.ForeignKey(
        TopicSuggestion,
        on_delete=models.CASCADE,
        related_name="votes",
        verbose_name=_("topic suggestion"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="topic_votes", verbose_name=_("member")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("topic vote")
        verbose_name_plural = _("topic votes")
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "member"], name="topic_vote_one_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.member_id} → {self.suggestion_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A member's secret subscription URL; a new token revokes the old address."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("member")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"Calendar feed of {self.member_id}"

    def get_absolute_url(self):
        return reverse("meetings:feed", args=[self.token])
