from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from announcements.dispatch import AnnouncementRefused, announcement_send_request
from announcements.models import Announcement
from announcements.services import announcement_audience, announcement_preview
from members.accents import accent_blind
from members.models import Member

# The email's own HTML, framed in the review page: nothing in it may run or load, and its
# inline styles (all an email client understands) may apply.
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; sandbox"


class AnnouncementAdminForm(forms.ModelForm):
    audience_statuses = forms.MultipleChoiceField(
        label=_("Statuses"),
        choices=Member.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Who, by status. None ticked: active members."),
    )

    class Meta:
        model = Announcement
        fields = [
            "subject",
            "body",
            "audience_statuses",
            "audience_sectors",
            "audience_topics",
            "audience_meeting",
            "audience_meeting_who",
        ]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    form = AnnouncementAdminForm
    list_display = ["subject", "status", "recipients", "sent_at", "created_at", "review_link"]
    list_filter = ["status"]
    search_fields = [accent_blind("subject"), accent_blind("body")]
    filter_horizontal = ["audience_sectors", "audience_topics"]
    autocomplete_fields = ["audience_meeting"]
    change_form_template = "admin/announcements/announcement/change_form.html"
    fieldsets = [
        (None, {"fields": ["subject", "body"]}),
        (
            _("Audience"),
            {
                "fields": [
                    "audience_statuses",
                    "audience_sectors",
                    "audience_topics",
                    "audience_meeting",
                    "audience_meeting_who",
                ],
                "description": _(
                    "Everyone who matches all of these, except people who turned announcements "
                    "off or whose address bounces. You see the count and a preview before "
                    "sending."
                ),
            },
        ),
    ]

    @admin.display(description="")
    def review_link(self, obj):
        if not obj.is_draft:
            return "—"
        url = reverse("admin:announcements_announcement_review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Review and send"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:  # sent: a record, no longer editable
            return [*self.form.Meta.fields, "status", "recipients", "sent_at", "sent_by"]
        return []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_review" in request.POST:
            return redirect("admin:announcements_announcement_review", obj.pk)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_review" in request.POST:
            return redirect("admin:announcements_announcement_review", obj.pk)
        return super().response_change(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="announcements_announcement_review",
            ),
            path(
                "<int:pk>/preview.html",
                self.admin_site.admin_view(self.preview_html_view),
                name="announcements_announcement_preview_html",
            ),
            *super().get_urls(),
        ]

    def _announcement(self, request, pk) -> Announcement:
        announcement = get_object_or_404(Announcement, pk=pk)
        if not self.has_view_permission(request, announcement):
            raise PermissionDenied
        return announcement

    def review_view(self, request, pk):
        """The count and the email as it will arrive; Send (a POST) is the only step that acts."""
        announcement = self._announcement(request, pk)
        count = announcement_audience(announcement=announcement).count()
        if request.method == "POST":
            if not self.has_change_permission(request, announcement):
                raise PermissionDenied
            try:
                announcement_send_request(announcement=announcement, by=request.user)
            except AnnouncementRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "“%(subject)s” is being sent to %(n)d person.",
                        "“%(subject)s” is being sent to %(n)d people.",
                        count,
                    )
                    % {"subject": announcement, "n": count},
                    messages.SUCCESS,
                )
            return redirect("admin:announcements_announcement_changelist")
        preview = announcement_preview(announcement=announcement)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": announcement,
            "announcement": announcement,
            "title": gettext("Review and send: %(subject)s") % {"subject": announcement},
            "count": count,
            "preview": preview,
            "list_unsubscribe": preview.headers.get("List-Unsubscribe", ""),
            "can_send": announcement.is_draft and self.has_change_permission(request, announcement),
        }
        return TemplateResponse(request, "admin/announcements/announcement/review.html", context)

    @xframe_options_sameorigin  # shown in a frame of the review page, and nowhere else
    def preview_html_view(self, request, pk):
        preview = announcement_preview(announcement=self._announcement(request, pk))
        response = HttpResponse(preview.body_html)
        response["Content-Security-Policy"] = PREVIEW_CSP
        return response
