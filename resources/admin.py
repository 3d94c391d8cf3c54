from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members.accents import accent_blind
from resources import services
from resources.files import validate_upload
from resources.models import Rating, Resource, ResourceTransition, Status


class ResourceAdminForm(forms.ModelForm):
    # A plain file input: private files have no URL to show as "Currently: …".
    file = forms.FileField(required=False, widget=forms.FileInput, label=_("Replace the file"))
    url = forms.URLField(required=False, assume_scheme="https", max_length=500, label=_("Link"))

    class Meta:
        model = Resource
        fields = [
            "kind",
            "title",
            "summary",
            "body",
            "featured",
            "context",
            "actions",
            "impact",
            "lessons",
            "contact",
            "file",
            "url",
            "visibility",
            "topics",
            "sectors",
            "meeting",
            "author",
            "published_at",
        ]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_upload(upload)
            return upload
        return self.instance.file


class ResourceTransitionInline(admin.TabularInline):
    """The editorial history, read-only: steps are taken with the actions, never typed in."""

    model = ResourceTransition
    fields = ["created_at", "from_status", "to_status", "by", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    list_display = ["title", "kind", "status", "visibility", "featured", "author", "published_at"]
    list_filter = ["status", "kind", "visibility", "featured", "topics", "sectors"]
    search_fields = [
        accent_blind("title"),
        accent_blind("summary"),
        accent_blind("author__full_name"),
        "author__email",
    ]
    date_hierarchy = "published_at"
    raw_id_fields = ["author", "meeting"]
    filter_horizontal = ["topics", "sectors"]
    inlines = [ResourceTransitionInline]
    # The status moves only through the workflow (the actions below and the review page).
    readonly_fields = [
        "status",
        "download_link",
        "file_name",
        "file_size",
        "reviewer",
        "submitted_at",
        "download_count",
        "rating_count",
        "rating_average",
        "created_at",
        "updated_at",
    ]
    actions = ["publish_resources", "archive_resources"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "summary", "body", "status", "featured"]}),
        (
            _("Case study sections"),
            {
                "fields": ["context", "actions", "impact", "lessons", "contact"],
                "classes": ["collapse"],
            },
        ),
        (_("File or link"), {"fields": ["file", "download_link", "file_name", "file_size", "url"]}),
        (
            _("Audience"),
            {"fields": ["visibility", "topics", "sectors", "meeting", "author", "published_at"]},
        ),
        (
            _("Review and use"),
            {
                "fields": [
                    "reviewer",
                    "submitted_at",
                    "download_count",
                    "rating_count",
                    "rating_average",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description=_("File"))
    def download_link(self, resource):
        if not resource.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("resources:download", args=[resource.pk]),
            resource.file_name or gettext("Download"),
        )

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            obj.file_name = upload.name[-200:]
            obj.file_size = upload.size
        if obj.is_guided:
            # The page, search and the digest read the body: rebuild it from the sections.
            sections = {field: getattr(obj, field) for field, _heading in services.GUIDED_SECTIONS}
            obj.body = services.guided_body(
                content=services.ResourceContent(
                    kind=obj.kind, title=obj.title, summary=obj.summary, **sections
                )
            )
        super().save_model(request, obj, form, change)

    def _move(self, request, queryset, service, done_message):
        """`done_message(n)`: what happened to n resources, in the reader's language."""
        moved, refused = 0, 0
        for resource in queryset:
            try:
                service(resource=resource, by=request.user)
                moved += 1
            except (services.TransitionRefused, services.ActionRefused):
                refused += 1
        self.message_user(
            request,
            done_message(moved),
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(n)d resource could not be moved from where it stands (see its status).",
                    "%(n)d resources could not be moved from where they stand (see each "
                    "one's status).",
                    refused,
                )
                % {"n": refused},
                messages.WARNING,
            )

    @admin.action(description=_("Publish selected submitted resources"), permissions=["publish"])
    def publish_resources(self, request, queryset):
        self._move(
            request,
            queryset.filter(status=Status.SUBMITTED),
            services.resource_publish,
            lambda n: (
                ngettext("Published %(n)d resource.", "Published %(n)d resources.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Archive selected published resources"), permissions=["publish"])
    def archive_resources(self, request, queryset):
        self._move(
            request,
            queryset,
            services.resource_archive,
            lambda n: (
                ngettext("Archived %(n)d resource.", "Archived %(n)d resources.", n) % {"n": n}
            ),
        )

    def has_publish_permission(self, request):
        return services.user_is_editor(request.user)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["resource", "member", "score", "updated_at"]
    raw_id_fields = ["resource", "member"]
    list_select_related = ["resource", "member"]
