import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

# Defined with the rest of the outbox; imported here so that the app registry finds it.
from members.outbox.models import DeliveryEvent, OutgoingEmail  # noqa: F401 -- re-exported on purpose

# The community's own pages (about, privacy notice…), imported for the same reason.
from members.pages.models import CommunityPage, CommunityPageText  # noqa: F401 -- re-exported


def community_time_zone() -> str:
    return settings.TIME_ZONE


def community_language() -> str:
    return settings.LANGUAGE_CODE


class UserManager(DjangoUserManager):
    """Accounts are identified by email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A login. The community record is `Member`; a user may have one."""

    username = None
    email = models.EmailField("email address", unique=True)
    # What a person entered at signup with the address of an existing community record: kept
    # here, and applied to that record only once the address is verified (members/services/
    # joining.py), so an unverified signup can change nobody's record.
    signup_details = models.JSONField(default=dict, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email


class SectorQuerySet(models.QuerySet):
    def with_active_member_counts(self):
        return self.annotate(
            active_members=Count("members", filter=Q(members__status=Member.Status.ACTIVE))
        )


class Sector(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = SectorQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Topic(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Visibility(models.TextChoices):
    MEMBERS = "members", "Members only"
    HIDDEN = "hidden", "Hidden"


class CheckinCadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    PAUSED = "paused", "Paused"


class EmailConsent(models.TextChoices):
    """The basis on which a person may be emailed, as Canada's anti-spam law (CASL) records it."""

    EXPRESS = "express", "Express: they asked or agreed to hear from the community"
    IMPLIED = "implied", "Implied: a tie to the community, or a work address they publish"


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Member.Status.ACTIVE)

    def for_directory(self):
        """Active members as the directory lists them, with what each card shows."""
        return (
            self.active()
            .select_related("sector")
            .prefetch_related("interests")
            .order_by(Lower("full_name"), "pk")
        )

    def from_other_sectors_sharing_interests(self, member):
        """The cross-sector introduction: active members of other sectors with shared interests.

        Only interests a member has chosen to show count, so the suggestion reveals nothing hidden.
        """
        interest_ids = list(member.interests.values_list("pk", flat=True))
        if not interest_ids:
            return self.none()
        return (
            self.active()
            .exclude(pk=member.pk)
            .exclude(sector_id=member.sector_id)
            .filter(interests_visibility=Visibility.MEMBERS, interests__in=interest_ids)
            .annotate(shared_interests=Count("interests", distinct=True))
            .select_related("sector")
            .prefetch_related("interests")
            .order_by("-shared_interests", Lower("full_name"), "pk")
        )


class SuppressionReason(models.TextChoices):
    """Why nothing more is sent to an address (see members/outbox/bounces.py)."""

    REFUSED = "refused", "Refused by the receiving server"
    HARD_BOUNCE = "hard_bounce", "Bounced (reported by the provider)"
    SOFT_BOUNCES = "soft_bounces", "Too many temporary bounces in a row"
    COMPLAINT = "complaint", "Marked as spam by the person"


class Member(models.Model):
    """The community record of one person, one per email address, with an optional account."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        ACTIVE = "active", "Active"
        LAPSED = "lapsed", "Lapsed"
        LEFT = "left", "Left"

    class Source(models.TextChoices):
        SIGNUP = "signup", "Signed up"
        IMPORT = "import", "Imported by a coordinator"
        ADMIN = "admin", "Added in the admin"
        DEMO = "demo", "Demo data"

    email = models.EmailField("email address", unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    full_name = models.CharField("name", max_length=150)
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    organisation = models.CharField(max_length=150, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    city_region = models.CharField("city or region", max_length=100, blank=True)
    bio = models.TextField("short bio", max_length=1000, blank=True)
    interests = models.ManyToManyField(Topic, blank=True, related_name="members")
    # Validated against the system's zone database in forms, not as model choices, so that a
    # tzdata update never produces a migration.
    time_zone = models.CharField(max_length=64, default=community_time_zone)
    language = models.CharField(
        "language",
        max_length=10,
        choices=settings.LANGUAGES,
        default=community_language,
        help_text="The language of the emails sent to this person.",
    )

    organisation_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    job_title_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    city_region_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    bio_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    interests_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    show_email = models.BooleanField(
        "show my email address to members",
        default=False,
        help_text="Only logged-in members can ever see it.",
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROSPECT)
    status_changed_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ADMIN)

    # Consent: to the privacy notice at signup, and to being emailed (check-ins go only to
    # people with a recorded basis; see members/contact.py).
    privacy_notice_version = models.PositiveIntegerField(
        "privacy notice version agreed to", null=True, blank=True
    )
    privacy_notice_accepted_at = models.DateTimeField(
        "privacy notice agreed to on", null=True, blank=True
    )
    email_consent = models.CharField(
        "consent to be emailed",
        max_length=10,
        choices=EmailConsent.choices,
        blank=True,
        help_text="Check-ins go only to people whose consent is recorded here (Canada's "
        "anti-spam law). Implied consent of a prospect lasts two years from its date.",
    )
    email_consent_on = models.DateField(
        "consent dated",
        null=True,
        blank=True,
        help_text="When they agreed, or when the relationship began.",
    )
    email_consent_source = models.CharField(
        "where the address came from",
        max_length=200,
        blank=True,
        help_text="For example “Signed up on the portal” or “Sign-up sheet, regional "
        "conference 2025”.",
    )

    checkin_cadence = models.CharField(
        max_length=10, choices=CheckinCadence.choices, default=CheckinCadence.QUARTERLY
    )
    wants_meeting_reminders = models.BooleanField(default=True)
    wants_digest = models.BooleanField(default=True)
    wants_announcements = models.BooleanField(default=True)
    # Set: nothing more is sent to this address (a bounce or a complaint), until it changes.
    email_bounced_at = models.DateTimeField("email suppressed since", null=True, blank=True)
    email_suppressed_reason = models.CharField(
        max_length=12, choices=SuppressionReason.choices, blank=True
    )
    # Temporary bounces of different emails since the last delivery; at
    # OUTBOX_SOFT_BOUNCE_LIMIT the address is suppressed.
    email_soft_bounces = models.PositiveSmallIntegerField(default=0)
    # "Pause check-ins for three months" from a re-engagement check-in.
    checkins_paused_until = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = [Lower("full_name")]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="member_email_ci_unique"),
            # A consent without its date could not be shown to a regulator.
            models.CheckConstraint(
                condition=Q(email_consent="") | Q(email_consent_on__isnull=False),
                name="member_email_consent_dated",
                violation_error_message="Give the date of the consent to be emailed.",
            ),
        ]
        indexes = [models.Index(fields=["status", "sector"])]
        permissions = [
            # The coordinator's dashboard (copsite holds no models, so it is asked of members).
            ("view_community_dashboard", "Can view the community dashboard"),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.pk])

    @property
    def is_active_member(self) -> bool:
        return self.status == self.Status.ACTIVE

    def zone(self) -> zoneinfo.ZoneInfo:
        """The member's time zone, or the community's if theirs is unknown to this system."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def shows(self, field: str) -> bool:
        """Whether the profile field is visible to other members."""
        return getattr(self, f"{field}_visibility") == Visibility.MEMBERS


class MemberStatusChange(models.Model):
    """One step in a member's lifecycle: who changed it, when and why (for retention reports)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Member.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Member.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(max_length=300)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        get_latest_by = "changed_at"

    def __str__(self):
        return f"{self.member_id}: {self.from_status or '—'} → {self.to_status}"


class EngagementEvent(models.Model):
    """Something a member did that shows they take part; participation is counted from these."""

    class Kind(models.TextChoices):
        ATTENDED = "attended", "Attended a meeting"
        RSVP = "rsvp", "Registered for a meeting"
        RESPONDED = "responded", "Responded to a check-in or survey"
        CONTRIBUTED = "contributed", "Contributed a resource"
        LOGIN = "login", "Logged in"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="engagement_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    # What it was about, e.g. "meeting:42", so an app can find or undo its own events.
    source = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "occurred_at"]),
            models.Index(fields=["kind", "source"]),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.kind} at {self.occurred_at:%Y-%m-%d}"


class Reengagement(models.Model):
    """A re-engagement check-in sent to a member at risk of drifting away, and its outcome."""

    class Answer(models.TextChoices):
        STAY = "stay", "Stay"
        PAUSE = "pause", "Pause check-ins for three months"
        LEAVE = "leave", "Leave the community"
        ENGAGED = "engaged", "Took part again"
        LAPSED = "lapsed", "No answer: lapsed"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="reengagements")
    # The coordinator who sent it by hand from the at-risk list; empty when the daily run did.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "re-engagement"
        constraints = [
            # At most one open re-engagement per member, even if two runs overlap.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(closed_at__isnull=True),
                name="reengagement_one_open_per_member",
            ),
        ]

    def __str__(self):
        return f"Re-engagement of {self.member_id} ({self.answer or 'open'})"
