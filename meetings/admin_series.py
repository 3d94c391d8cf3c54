"""The coordinators' series pages: a series' form carries its edits on to the future meetings,
and the meetings left over after a shorter series are cancelled through the previewed action."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from meetings import previews
from meetings.forms import SeriesAdminForm
from meetings.models import Meeting, Series
from meetings.services.series import series_create_occurrences
from meetings.services.series_edits import (
    series_edit_apply,
    series_edit_summary,
    series_future_meetings,
    series_leftover_cancel,
    series_leftover_meetings,
)
from members.bulk_confirmation import confirmation_response, is_confirmed


class SeriesMeetingInline(admin.TabularInline):
    model = Meeting
    fields = ["title", "starts_at", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _(
        "Meetings in this series (future ones follow the series' edits; each can also be "
        "edited on its own)"
    )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    form = SeriesAdminForm
    list_display = ["title", "frequency", "starts_on", "occurrences"]
    filter_horizontal = ["topics"]
    inlines = [SeriesMeetingInline]
    actions = ["create_occurrences", "cancel_leftover_meetings"]
    fieldsets = [
        (
            _("The meetings"),
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
            _("When they recur"),
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
                "description": format_lazy(
                    _(
                        "For example: monthly, first Tuesday, 12:00 to 13:00, 6 meetings. "
                        "Times are in the community's time zone ({zone})."
                    ),
                    zone=settings.TIME_ZONE,
                ),
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        future = series_future_meetings(series=obj).count()
        past = obj.meetings.count() - future
        description = (
            ngettext(
                "Saving changes the %(n)d future meeting of this series: ",
                "Saving changes the %(n)d future meetings of this series: ",
                future,
            )
            % {"n": future}
            + gettext(
                "the details you change are copied onto each; new times apply on each meeting's "
                "own date; a new rule moves them, in order, to its dates; more meetings add the "
                "missing dates. Details you leave alone keep any edit made to one meeting. "
            )
            + ngettext(
                "%(n)d past or cancelled meeting never changes.",
                "%(n)d past or cancelled meetings never change.",
                past,
            )
            % {"n": past}
        )
        fieldsets.append(
            (
                gettext("Future meetings"),
                {"fields": ["apply_to_future"], "description": description},
            )
        )
        return fieldsets

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        series = form.instance
        if not change:  # a new series: create its meetings straight away
            created = series_create_occurrences(series=series)
            self.message_user(
                request,
                ngettext("Created %(n)d meeting.", "Created %(n)d meetings.", len(created))
                % {"n": len(created)},
                messages.SUCCESS,
            )
            return
        if not form.cleaned_data.get("apply_to_future"):
            self.message_user(
                request,
                gettext("The series was saved; as asked, none of its meetings changed."),
                messages.WARNING,
            )
            return
        edit = series_edit_apply(series=series, changed_fields=form.changed_data)
        level = messages.SUCCESS if edit.changes_anything else messages.INFO
        for line in series_edit_summary(edit=edit):
            self.message_user(request, line, level)

    @admin.action(description=_("Create the meetings of the selected series"), permissions=["add"])
    def create_occurrences(self, request, queryset):
        created = 0
        for series in queryset:
            created += len(series_create_occurrences(series=series))
        self.message_user(
            request,
            ngettext(
                "Created %(n)d meeting; dates that already had one were skipped.",
                "Created %(n)d meetings; dates that already had one were skipped.",
                created,
            )
            % {"n": created},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Cancel the meetings left over and email their registrants (preview)"),
        permissions=["change"],
    )
    def cancel_leftover_meetings(self, request, queryset):
        # The same preview and confirmation as cancelling meetings from their own list.
        leftover = Meeting.objects.filter(
            pk__in=[m.pk for series in queryset for m in series_leftover_meetings(series=series)]
        )
        if not is_confirmed(request):
            return confirmation_response(
                self,
                request,
                queryset,
                action="cancel_leftover_meetings",
                preview=previews.cancel_preview(meetings=leftover),
            )
        cancelled = [m for series in queryset for m in series_leftover_cancel(series=series)]
        self.message_user(
            request,
            ngettext(
                "Cancelled %(n)d meeting left over; every registrant is being emailed.",
                "Cancelled %(n)d meetings left over; every registrant is being emailed.",
                len(cancelled),
            )
            % {"n": len(cancelled)},
            messages.SUCCESS,
        )
        return None
