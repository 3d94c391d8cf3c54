from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Case, F, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

import meetings.admin_series  # noqa: F401 -- registers the series pages
from meetings import previews
from meetings.forms import MeetingAdminForm
from meetings.models import Meeting, Registration, TopicSuggestion
from meetings.services.coordinating import (
    attendance_csv,
    meeting_cancel,
    meeting_change_dedupe_prefix,
    meeting_duplicate,
    meeting_save,
)
from meetings.services.registrations import registration_set_attendance
from members.accents import accent_blind
from members.bulk_confirmation import confirmation_response, is_confirmed
from members.models import OutgoingEmail


class WhenFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(ends_at__gte=now)
        if self.value() == "past":
            return queryset.filter(ends_at__lt=now)
        return queryset


class RegistrationInline(admin.TabularInline):
    """Who registered, in waiting-list order; coordinators tick who attended."""

    model = Registration
    fields = ["member", "status", "registered_at", "attended"]
    readonly_fields = ["member", "status", "registered_at"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("Registrations (tick who attended)")

    def has_add_permission(self, request, obj=None):
        # Registrations go through the waiting-list rules on the meeting page, not here.
        return False

    def get_queryset(self, request):
        # The meeting too: each row's label ("member → meeting") names it.
        return super().get_queryset(request).select_related("member", "meeting")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = MeetingAdminForm
    list_display = [
        "title",
        "starts_at",
        "kind",
        "format",
        "status",
        "registrations_against_capacity",
    ]
    list_filter = [WhenFilter, "status", "kind", "format", "starts_at", "series"]
    search_fields = [accent_blind("title"), accent_blind("summary"), accent_blind("location")]
    date_hierarchy = "starts_at"
    filter_horizontal = ["topics"]
    inlines = [RegistrationInline]
    readonly_fields = ["uid", "sequence", "cancelled_at", "created_at", "updated_at"]
    actions = ["publish_meetings", "duplicate_meetings", "export_attendance", "cancel_meetings"]
    fieldsets = [
        (None, {"fields": ["title", "summary", "description", "kind", "topics", "status"]}),
        (
            _("When and where"),
            {
                "fields": ["starts_at", "ends_at", "format", "location", "online_url", "capacity"],
                "description": format_lazy(
                    _(
                        "Times are in the community's time zone ({zone}); members see them in "
                        "their own."
                    ),
                    zone=settings.TIME_ZONE,
                ),
            },
        ),
        (
            _("Calendar"),
            {
                "fields": ["series", "uid", "sequence", "cancelled_at", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts().select_related("series")

    def get_ordering(self, request):
        # Upcoming first, soonest at the top; then past meetings, most recent first.
        now = timezone.now()
        upcoming = When(ends_at__gte=now, then=Value(0))
        return [
            Case(upcoming, default=Value(1)).asc(),
            Case(When(ends_at__gte=now, then=F("starts_at"))).asc(nulls_last=True),
            F("starts_at").desc(),
        ]

    @admin.display(description=_("Going / capacity"), ordering="going_count")
    def registrations_against_capacity(self, meeting):
        text = f"{meeting.going_count} / {meeting.capacity or '∞'}"
        if meeting.waitlisted_count:
            text += " " + gettext("(+%(n)d waiting)") % {"n": meeting.waitlisted_count}
        return text

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Deleting an upcoming meeting people registered for would cancel it without telling
        # them: it is refused, as a protected object is, and the page points to the cancel action.
        registered = (
            Meeting.objects.filter(
                pk__in=[meeting.pk for meeting in objs],
                ends_at__gt=timezone.now(),
                registrations__status__in=previews.NOTIFIED,
            )
            .exclude(status=Meeting.Status.CANCELLED)
            .distinct()
        )
        protected = [
            *protected,
            *(
                gettext(
                    "“%(meeting)s” has registrants: cancel it instead (“Cancel selected "
                    "meetings” in the list), so that they are told."
                )
                % {"meeting": meeting}
                for meeting in registered
            ),
        ]
        return deleted, model_count, perms_needed, protected

    def save_model(self, request, obj, form, change):
        sequence = obj.sequence
        meeting_save(meeting=obj, changed_fields=form.changed_data if change else ())
        if change and obj.sequence != sequence:
            emailed = OutgoingEmail.objects.filter(
                dedupe_key__startswith=meeting_change_dedupe_prefix(obj)
            ).count()
            if emailed:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d registrant is being emailed about the change, with the updated "
                        "calendar entry.",
                        "%(n)d registrants are being emailed about the change, with the updated "
                        "calendar entry.",
                        emailed,
                    )
                    % {"n": emailed},
                    messages.INFO,
                )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Registration:
            return super().save_formset(request, form, formset, change)
        # Only attendance is editable here, and it goes through the service (engagement).
        formset.new_objects, formset.deleted_objects, formset.changed_objects = [], [], []
        for inline_form in formset.forms:
            if "attended" not in inline_form.changed_data:
                continue
            registration = Registration.objects.select_related("meeting", "member").get(
                pk=inline_form.instance.pk
            )
            registration_set_attendance(
                registration=registration, attended=inline_form.cleaned_data["attended"]
            )
            formset.changed_objects.append((registration, ["attended"]))
        return None

    @admin.action(description=_("Publish selected meetings"), permissions=["change"])
    def publish_meetings(self, request, queryset):
        published = 0
        for meeting in queryset.filter(status=Meeting.Status.DRAFT):
            meeting.status = Meeting.Status.PUBLISHED
            meeting_save(meeting=meeting, changed_fields=["status"])
            published += 1
        self.message_user(
            request,
            ngettext("Published %(n)d meeting.", "Published %(n)d meetings.", published)
            % {"n": published},
            messages.SUCCESS,
        )

    @admin.action(description=_("Duplicate selected meetings (as drafts)"), permissions=["add"])
    def duplicate_meetings(self, request, queryset):
        copies = [meeting_duplicate(meeting=meeting) for meeting in queryset]
        self.message_user(
            request,
            ngettext(
                "Created %(n)d draft copy: change its dates and publish it.",
                "Created %(n)d draft copies: change their dates and publish them.",
                len(copies),
            )
            % {"n": len(copies)},
            messages.SUCCESS,
        )
        if len(copies) == 1:
            return redirect(reverse("admin:meetings_meeting_change", args=[copies[0].pk]))
        return None

    @admin.action(description=_("Export attendance (CSV)"), permissions=["view"])
    def export_attendance(self, request, queryset):
        response = HttpResponse(
            attendance_csv(meetings=queryset), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="attendance-{stamp}.csv"'
        return response

    @admin.action(
        description=_("Cancel selected meetings and email their registrants (preview)"),
        permissions=["change"],
    )
    def cancel_meetings(self, request, queryset):
        if not is_confirmed(request):
            return confirmation_response(
                self,
                request,
                queryset,
                action="cancel_meetings",
                preview=previews.cancel_preview(meetings=queryset),
            )
        cancelled = 0
        for meeting in queryset.exclude(status=Meeting.Status.CANCELLED):
            meeting_cancel(meeting=meeting)
            cancelled += 1
        self.message_user(
            request,
            ngettext(
                "Cancelled %(n)d meeting; every registrant is being emailed.",
                "Cancelled %(n)d meetings; every registrant is being emailed.",
                cancelled,
            )
            % {"n": cancelled},
            messages.SUCCESS,
        )
        return None


@admin.register(TopicSuggestion)
class TopicSuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "vote_count", "suggested_by", "status", "created_at"]
    list_editable = ["status"]
    list_filter = ["status"]
    search_fields = [accent_blind("title"), accent_blind("description")]
    raw_id_fields = ["suggested_by"]

    def get_queryset(self, request):
        # Not super(): it orders by get_ordering() before the vote count exists.
        return TopicSuggestion.objects.ranked().select_related("suggested_by")

    def get_ordering(self, request):
        return ["-vote_count", "-created_at"]

    @admin.display(description=_("Votes"), ordering="vote_count")
    def vote_count(self, suggestion):
        return suggestion.vote_count
