"""Recurring meetings: the dates a series' rule gives, and its meetings."""

import calendar
import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction

from meetings.models import MEETING_DETAILS, Meeting, Series


def series_dates(*, series: Series) -> list[date]:
    """The dates of a series' occurrences, from its rule."""
    dates: list[date] = []
    if series.frequency == Series.Frequency.MONTHLY:
        year, month = series.starts_on.year, series.starts_on.month
        while len(dates) < series.occurrences:
            day = _nth_weekday(year, month, series.weekday, series.week_of_month)
            if day is not None and day >= series.starts_on:
                dates.append(day)
            month += 1
            if month > 12:
                year, month = year + 1, 1
    else:
        step = 7 if series.frequency == Series.Frequency.WEEKLY else 14
        first = series.starts_on + timedelta(days=(series.weekday - series.starts_on.weekday()) % 7)
        dates = [first + timedelta(days=step * i) for i in range(series.occurrences)]
    return dates


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    days = [
        week[weekday]
        for week in calendar.Calendar().monthdatescalendar(year, month)
        if week[weekday].month == month
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def series_create_occurrences(*, series: Series) -> list[Meeting]:
    """Create the meetings of a series; dates that already have one are skipped, so it is safe
    to run again. Times are wall-clock times in the community's zone on each date."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    topics = list(series.topics.all())
    created = []
    with transaction.atomic():
        Series.objects.select_for_update().get(pk=series.pk)
        existing = {
            m.starts_at.astimezone(zone).date() for m in Meeting.objects.filter(series=series)
        }
        for day in series_dates(series=series):
            if day in existing:
                continue
            created.append(series_meeting_create(series=series, day=day, topics=topics))
    return created


def series_meeting_create(*, series: Series, day: date, topics=None) -> Meeting:
    """One meeting of a series on `day`: the series' details, at its wall-clock times in the
    community's zone, published if the series says so."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    meeting = Meeting.objects.create(
        **{name: getattr(series, name) for name in MEETING_DETAILS},
        starts_at=datetime.combine(day, series.start_time, tzinfo=zone),
        ends_at=datetime.combine(day, series.end_time, tzinfo=zone),
        status=Meeting.Status.PUBLISHED if series.publish else Meeting.Status.DRAFT,
        series=series,
    )
    meeting.topics.set(series.topics.all() if topics is None else topics)
    return meeting
