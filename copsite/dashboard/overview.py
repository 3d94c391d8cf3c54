"""Everything the dashboard shows, built in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from copsite.dashboard import charts, figures
from copsite.dashboard.figures import (
    ACTIVE_AFTER,
    ANSWERED,
    ATTENDED,
    GOING,
    INVITED,
    JOINED,
    LAPSED,
    LEFT,
    PUBLISHED,
    RESPONSE_RATE,
    SUBMITTED,
)
from copsite.dashboard.levels import Level, LevelRule, participation_levels
from copsite.dashboard.tables import DEFAULT_PERIOD, PERIODS, Table, number_text, percent_text
from members.models import Member, Reengagement, Sector
from members.services.attrition import members_at_risk


@dataclass
class Section:
    table: Table
    chart: charts.Chart
    # Said before the chart, e.g. the rule of the participation levels.
    rule: list[str] = field(default_factory=list)


@dataclass
class Overview:
    months: int
    headline: list[tuple[str, str]]  # (label, figure)
    sections: list[Section]


def period_from(value) -> int:
    """The period asked for in the query string, or the default for anything else."""
    try:
        months = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PERIOD
    return months if months in PERIODS else DEFAULT_PERIOD


def _sectors():
    return list(Sector.objects.order_by("position", "name"))


def _figure(value, unit="") -> str:
    if value is None:
        return "—"
    return percent_text(value) if unit == "%" else number_text(value)


def dashboard_table(*, slug: str, months: int, now=None) -> Table | None:
    """One figure on its own, for its CSV file."""
    builders = {
        "members-by-sector": lambda: figures.members_by_sector(sectors=_sectors()),
        "joins-and-departures": lambda: figures.membership_changes(months=months, now=now),
        "retention": lambda: figures.retention(now=now)[0],
        "attendance": lambda: figures.attendance(months=months, now=now),
        "checkin-response": lambda: figures.checkin_responses(months=months, now=now),
        "checkin-scales": lambda: figures.checkin_scale_trend(months=months, now=now)[0],
        "resources": lambda: figures.resources_contributed(months=months, now=now),
        "participation-levels": lambda: participation_levels(
            months=months, sectors=_sectors(), now=now
        ),
    }
    builder = builders.get(slug)
    return builder() if builder else None


def dashboard_overview(*, months: int, now=None) -> Overview:
    now = now or timezone.now()
    sectors = _sectors()
    by_sector = figures.members_by_sector(sectors=sectors)
    changes = figures.membership_changes(months=months, now=now)
    kept, kept_headline = figures.retention(now=now)
    attendance = figures.attendance(months=months, now=now)
    responses = figures.checkin_responses(months=months, now=now)
    scales, scale_top = figures.checkin_scale_trend(months=months, now=now)
    resources = figures.resources_contributed(months=months, now=now)
    levels = participation_levels(months=months, sectors=sectors, now=now)
    at_risk = members_at_risk(now=now).count()
    waiting = Reengagement.objects.filter(
        Q(closed_at__isnull=True), member__status=Member.Status.ACTIVE
    ).count()

    statuses = [str(status.label) for status in Member.Status]
    active = 1 + list(Member.Status).index(Member.Status.ACTIVE)
    going, attended = sum(attendance.column(GOING)), sum(attendance.column(ATTENDED))
    invited, answered = sum(responses.column(INVITED)), sum(responses.column(ANSWERED))
    level_labels = [str(Level.LABELS[level]) for level in Level.ALL]
    in_months = {"months": months}
    headline = [
        (gettext("Active members"), _figure(by_sector.rows[-1][active])),
        (
            ngettext("Joined in %(months)s month", "Joined in %(months)s months", months)
            % in_months,
            _figure(sum(changes.column(JOINED))),
        ),
        (
            ngettext(
                "Lapsed or left in %(months)s month", "Lapsed or left in %(months)s months", months
            )
            % in_months,
            _figure(sum(changes.column(LAPSED)) + sum(changes.column(LEFT))),
        ),
        (gettext("Still active after 6 months"), _figure(kept_headline[6], "%")),
        (gettext("Still active after 12 months"), _figure(kept_headline[12], "%")),
        (
            gettext("Show-up rate"),
            _figure(round(100 * attended / going, 1) if going else None, "%"),
        ),
        (
            gettext("Check-in response rate"),
            _figure(round(100 * answered / invited, 1) if invited else None, "%"),
        ),
        (gettext("Core and active members"), _figure(levels.rows[-1][-1], "%")),
        (gettext("At risk, not yet contacted"), _figure(at_risk)),
        (gettext("Re-engagements awaiting an answer"), _figure(waiting)),
    ]
    sections = [
        Section(by_sector, charts.stacked_bars(table=by_sector, columns=statuses)),
        Section(
            changes,
            charts.bar_chart(table=changes, columns=[str(c) for c in (JOINED, LAPSED, LEFT)]),
        ),
        Section(
            kept,
            charts.bar_chart(
                table=kept, columns=[str(ACTIVE_AFTER[6]), str(ACTIVE_AFTER[12])], percent=True
            ),
        ),
        Section(
            attendance,
            charts.bar_chart(table=attendance, columns=[str(GOING), str(ATTENDED)]),
        ),
        Section(
            responses,
            charts.line_chart(table=responses, columns=[str(RESPONSE_RATE)], unit="%"),
        ),
        Section(
            scales,
            charts.line_chart(
                table=scales,
                columns=scales.columns[1:],
                y_min=0 if scale_top == 10 else 1,
                y_max=scale_top,
            ),
        ),
        Section(
            resources,
            charts.bar_chart(table=resources, columns=[str(SUBMITTED), str(PUBLISHED)]),
        ),
        Section(
            levels,
            charts.stacked_bars(table=levels, columns=level_labels),
            rule=LevelRule(months=months).sentences(),
        ),
    ]
    return Overview(months=months, headline=headline, sections=sections)
