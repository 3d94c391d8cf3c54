from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members import admin_accounts  # noqa: F401 -- re-registers allauth's email addresses
from members.accents import accent_blind
from members.admin_import import ProspectImportAdminMixin
from members.models import (
    DeliveryEvent,
    EngagementEvent,
    Member,
    MemberStatusChange,
    OutgoingEmail,
    Reengagement,
    Sector,
    Topic,
    User,
)
from members.outbox.bounces import member_bounces_clear
from members.outbox.queue import outgoing_emails_retry
from members.pages import admin as pages_admin  # noqa: F401 -- registers the community pages
from members.services.attrition import members_at_risk
from members.services.joining import normalise_email
from members.services.lifecycle import StatusChangeNotAllowed, member_change_status
from members.services.prospects import members_export_rows
from members.spreadsheets import SafeCsvWriter


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", accent_blind("first_name"), accent_blind("last_name")]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "name_fr", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "name_fr", "slug"]
    search_fields = [accent_blind("name"), accent_blind("name_fr")]
    prepopulated_fields = {"slug": ["name"]}


class StatusChangeInline(admin.TabularInline):
    model = MemberStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Status history")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Who made each change, with the history: not one query per row.
        return super().get_queryset(request).select_related("changed_by")


class OutgoingEmailInline(admin.TabularInline):
    model = OutgoingEmail
    fields = ["created_at", "kind", "subject", "state", "attempts", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("Email history")

    def has_add_permission(self, request, obj=None):
        return False


class ReengagementInline(admin.TabularInline):
    model = Reengagement
    fields = ["sent_at", "sent_by", "answer", "closed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Re-engagement check-ins")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sent_by")


class LastEngagedFilter(admin.SimpleListFilter):
    """By the member's latest engagement event (attended, RSVP, answered, contributed, login)."""

    title = _("last engaged")
    parameter_name = "engaged"

    def lookups(self, request, model_admin):
        return [
            ("30", _("In the last 30 days")),
            ("90", _("In the last 90 days")),
            ("over90", _("More than 90 days ago")),
            ("never", _("Never")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() in ("30", "90"):
            return queryset.filter(last_engaged__gte=now - timedelta(days=int(self.value())))
        if self.value() == "over90":
            return queryset.filter(last_engaged__lt=now - timedelta(days=90))
        if self.value() == "never":
            return queryset.filter(last_engaged__isnull=True)
        return queryset


class AtRiskFilter(admin.SimpleListFilter):
    """The attrition rule's own answer (members_at_risk), and those it has already contacted."""

    title = _("at risk")
    parameter_name = "at_risk"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("At risk, not yet contacted")),
            ("contacted", _("Re-engagement sent, no answer yet")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=members_at_risk().values("pk"))
        if self.value() == "contacted":
            return queryset.filter(
                pk__in=Reengagement.objects.filter(closed_at__isnull=True).values("member_id")
            )
        return queryset


class StatusChangeForm(admin.helpers.ActionForm):
    reason = forms.CharField(required=False, max_length=300, label=_("Reason"))


def _status_action(to_status):
    label = Member.Status(to_status).label

    def action(modeladmin, request, queryset):
        changed, refused = 0, 0
        # The recorded reason is data, kept in one language for the retention reports.
        reason = request.POST.get("reason") or f"Marked {to_status} by a coordinator"
        for member in queryset:
            try:
                member_change_status(
                    member=member, to_status=to_status, reason=reason, changed_by=request.user
                )
                changed += 1
            except StatusChangeNotAllowed:
                refused += 1
        modeladmin.message_user(
            request,
            ngettext("%(n)d member now %(s)s.", "%(n)d members now %(s)s.", changed)
            % {"n": changed, "s": str(label).lower()},
            messages.SUCCESS,
        )
        if refused:
            modeladmin.message_user(
                request,
                ngettext(
                    "%(n)d member could not move to %(s)s from their current status.",
                    "%(n)d members could not move to %(s)s from their current status.",
                    refused,
                )
                % {"n": refused, "s": str(label).lower()},
                messages.WARNING,
            )

    action.__name__ = f"mark_{to_status}"
    action.short_description = format_lazy(_("Mark selected members as {status}"), status=label)
    # Only those who may change members; a view-only helper does not see the action.
    action.allowed_permissions = ("change",)
    return action


@admin.register(Member)
class MemberAdmin(ProspectImportAdminMixin, admin.ModelAdmin):
    list_display = [
        "full_name",
        "email",
        "status",
        "sector",
        "organisation",
        "joined_at",
        "last_engaged_on",
        "has_account",
    ]
    list_filter = [
        AtRiskFilter,
        LastEngagedFilter,
        "status",
        "sector",
        "source",
        "email_consent",
        "checkin_cadence",
    ]
    search_fields = [accent_blind("full_name"), "email", accent_blind("organisation")]
    list_select_related = ["sector"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["interests"]
    readonly_fields = [
        "status",
        "status_changed_at",
        "joined_at",
        "created_at",
        "updated_at",
        # Recorded by the person's own signup, never typed in by someone else.
        "privacy_notice_version",
        "privacy_notice_accepted_at",
    ]
    inlines = [StatusChangeInline, ReengagementInline, OutgoingEmailInline]
    action_form = StatusChangeForm
    actions = [
        "export_csv",
        _status_action(Member.Status.ACTIVE),
        _status_action(Member.Status.LAPSED),
        _status_action(Member.Status.LEFT),
    ]
    change_list_template = "admin/members/member/change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "full_name",
                    "email",
                    "user",
                    "sector",
                    "organisation",
                    "job_title",
                    "city_region",
                    "bio",
                    "interests",
                    "time_zone",
                ]
            },
        ),
        (
            _("Lifecycle"),
            {
                "fields": [
                    "status",
                    "status_changed_at",
                    "joined_at",
                    "source",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("Communication"),
            {
                "fields": [
                    "checkin_cadence",
                    "wants_meeting_reminders",
                    "wants_digest",
                    "wants_announcements",
                    "email_bounced_at",
                    "email_suppressed_reason",
                    "email_soft_bounces",
                    "language",
                ],
                "description": _(
                    "Nothing is sent to a suppressed address until it changes "
                    "(or you clear “email suppressed since”)."
                ),
            },
        ),
        (
            _("Consent"),
            {
                "fields": [
                    "email_consent",
                    "email_consent_on",
                    "email_consent_source",
                    "privacy_notice_version",
                    "privacy_notice_accepted_at",
                ]
            },
        ),
        (
            _("Directory visibility"),
            {
                "fields": [
                    "organisation_visibility",
                    "job_title_visibility",
                    "city_region_visibility",
                    "bio_visibility",
                    "interests_visibility",
                    "show_email",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        latest = (
            EngagementEvent.objects.filter(member=OuterRef("pk"))
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        return super().get_queryset(request).annotate(last_engaged=Subquery(latest))

    @admin.display(boolean=True, description=_("Account"))
    def has_account(self, obj):
        return obj.user_id is not None

    @admin.display(description=_("Last engaged"), ordering="last_engaged")
    def last_engaged_on(self, obj):
        if obj.last_engaged is None:
            return gettext("never")
        return date_format(timezone.localtime(obj.last_engaged))

    @admin.action(description=_("Export selected members as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="members-{stamp}.csv"'
        SafeCsvWriter(response).writerows(members_export_rows(members=queryset))
        return response

    def save_model(self, request, obj, form, change):
        obj.email = normalise_email(obj.email)
        if change and "email" in form.changed_data:
            # A new address: the old one's bounces and complaints no longer apply.
            member_bounces_clear(member=obj)
        if not change:
            obj.source = obj.source or Member.Source.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["to_email", "dedupe_key"]
    # Not the stored message: it is the fields shown here, serialised into kilobytes of bytes.
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields if f.name != "message"]
    date_hierarchy = "created_at"
    actions = ["retry_failed"]

    @admin.action(description=_("Retry the selected failed emails"), permissions=["change"])
    def retry_failed(self, request, queryset):
        count = outgoing_emails_retry(emails=queryset)
        self.message_user(
            request,
            ngettext("%(n)d failed email queued again.", "%(n)d failed emails queued again.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False


class ReengagementOpenFilter(admin.SimpleListFilter):
    title = _("answer pending")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("Waiting for an answer")), ("no", _("Closed"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(closed_at__isnull=self.value() == "yes")
        return queryset


@admin.register(Reengagement)
class ReengagementAdmin(admin.ModelAdmin):
    """What re-engagement check-ins were sent, by whom, and how each ended. Read only."""

    list_display = ["member", "sent_at", "sent_by", "answer", "closed_at"]
    list_filter = [ReengagementOpenFilter, "answer", "sent_at"]
    search_fields = [accent_blind("member__full_name"), "member__email"]
    list_select_related = ["member", "sent_by"]
    date_hierarchy = "sent_at"
    readonly_fields = ["member", "sent_at", "sent_by", "answer", "closed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(admin.ModelAdmin):
    """What the mail provider reported (bounces, complaints, deliveries): read only."""

    list_display = ["occurred_at", "kind", "recipient", "esp", "member"]
    list_filter = ["kind", "esp"]
    search_fields = ["recipient", "event_id"]
    list_select_related = ["member"]
    readonly_fields = [f.name for f in DeliveryEvent._meta.fields]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
