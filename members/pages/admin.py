"""Coordinators edit a page's text in every language on one screen. The five pages are fixed:
the footer and the signup form link to them, so they can be edited but not added or deleted."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from members.pages.models import CommunityPage, CommunityPageText


class CommunityPageTextInline(admin.StackedInline):
    model = CommunityPageText
    extra = 0
    max_num = len(settings.LANGUAGES)
    can_delete = False
    verbose_name_plural = _("Text in each language")


@admin.register(CommunityPage)
class CommunityPageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "version", "updated_at", "languages"]
    fields = ["slug", "version", "updated_at"]
    readonly_fields = ["slug", "updated_at"]
    inlines = [CommunityPageTextInline]
    view_on_site = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("texts")

    @admin.display(description=_("Languages"))
    def languages(self, obj):
        names = dict(settings.LANGUAGES)
        return ", ".join(names.get(text.language, text.language) for text in obj.texts.all())

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
