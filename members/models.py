import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Models with modules of their own (the outbox, the community's own pages, the two vocabularies:
# sectors and topics), imported here so that the app registry finds them.
from members.outbox.models import DeliveryEvent, OutgoingEmail  # noqa: F401 -- re-exported on purpose
from members.pages.models import CommunityPage, CommunityPageText  # noqa: F401 -- re-exported
from members.time_zones import time_zone_label
from members.vocabulary import Sector, Topic


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
    email = models.EmailField(_("email address"), unique=True)
    # What a person entered at signup with the address of an existing community record: kept
    # here, and applied to that record only once the address is verified (members/services/
    # joining.py), so an unverified signup can change nobody's record.
    signup_details = models.JSONField(default=dict, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members only")
    HIDDEN = "hidden", _("Hidden")


class CheckinCadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    PAUSED = "paused", _("Paused")


class EmailConsent(models.TextChoices):
    """The basis on which a person may be emailed, as Canada's anti-spam law (CASL) records it."""

    EXPRESS = "express", _("Express: they asked or agreed to hear from the community")
    IMPLIED = "implied", _("Implied: a tie to the community, or a work address they publish")


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Member.Status.ACTIVE)

    def for_directory(self):
        """Active members as the directory lists them, with their sectors. Their interests are
        read only for cards not already cached ({% prefetch %} in the directory)."""
        return self.active().select_related("sector").order_by(Lower("full_name"), "pk")


class SuppressionReason(models.TextChoices):
    """Why nothing more is sent to an address (see members/outbox/bounces.py)."""

    REFUSED = "refused", _("Refused by the receiving server")
    HARD_BOUNCE = "hard_bounce", _("Bounced (reported by the provider)")
    SOFT_BOUNCES = "soft_bounces", _("Too many temporary bounces in a row")
    COMPLAINT = "complaint", _("Marked as spam by the person")


class Member(models.Model):
    """The community record of one person, one per email address, with an optional account."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        LEFT = "left", _("Left")

    class Source(models.TextChoices):
        SIGNUP = "signup", _("Signed up")
        IMPORT = "import", _("Imported by a coordinator")
        ADMIN = "admin", _("Added in the admin")
        DEMO = "demo", _("Demo data")

    email = models.EmailField(_("email address"), unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    full_name = models.CharField(_("name"), max_length=150)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    city_region = models.CharField(_("city or region"), max_length=100, blank=True)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    interests = models.ManyToManyField(
        Topic, verbose_name=_("interests"), blank=True, related_name="members"
    )
    # Validated against the system's zone database in forms, not as model choices, so that a
    # tzdata update never produces a migration.
    time_zone = models.CharField(_("time zone"), max_length=64, default=community_time_zone)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=community_language,
        help_text=_("The language of the emails sent to this person."),
    )

    organisation_visibility = models.CharField(
        _("who sees the organisation"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    job_title_visibility = models.CharField(
        _("who sees the job title"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    city_region_visibility = models.CharField(
        _("who sees the city or region"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    bio_visibility = models.CharField(
        _("who sees the bio"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    interests_visibility = models.CharField(
        _("who sees the interests"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    show_email = models.BooleanField(
        _("show my email address to members"),
        default=False,
        help_text=_("Only logged-in members can ever see it."),
    )

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROSPECT
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    joined_at = models.DateTimeField(_("joined on"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ADMIN
    )

    # Consent: to the privacy notice at signup, and to being emailed (check-ins go only to
    # people with a recorded basis; see members/contact.py).
    privacy_notice_version = models.PositiveIntegerField(
        _("privacy notice version agreed to"), null=True, blank=True
    )
    privacy_notice_accepted_at = models.DateTimeField(
        _("privacy notice agreed to on"), null=True, blank=True
    )
    email_consent = models.CharField(
        _("consent to be emailed"),
        max_length=10,
        choices=EmailConsent.choices,
        blank=True,
        help_text=_(
            "Check-ins go only to people whose consent is recorded here (Canada's "
            "anti-spam law). Implied consent of a prospect lasts two years from its date."
        ),
    )
    email_consent_on = models.DateField(
        _("consent dated"),
        null=True,
        blank=True,
        help_text=_("When they agreed, or when the relationship began."),
    )
    email_consent_source = models.CharField(
        _("where the address came from"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example “Signed up on the portal” or “Sign-up sheet, regional conference 2025”."
        ),
    )

    checkin_cadence = models.CharField(
        _("check-in frequency"),
        max_length=10,
        choices=CheckinCadence.choices,
        default=CheckinCadence.QUARTERLY,
    )
    wants_meeting_reminders = models.BooleanField(_("meeting reminders"), default=True)
    wants_digest = models.BooleanField(_("monthly digest"), default=True)
    wants_announcements = models.BooleanField(_("announcements"), default=True)
    # Set: nothing more is sent to this address (a bounce or a complaint), until it changes.
    email_bounced_at = models.DateTimeField(_("email suppressed since"), null=True, blank=True)
    email_suppressed_reason = models.CharField(
        _("why the email is suppressed"),
        max_length=12,
        choices=SuppressionReason.choices,
        blank=True,
    )
    # Temporary bounces of different emails since the last delivery; at
    # OUTBOX_SOFT_BOUNCE_LIMIT the address is suppressed.
    email_soft_bounces = models.PositiveSmallIntegerField(
        _("temporary bounces in a row"), default=0
    )
    # "Pause check-ins for three months" from a re-engagement check-in.
    checkins_paused_until = models.DateField(_("check-ins paused until"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = [Lower("full_name")]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="member_email_ci_unique"),
            # A consent without its date could not be shown to a regulator.
            models.CheckConstraint(
                condition=Q(email_consent="") | Q(email_consent_on__isnull=False),
                name="member_email_consent_dated",
                violation_error_message=_("Give the date of the consent to be emailed."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "sector"]),
            # The directory's order, read a page at a time (without it, a sort of every member).
            models.Index(
                Lower("full_name"), "id", condition=Q(status="active"), name="member_directory"
            ),
        ]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [
            # The coordinator's dashboard (copsite holds no models, so it is asked of members).
            ("view_community_dashboard", _("Can view the community dashboard")),
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

    def time_zone_label(self) -> str:
        """The member's zone as the reader's language names it ("Eastern (Toronto, …)")."""
        return time_zone_label(self.time_zone)

    def shows(self, field: str) -> bool:
        """Whether the profile field is visible to other members."""
        return getattr(self, f"{field}_visibility") == Visibility.MEMBERS


class MemberStatusChange(models.Model):
    """One step in a member's lifecycle: who changed it, when and why (for retention reports)."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=Member.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=Member.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        get_latest_by = "changed_at"
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.member_id}: {self.from_status or '—'} → {self.to_status}"


class EngagementEvent(models.Model):
    """Something a member did that shows they take part; participation is counted from these."""

    class Kind(models.TextChoices):
        ATTENDED = "attended", _("Attended a meeting")
        RSVP = "rsvp", _("Registered for a meeting")
        RESPONDED = "responded", _("Responded to a check-in or survey")
        CONTRIBUTED = "contributed", _("Contributed a resource")
        LOGIN = "login", _("Logged in")

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="engagement_events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    # What it was about, e.g. "meeting:42", so an app can find or undo its own events.
    source = models.CharField(_("about"), max_length=100, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("engagement event")
        verbose_name_plural = _("engagement events")
        indexes = [
            models.Index(fields=["member", "occurred_at"]),
            models.Index(fields=["kind", "source"]),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.kind} at {self.occurred_at:%Y-%m-%d}"


class Reengagement(models.Model):
    """A re-engagement check-in sent to a member at risk of drifting away, and its outcome."""

    class Answer(models.TextChoices):
        STAY = "stay", _("Stay")
        PAUSE = "pause", _("Pause check-ins for three months")
        LEAVE = "leave", _("Leave the community")
        ENGAGED = "engaged", _("Took part again")
        LAPSED = "lapsed", _("No answer: lapsed")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="reengagements"
    )
    # The coordinator who sent it by hand from the at-risk list; empty when the daily run did.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("re-engagement")
        verbose_name_plural = _("re-engagements")
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
