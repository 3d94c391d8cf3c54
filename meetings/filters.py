import django_filters
from django.utils.translation import gettext_lazy as _

from meetings.models import Format, Kind, Meeting
from members.models import Topic


class MeetingFilter(django_filters.FilterSet):
    """Filters of the meeting list; whether upcoming or past is the page's own choice."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Kind.choices, empty_label=_("Any kind")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Format.choices, empty_label=_("Any format")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        empty_label=_("Any topic"),
        field_name="topics",
    )

    class Meta:
        model = Meeting
        fields = ["kind", "format", "topic"]
