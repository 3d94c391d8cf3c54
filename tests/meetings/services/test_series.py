"""A series: its dates, and its meetings at local time across daylight saving."""

import zoneinfo
from datetime import date, time

import pytest

from meetings.models import Meeting, Series
from meetings.services.series import series_create_occurrences, series_dates

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def first_tuesday_series(**kwargs):
    defaults = {
        "title": "Lunch chat",
        "format": "online",
        "online_url": "https://meet.example.org/lunch",
        "frequency": Series.Frequency.MONTHLY,
        "weekday": Series.Weekday.TUESDAY,
        "week_of_month": Series.WeekOfMonth.FIRST,
        "starts_on": date(2027, 1, 1),
        "start_time": time(12),
        "end_time": time(13),
        "occurrences": 6,
    }
    return Series.objects.create(**{**defaults, **kwargs})


def test_series_dates_first_tuesday_of_each_month_for_six_months():
    assert series_dates(series=first_tuesday_series()) == [
        date(2027, 1, 5),
        date(2027, 2, 2),
        date(2027, 3, 2),
        date(2027, 4, 6),
        date(2027, 5, 4),
        date(2027, 6, 1),
    ]


def test_series_dates_last_friday_and_fortnightly():
    last_friday = first_tuesday_series(
        weekday=Series.Weekday.FRIDAY, week_of_month=Series.WeekOfMonth.LAST, occurrences=2
    )
    fortnightly = first_tuesday_series(
        frequency=Series.Frequency.FORTNIGHTLY, weekday=Series.Weekday.MONDAY, occurrences=3
    )
    assert series_dates(series=last_friday) == [date(2027, 1, 29), date(2027, 2, 26)]
    assert series_dates(series=fortnightly) == [
        date(2027, 1, 4),
        date(2027, 1, 18),
        date(2027, 2, 1),
    ]


def test_series_create_occurrences_local_noon_across_daylight_saving_and_idempotent():
    series = first_tuesday_series()

    created = series_create_occurrences(series=series)
    again = series_create_occurrences(series=series)

    assert again == []
    assert len(created) == 6
    local = [m.starts_at.astimezone(LONDON) for m in Meeting.objects.filter(series=series)]
    assert {(t.hour, t.minute) for t in local} == {(12, 0)}
    # Noon in London is 12:00 UTC in winter and 11:00 UTC in summer.
    utc_hours = [m.starts_at.astimezone(zoneinfo.ZoneInfo("UTC")).hour for m in created]
    assert utc_hours == [12, 12, 12, 11, 11, 11]
    assert {m.status for m in created} == {"published"}
