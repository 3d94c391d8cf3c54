"""The coordinators' series pages: editing a series carries on to its future meetings, and
meetings left over after a shorter series are cancelled only through the previewed action."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Series
from meetings.services.registrations import registration_create
from meetings.services.series import series_create_occurrences
from members.models import OutgoingEmail
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def series_form_data(series, **overrides):
    data = {
        "title": series.title,
        "summary": series.summary,
        "description": series.description,
        "kind": series.kind,
        "format": series.format,
        "location": series.location,
        "online_url": series.online_url,
        "capacity": "",
        "publish": "on",
        "frequency": series.frequency,
        "week_of_month": str(series.week_of_month),
        "weekday": str(series.weekday),
        "starts_on": series.starts_on.isoformat(),
        "start_time": series.start_time.strftime("%H:%M"),
        "end_time": series.end_time.strftime("%H:%M"),
        "occurrences": str(series.occurrences),
        "apply_to_future": "on",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def weekly_series():
    """Four weekly meetings at 16:00, the first two already past."""
    today = timezone.localdate()
    series = Series.objects.create(
        title="Drop-in",
        format="online",
        online_url="https://meet.example.org/drop-in",
        frequency=Series.Frequency.WEEKLY,
        weekday=(today - timedelta(days=10)).weekday(),
        starts_on=today - timedelta(days=10),
        start_time=time(16),
        end_time=time(17),
        occurrences=4,
    )
    series_create_occurrences(series=series)
    return series


def test_admin_series_edit_applies_to_future_meetings_and_says_what_changed(
    admin_client, weekly_series
):
    url = reverse("admin:meetings_series_change", args=[weekly_series.pk])
    form = admin_client.get(url).content.decode()

    response = admin_client.post(
        url,
        series_form_data(weekly_series, occurrences="6", start_time="16:30", end_time="17:30"),
        follow=True,
    )

    assert "Saving changes the 2 future meetings of this series" in form
    local = [
        m.starts_at.astimezone(LONDON).strftime("%H:%M")
        for m in weekly_series.meetings.order_by("starts_at")
    ]
    assert local == ["16:00", "16:00", "16:30", "16:30", "16:30", "16:30"]
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0].startswith("Changed start time, end time on 2 future meetings")
    assert messages[1].startswith("Created 2 meetings")
    assert messages[2] == "2 past or cancelled meetings were left as they were."


def test_admin_series_edit_not_applied_when_unticked_says_so(admin_client, weekly_series):
    url = reverse("admin:meetings_series_change", args=[weekly_series.pk])

    response = admin_client.post(
        url,
        series_form_data(weekly_series, start_time="18:00", end_time="19:00", apply_to_future=None),
        follow=True,
    )

    assert {m.starts_at.astimezone(LONDON).hour for m in weekly_series.meetings.all()} == {16}
    messages = [str(m) for m in response.context["messages"]]
    assert "The series was saved; as asked, none of its meetings changed." in messages


def test_admin_add_series_creates_six_first_tuesdays(admin_client):
    data = {
        "title": "First-Tuesday lunch",
        "summary": "",
        "description": "",
        "kind": "informal",
        "format": "online",
        "location": "",
        "online_url": "https://meet.example.org/lunch",
        "capacity": "",
        "publish": "on",
        "frequency": "monthly",
        "week_of_month": "1",
        "weekday": "1",
        "starts_on": "2027-01-01",
        "start_time": "12:00",
        "end_time": "13:00",
        "occurrences": "6",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
    }

    response = admin_client.post(reverse("admin:meetings_series_add"), data)

    assert response.status_code == 302
    series = Series.objects.get()
    starts = [m.starts_at.astimezone(LONDON) for m in series.meetings.order_by("starts_at")]
    assert [(s.day, s.month, s.hour) for s in starts] == [
        (5, 1, 12),
        (2, 2, 12),
        (2, 3, 12),
        (6, 4, 12),
        (4, 5, 12),
        (1, 6, 12),
    ]
    # The action is safe to run again: each date keeps its one meeting.
    admin_client.post(
        reverse("admin:meetings_series_changelist"),
        {"action": "create_occurrences", "_selected_action": [series.pk]},
    )
    assert series.meetings.count() == 6


def test_admin_series_with_fewer_meetings_names_the_leftover_and_cancels_nothing(
    admin_client, weekly_series
):
    last = weekly_series.meetings.order_by("starts_at").last()
    registration_create(meeting=last, member=MemberFactory())
    url = reverse("admin:meetings_series_change", args=[weekly_series.pk])

    response = admin_client.post(url, series_form_data(weekly_series, occurrences="3"), follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert messages[0].startswith("1 future meeting is beyond the series' dates and was kept")
    assert "choose “Cancel the meetings left over”" in messages[0]
    last.refresh_from_db()
    assert last.status == Meeting.Status.PUBLISHED
    assert not OutgoingEmail.objects.filter(subject__startswith="Cancelled:").exists()


def test_admin_series_cancel_leftover_shows_the_count_and_email_first_then_cancels(
    admin_client, weekly_series
):
    last = weekly_series.meetings.order_by("starts_at").last()
    last.title = "Last drop-in"
    last.save()
    registration_create(meeting=last, member=MemberFactory(full_name="Gina Going"))
    weekly_series.occurrences = 3
    weekly_series.save()
    changelist = reverse("admin:meetings_series_changelist")
    action = {"action": "cancel_leftover_meetings", "_selected_action": [weekly_series.pk]}

    preview = admin_client.post(changelist, action)
    last.refresh_from_db()
    status_after_preview = last.status
    admin_client.post(changelist, {**action, "confirm": "yes"})
    admin_client.post(changelist, {**action, "confirm": "yes"})

    page = preview.content.decode()
    assert "<strong>1</strong> registrant will be emailed" in page
    assert "Gina Going" in page
    assert "Cancelled: Last drop-in" in page  # the email's subject
    assert 'value="Cancel 1 meeting and email its registrants"' in page
    assert status_after_preview == Meeting.Status.PUBLISHED
    last.refresh_from_db()
    assert last.status == Meeting.Status.CANCELLED
    assert [e.subject for e in OutgoingEmail.objects.filter(subject__startswith="Cancelled:")] == [
        "Cancelled: Last drop-in"
    ]
    # It leaves the series: the series holds its 3 meetings, and nothing more is left over.
    assert [m.status for m in weekly_series.meetings.all()] == [Meeting.Status.PUBLISHED] * 3


def test_admin_series_cancel_leftover_with_none_left_over_has_nothing_to_do(
    admin_client, weekly_series
):
    response = admin_client.post(
        reverse("admin:meetings_series_changelist"),
        {"action": "cancel_leftover_meetings", "_selected_action": [weekly_series.pk]},
    )

    assert "There is nothing to do." in response.content.decode()
    assert not weekly_series.meetings.filter(status=Meeting.Status.CANCELLED).exists()
