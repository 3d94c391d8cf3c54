import django_filters

from meetings.models import Format, Kind, Meeting
from members.models import Topic


class MeetingFilter(django_filters.FilterSet):
    """Filters of the meeting list; whether upcoming or past is the page's own choice."""

    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="Any kind")
    format = django_filters.ChoiceFilter(choices=Format.choices, empty_label="Any format")
    topic = django_filters.ModelChoiceFilter(
        label="Topic",
        queryset=Topic.objects.all(),
        empty_label="Any topic",
        field_name="topics",
    )

    class Meta:
        model = Meeting
        fields = ["kind", "format", "topic"]
