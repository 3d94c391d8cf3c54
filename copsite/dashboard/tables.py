"""The shape every dashboard figure takes, and the months it covers."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

PERIODS = (3, 6, 12)
DEFAULT_PERIOD = 6


@dataclass
class Table:
    """One figure: what the chart draws, the table shows and the CSV holds."""

    slug: str
    title: str
    # What it counts and how, in a sentence: under the heading, and the chart's description.
    description: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Columns whose values are percentages (the table adds "%", the CSV does not).
    percent_columns: frozenset[int] = frozenset()
    note: str = ""

    def cell(self, row: int, column: str):
        return self.rows[row][self.columns.index(column)]

    def column(self, name: str) -> list:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def csv_rows(self) -> list[list]:
        return [self.columns, *[["" if v is None else v for v in row] for row in self.rows]]


def community_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def period_months(*, months: int, now=None) -> list[date]:
    """The first day of each month in the period, oldest first; the current month is the last."""
    today = timezone.localdate(now or timezone.now(), community_zone())
    year, month = today.year, today.month
    firsts = []
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def period_start(*, months: int, now=None) -> datetime:
    first = period_months(months=months, now=now)[0]
    return datetime.combine(first, datetime.min.time(), tzinfo=community_zone())


def month_label(day: date) -> str:
    return date_format(day, "M Y")


def round_of(day: date) -> int:
    """The check-in round of a month (see surveys.checkins.checkin_round_number)."""
    return day.year * 100 + day.month


def percent(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None
