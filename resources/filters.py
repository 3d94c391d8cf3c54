import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from members.models import Sector, Topic
from resources import search
from resources.models import Kind, Resource


class ResourceFilter(django_filters.FilterSet):
    """Search, filters and sort of the resource library."""

    SORTS = [
        ("relevance", _("Relevance")),
        ("date", _("Newest first")),
        ("rating", _("Best rated")),
    ]

    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Kind.choices, empty_label=_("Any kind")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        empty_label=_("Any topic"),
        field_name="topics",
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        empty_label=_("Any sector"),
        field_name="sectors",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORTS, empty_label=None, method="sort_by"
    )

    class Meta:
        model = Resource
        fields = ["q", "kind", "topic", "sector", "sort"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})
        self.form.fields["sort"].required = False

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return search.search(queryset, value) if value else queryset

    def sort_by(self, queryset, name, value):
        # Applied in filter_queryset after every filter, so relevance can see the search.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or ""
        searched = bool((self.form.cleaned_data.get("q") or "").strip())
        if sort == "rating":
            return queryset.order_by(
                F("rating_average").desc(nulls_last=True), "-rating_count", "-published_at", "-pk"
            )
        if searched and sort in ("", "relevance"):
            return queryset.order_by("-rank", "-published_at", "-pk")
        return queryset.order_by("-published_at", "-pk")
