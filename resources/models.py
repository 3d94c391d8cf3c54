import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from members.models import Member, Sector, Topic
from resources.storage import private_storage


class Kind(models.TextChoices):
    TEMPLATE = "template", _("Template")
    CASE_STUDY = "case_study", _("Case study")
    KM_STORY = "km_story", _("Practice story")
    GUIDE = "guide", _("Guide")
    REPORT = "report", _("Report")
    SLIDES = "slides", _("Slides")
    MEETING_NOTES = "meeting_notes", _("Meeting notes")
    LINK = "link", _("Link")


# Written in the guided form that follows the toolkit's case study template.
GUIDED_KINDS = (Kind.CASE_STUDY, Kind.KM_STORY)
# Shown on the page of the meeting they belong to.
MEETING_KINDS = (Kind.MEETING_NOTES, Kind.SLIDES)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members only")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


def resource_upload_to(resource, filename: str) -> str:
    # A random name: the original one is kept in file_name for the download, never in a path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"resources/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

    def visible_to(self, *, is_member: bool):
        """Published resources a reader may find: all of them for members, public ones else."""
        published = self.published()
        return published if is_member else published.public()

    def for_listing(self):
        """Cards show a summary: the long texts stay in the database. Their author, topics and
        sectors are read only for cards not already cached ({% prefetch %} in the list), and not
        joined here: a join made PostgreSQL join every match of a search before ranking it."""
        return self.defer("body", "context", "actions", "impact", "lessons")

    def featured(self):
        return self.published().filter(featured=True).order_by("-published_at", "-pk")

    def awaiting_review(self):
        return self.filter(status=Status.SUBMITTED).order_by("submitted_at", "pk")


class Resource(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GUIDE)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences shown in lists and search results."),
    )
    body = models.TextField(
        _("text"),
        blank=True,
        max_length=50_000,
        help_text=_("Markdown: **bold**, lists, [links](https://…)."),
    )
    # The sections of the toolkit's case study template, for case studies and practice stories;
    # the body is composed from them so search and the page read the same text.
    context = models.TextField(_("context"), blank=True, max_length=5000)
    actions = models.TextField(_("what was done"), blank=True, max_length=5000)
    impact = models.TextField(_("impact"), blank=True, max_length=5000)
    lessons = models.TextField(_("lessons learned"), blank=True, max_length=5000)
    contact = models.CharField(_("contact for more information"), blank=True, max_length=300)

    file = models.FileField(
        _("file"),
        upload_to=resource_upload_to,
        storage=private_storage,
        blank=True,
        max_length=200,
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(
        _("file size"), null=True, blank=True, editable=False
    )
    url = models.URLField(_("link"), blank=True, max_length=500)

    topics = models.ManyToManyField(
        Topic, blank=True, related_name="resources", verbose_name=_("topics")
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="resources", verbose_name=_("sectors")
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        verbose_name=_("meeting"),
        help_text=_("Notes and slides appear on the meeting's page."),
    )
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        verbose_name=_("author"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown on the landing page.")
    )

    published_at = models.DateTimeField(_("publication date"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    # Kept up to date by the services, so lists sort by them without aggregating.
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0, editable=False)
    rating_average = models.DecimalField(
        _("average rating"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        permissions = [("publish_resource", "Can review, publish and archive resources")]
        constraints = [
            models.CheckConstraint(
                condition=Q(file="") | Q(url=""),
                name="resource_file_or_link_not_both",
                violation_error_message=_("A resource has an uploaded file or a link, not both."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "visibility", "published_at"]),
            # Members' list: every published resource, newest first.
            models.Index(
                fields=["status", "-published_at", "-id"], name="resource_newest_published"
            ),
            models.Index(fields=["status", "submitted_at"]),
            # Full-text search: on PostgreSQL a stored, indexed tsvector column that Django does
            # not manage (migration 0003 adds it; see resources/search.py).
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_guided(self) -> bool:
        return self.kind in GUIDED_KINDS

    @property
    def is_editable_by_author(self) -> bool:
        return self.status in (Status.DRAFT, Status.CHANGES_REQUESTED)

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    def get_download_url(self):
        return reverse("resources:download", args=[self.pk])


class ResourceTransition(models.Model):
    """One step of the editorial workflow: who moved the resource, from where to where, why."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("resource")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("step of the review")
        verbose_name_plural = _("steps of the review")
        indexes = [models.Index(fields=["resource", "created_at"])]

    def __str__(self):
        return f"{self.resource_id}: {self.from_status or '—'} → {self.to_status}"


class Rating(models.Model):
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("resource")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="resource_ratings",
        verbose_name=_("member"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "member"],
                name="rating_one_per_member",
                violation_error_message=_("You have already rated this resource."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="rating_score_1_to_5",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.member_id} rated {self.resource_id}: {self.score}"
