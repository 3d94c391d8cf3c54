"""The shape every dashboard figure takes, and the months it covers.

Titles, column names and month labels are in the reader's language: a table is built for the
request that shows it (or downloads it as CSV), so both read the same. Code finds a column by the
same translated name it was built with (see figures.py's column names).
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, pgettext

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

    def __post_init__(self):
        # Lazy translations become text in the language of the request building the table.
        self.title, self.description = str(self.title), str(self.description)
        self.columns = [str(column) for column in self.columns]

    def cell(self, row: int, column: str):
        return self.rows[row][self.columns.index(str(column))]

    def column(self, name: str) -> list:
        index = self.columns.index(str(name))
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
    # The format is the translator's: "Nov 2026" in English, "nov. 2026" in French (Django's
    # "M" would give "Nov" and "Jui" for juin and juillet alike).
    return date_format(day, pgettext("a month on the dashboard (Django date format)", "M Y"))


def round_of(day: date) -> int:
    """The check-in round of a month (see surveys.checkins.checkin_round_number)."""
    return day.year * 100 + day.month


def number_text(value) -> str:
    """A figure as the reader's language writes it, without a useless ".0": 12.5 → "12,5" in
    French, 12.0 → "12"."""
    return number_format(int(value) if float(value).is_integer() else value)


def percent_text(value) -> str:
    # "12.5%" in English, "12,5 %" (a no-break space) in French.
    return gettext("%(value)s%%") % {"value": number_text(value)}


def percent(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None
