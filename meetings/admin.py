from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Case, F, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from meetings.forms import MeetingAdminForm, SeriesAdminForm
from meetings.models import Meeting, Registration, Series, TopicSuggestion
from meetings.services.coordinating import (
    attendance_csv,
    meeting_cancel,
    meeting_duplicate,
    meeting_save,
)
from meetings.services.registrations import registration_set_attendance
from meetings.services.series import series_create_occurrences


class WhenFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past")]

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
    verbose_name_plural = "Registrations (tick who attended)"

    def has_add_permission(self, request, obj=None):
        # Registrations go through the waiting-list rules on the meeting page, not here.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


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
    search_fields = ["title", "summary", "location"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["topics"]
    inlines = [RegistrationInline]
    readonly_fields = ["uid", "sequence", "cancelled_at", "created_at", "updated_at"]
    actions = ["publish_meetings", "duplicate_meetings", "export_attendance", "cancel_meetings"]
    fieldsets = [
        (None, {"fields": ["title", "summary", "description", "kind", "topics", "status"]}),
        (
            "When and where",
            {
                "fields": ["starts_at", "ends_at", "format", "location", "online_url", "capacity"],
                "description": f"Times are in the community's time zone ({settings.TIME_ZONE}); "
                "members see them in their own.",
            },
        ),
        (
            "Calendar",
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

    @admin.display(description="Going / capacity", ordering="going_count")
    def registrations_against_capacity(self, meeting):
        text = f"{meeting.going_count} / {meeting.capacity or '∞'}"
        if meeting.waitlisted_count:
            text += f" (+{meeting.waitlisted_count} waiting)"
        return text

    def save_model(self, request, obj, form, change):
        meeting_save(meeting=obj, changed_fields=form.changed_data if change else ())

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

    @admin.action(description="Publish selected meetings")
    def publish_meetings(self, request, queryset):
        published = 0
        for meeting in queryset.filter(status=Meeting.Status.DRAFT):
            meeting.status = Meeting.Status.PUBLISHED
            meeting_save(meeting=meeting, changed_fields=["status"])
            published += 1
        self.message_user(request, f"Published {published} meeting(s).", messages.SUCCESS)

    @admin.action(description="Duplicate selected meetings (as drafts)")
    def duplicate_meetings(self, request, queryset):
        copies = [meeting_duplicate(meeting=meeting) for meeting in queryset]
        self.message_user(
            request,
            f"Created {len(copies)} draft cop{'y' if len(copies) == 1 else 'ies'}: "
            "change their dates and publish them.",
            messages.SUCCESS,
        )
        if len(copies) == 1:
            return redirect(reverse("admin:meetings_meeting_change", args=[copies[0].pk]))
        return None

    @admin.action(description="Export attendance (CSV)")
    def export_attendance(self, request, queryset):
        response = HttpResponse(
            attendance_csv(meetings=queryset), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="attendance-{stamp}.csv"'
        return response

    @admin.action(description="Cancel selected meetings and email their registrants")
    def cancel_meetings(self, request, queryset):
        cancelled = 0
        for meeting in queryset.exclude(status=Meeting.Status.CANCELLED):
            meeting_cancel(meeting=meeting)
            cancelled += 1
        self.message_user(
            request,
            f"Cancelled {cancelled} meeting(s); every registrant is being emailed.",
            messages.SUCCESS,
        )


class SeriesMeetingInline(admin.TabularInline):
    model = Meeting
    fields = ["title", "starts_at", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "Meetings in this series (each is edited on its own)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    form = SeriesAdminForm
    list_display = ["title", "frequency", "starts_on", "occurrences"]
    filter_horizontal = ["topics"]
    inlines = [SeriesMeetingInline]
    actions = ["create_occurrences"]
    fieldsets = [
        (
            "The meetings",
            {
                "fields": [
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
                ]
            },
        ),
        (
            "When they recur",
            {
                "fields": [
                    "frequency",
                    "week_of_month",
                    "weekday",
                    "starts_on",
                    "start_time",
                    "end_time",
                    "occurrences",
                ],
                "description": "For example: monthly, first Tuesday, 12:00 to 13:00, 6 meetings. "
                f"Times are in the community's time zone ({settings.TIME_ZONE}).",
            },
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:  # a new series: create its meetings straight away
            created = series_create_occurrences(series=form.instance)
            self.message_user(request, f"Created {len(created)} meeting(s).", messages.SUCCESS)

    @admin.action(description="Create the meetings of the selected series")
    def create_occurrences(self, request, queryset):
        created = 0
        for series in queryset:
            created += len(series_create_occurrences(series=series))
        self.message_user(
            request,
            f"Created {created} meeting(s); dates that already had one were skipped.",
            messages.SUCCESS,
        )


@admin.register(TopicSuggestion)
class TopicSuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "vote_count", "suggested_by", "status", "created_at"]
    list_editable = ["status"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    raw_id_fields = ["suggested_by"]

    def get_queryset(self, request):
        # Not super(): it orders by get_ordering() before the vote count exists.
        return TopicSuggestion.objects.ranked().select_related("suggested_by")

    def get_ordering(self, request):
        return ["-vote_count", "-created_at"]

    @admin.display(description="Votes", ordering="vote_count")
    def vote_count(self, suggestion):
        return suggestion.vote_count
