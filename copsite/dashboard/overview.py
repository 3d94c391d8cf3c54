"""Everything the dashboard shows, built in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from copsite.dashboard import charts, figures
from copsite.dashboard.levels import Level, LevelRule, participation_levels
from copsite.dashboard.tables import DEFAULT_PERIOD, PERIODS, Table
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
    return "—" if value is None else f"{value:g}{unit}"


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

    statuses = [status.label for status in Member.Status]
    going, attended = sum(attendance.column("Going")), sum(attendance.column("Attended"))
    invited, answered = sum(responses.column("Invited")), sum(responses.column("Answered"))
    level_labels = [Level.LABELS[level] for level in Level.ALL]
    headline = [
        ("Active members", _figure(by_sector.rows[-1][1 + statuses.index("Active")])),
        (f"Joined in {months} months", _figure(sum(changes.column("Joined")))),
        (
            f"Lapsed or left in {months} months",
            _figure(sum(changes.column("Lapsed")) + sum(changes.column("Left"))),
        ),
        ("Still active after 6 months", _figure(kept_headline[6], "%")),
        ("Still active after 12 months", _figure(kept_headline[12], "%")),
        ("Show-up rate", _figure(round(100 * attended / going, 1) if going else None, "%")),
        (
            "Check-in response rate",
            _figure(round(100 * answered / invited, 1) if invited else None, "%"),
        ),
        ("Core and active members", _figure(levels.rows[-1][-1], "%")),
        ("At risk, not yet contacted", _figure(at_risk)),
        ("Re-engagements awaiting an answer", _figure(waiting)),
    ]
    sections = [
        Section(by_sector, charts.stacked_bars(table=by_sector, columns=statuses)),
        Section(changes, charts.bar_chart(table=changes, columns=["Joined", "Lapsed", "Left"])),
        Section(
            kept,
            charts.bar_chart(
                table=kept,
                columns=["Active after 6 months", "Active after 12 months"],
                percent=True,
            ),
        ),
        Section(attendance, charts.bar_chart(table=attendance, columns=["Going", "Attended"])),
        Section(responses, charts.line_chart(table=responses, columns=["Response rate"], unit="%")),
        Section(
            scales,
            charts.line_chart(
                table=scales,
                columns=scales.columns[1:],
                y_min=0 if scale_top == 10 else 1,
                y_max=scale_top,
            ),
        ),
        Section(resources, charts.bar_chart(table=resources, columns=["Submitted", "Published"])),
        Section(
            levels,
            charts.stacked_bars(table=levels, columns=level_labels),
            rule=LevelRule(months=months).sentences(),
        ),
    ]
    return Overview(months=months, headline=headline, sections=sections)
