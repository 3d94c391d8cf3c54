import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.accents import accent_blind
from members.models import Member, Sector, Topic, Visibility


class DirectoryFilter(django_filters.FilterSet):
    """Search and filters of the member directory. Hidden fields are never searched."""

    q = django_filters.CharFilter(
        label=_("Name or organisation"), method="filter_name_or_organisation", max_length=100
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("All sectors")
    )
    interest = django_filters.ModelChoiceFilter(
        label=_("Interest"),
        queryset=Topic.objects.all(),
        empty_label=_("Any interest"),
        method="filter_interest",
    )

    class Meta:
        model = Member
        fields = ["q", "sector", "interest"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})
        self.form.fields["interest"].queryset = Topic.objects.in_reader_order()

    def filter_name_or_organisation(self, queryset, name, value):
        return queryset.filter(
            Q(**{accent_blind("full_name"): value})
            | Q(**{accent_blind("organisation"): value}, organisation_visibility=Visibility.MEMBERS)
        )

    def filter_interest(self, queryset, name, value):
        return queryset.filter(interests=value, interests_visibility=Visibility.MEMBERS)
