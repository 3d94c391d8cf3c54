"""The dashboard's figures. Each is one aggregate query, grouped in SQL, whatever the size of
the community; Python only lays the groups out as rows."""

from datetime import timedelta

from django.db.models import Avg, Count, DateField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from copsite.dashboard.tables import (
    Table,
    community_zone,
    month_label,
    percent,
    period_months,
    period_start,
    round_of,
)
from meetings.models import Meeting, Registration
from members.models import Member, MemberStatusChange
from resources.models import Resource
from resources.models import Status as ResourceStatus
from surveys.models import Answer, Invitation, Question
from surveys.services.results import SMALL_GROUP

Status = Member.Status
# "Six months" and "twelve months" after joining, counted in days so that SQL can add them.
RETENTION_DAYS = {6: 182, 12: 365}
COHORTS_SHOWN = 8  # quarters

# Column names that the overview also looks up (to add them up or chart them). Lazy: each table is
# built, and looked up, in the language of the request that shows it.
SECTOR = _("Sector")
TOTAL = _("Total")
ALL_SECTORS = _("All sectors")
NO_SECTOR = _("No sector given")
MONTH = _("Month")
JOINED = pgettext_lazy("members who joined", "Joined")
LAPSED = pgettext_lazy("members who lapsed", "Lapsed")
LEFT = pgettext_lazy("members who left", "Left")
ACTIVE_AFTER = {
    6: _("Active after 6 months"),
    12: _("Active after 12 months"),
}
GOING = pgettext_lazy("members going to a meeting", "Going")
ATTENDED = pgettext_lazy("members who attended", "Attended")
INVITED = pgettext_lazy("people invited", "Invited")
ANSWERED = pgettext_lazy("people who answered", "Answered")
RESPONSE_RATE = _("Response rate")
SUBMITTED = pgettext_lazy("resources submitted", "Submitted")
PUBLISHED = pgettext_lazy("resources published", "Published")


def members_by_sector(*, sectors) -> Table:
    """Everyone in the community now, by sector and status."""
    counts = {
        (sector_id, status): n
        for sector_id, status, n in Member.objects.order_by()
        .values_list("sector_id", "status")
        .annotate(n=Count("pk"))
    }
    statuses = list(Status)
    table = Table(
        slug="members-by-sector",
        title=_("Members by sector and status"),
        description=_(
            "Everyone the community holds today, by the sector they chose and the "
            "status of their membership."
        ),
        columns=[SECTOR, *[status.label for status in statuses], TOTAL],
    )
    groups = [(sector.pk, sector.name) for sector in sectors]
    if any(sector_id is None for sector_id, _status in counts):
        groups.append((None, str(NO_SECTOR)))
    for sector_id, name in groups:
        values = [counts.get((sector_id, status), 0) for status in statuses]
        table.rows.append([name, *values, sum(values)])
    totals = [sum(row[i] for row in table.rows) for i in range(1, len(statuses) + 2)]
    table.rows.append([str(ALL_SECTORS), *totals])
    return table


def membership_changes(*, months: int, now=None) -> Table:
    """Joins, lapses and departures per month, from the recorded status history."""
    now = now or timezone.now()
    by_month = {
        row["month"]: row
        for row in MemberStatusChange.objects.filter(
            changed_at__gte=period_start(months=months, now=now), changed_at__lte=now
        )
        .annotate(month=TruncMonth("changed_at", tzinfo=community_zone(), output_field=DateField()))
        .order_by()
        .values("month")
        .annotate(
            # A first join, not a return: from nothing (signup) or from prospect.
            joined=Count("pk", filter=Q(to_status=Status.ACTIVE, from_status__in=["", "prospect"])),
            lapsed=Count("pk", filter=Q(to_status=Status.LAPSED)),
            # A prospect saying no is not a departure.
            left=Count(
                "pk", filter=Q(to_status=Status.LEFT, from_status__in=[Status.ACTIVE, "lapsed"])
            ),
        )
    }
    table = Table(
        slug="joins-and-departures",
        title=_("Joins, lapses and departures per month"),
        description=_(
            "New members (first joins), members who lapsed after a re-engagement "
            "check-in went unanswered, and members who left, per month."
        ),
        columns=[MONTH, JOINED, LAPSED, LEFT],
    )
    for month in period_months(months=months, now=now):
        row = by_month.get(month, {})
        table.rows.append(
            [month_label(month), row.get("joined", 0), row.get("lapsed", 0), row.get("left", 0)]
        )
    return table


def _status_after(days: int):
    """The member's status `days` after joining: the last recorded change by then."""
    return Subquery(
        MemberStatusChange.objects.filter(
            member=OuterRef("pk"), changed_at__lte=OuterRef("joined_at") + timedelta(days=days)
        )
        .order_by("-changed_at", "-pk")
        .values("to_status")[:1]
    )


def retention(*, now=None) -> tuple[Table, dict[int, float | None]]:
    """The share of members still active 6 and 12 months after joining, by quarter of joining,
    and over everyone who joined long enough ago (the headline figures)."""
    now = now or timezone.now()
    aggregates = {}
    for months, days in RETENTION_DAYS.items():
        old_enough = Q(joined_at__lte=now - timedelta(days=days))
        aggregates[f"due{months}"] = Count("pk", filter=old_enough)
        aggregates[f"kept{months}"] = Count(
            "pk", filter=old_enough & Q(**{f"at{months}": Status.ACTIVE})
        )
    cohorts = list(
        Member.objects.filter(joined_at__isnull=False, joined_at__lte=now)
        # Members without a recorded history (made before history was kept) count by their
        # status today.
        .annotate(
            at6=Coalesce(_status_after(RETENTION_DAYS[6]), F("status")),
            at12=Coalesce(_status_after(RETENTION_DAYS[12]), F("status")),
            quarter=TruncQuarter("joined_at", tzinfo=community_zone(), output_field=DateField()),
        )
        .order_by()
        .values("quarter")
        .annotate(joined=Count("pk"), **aggregates)
        .order_by("quarter")
    )
    table = Table(
        slug="retention",
        title=_("Retention: still active 6 and 12 months after joining"),
        description=_(
            "Of the members who joined in each quarter, the share whose membership "
            "was still active 6 months (182 days) and 12 months (365 days) later, among those who "
            "joined long enough ago to tell; a member who lapsed and came back in time counts as "
            "active."
        ),
        columns=[_("Joined in"), JOINED, ACTIVE_AFTER[6], ACTIVE_AFTER[12]],
        percent_columns=frozenset({2, 3}),
    )
    for cohort in cohorts[-COHORTS_SHOWN:]:
        quarter = cohort["quarter"]
        table.rows.append(
            [
                gettext("Q%(quarter)s %(year)s")
                % {"quarter": (quarter.month - 1) // 3 + 1, "year": quarter.year},
                cohort["joined"],
                percent(cohort["kept6"], cohort["due6"]),
                percent(cohort["kept12"], cohort["due12"]),
            ]
        )
    headline = {
        months: percent(
            sum(c[f"kept{months}"] for c in cohorts), sum(c[f"due{months}"] for c in cohorts)
        )
        for months in RETENTION_DAYS
    }
    return table, headline


def attendance(*, months: int, now=None) -> Table:
    """Members going and attending per month, and the show-up rate (attended ÷ going)."""
    now = now or timezone.now()
    by_month = {
        row["month"]: row
        for row in Registration.objects.filter(
            status=Registration.Status.GOING,
            meeting__status=Meeting.Status.PUBLISHED,
            meeting__starts_at__gte=period_start(months=months, now=now),
            meeting__starts_at__lte=now,
        )
        .annotate(
            month=TruncMonth(
                "meeting__starts_at", tzinfo=community_zone(), output_field=DateField()
            )
        )
        .order_by()
        .values("month")
        .annotate(
            meetings=Count("meeting", distinct=True),
            going=Count("pk"),
            attended=Count("pk", filter=Q(attended=True)),
        )
    }
    table = Table(
        slug="attendance",
        title=_("Meeting attendance per month"),
        description=_(
            "At the meetings held each month: members going when the meeting started, members "
            "who attended (ticked by a coordinator), and the show-up rate, attended ÷ going."
        ),
        columns=[MONTH, _("Meetings"), GOING, ATTENDED, _("Show-up rate")],
        percent_columns=frozenset({4}),
    )
    for month in period_months(months=months, now=now):
        row = by_month.get(month, {})
        going, attended = row.get("going", 0), row.get("attended", 0)
        table.rows.append(
            [month_label(month), row.get("meetings", 0), going, attended, percent(attended, going)]
        )
    return table


def checkin_responses(*, months: int, now=None) -> Table:
    """Each check-in round's invitations and answers, and its response rate."""
    now = now or timezone.now()
    period = period_months(months=months, now=now)
    by_round = {
        row["round"]: row
        for row in Invitation.objects.filter(
            survey__is_checkin=True, round__gte=round_of(period[0]), round__lte=round_of(period[-1])
        )
        .order_by()
        .values("round")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(completed=True)))
    }
    table = Table(
        slug="checkin-response",
        title=_("Check-in response rate per round"),
        description=_(
            "Each month's check-in round: people invited, people who answered, and the "
            "response rate, answered ÷ invited."
        ),
        columns=[_("Round"), INVITED, ANSWERED, RESPONSE_RATE],
        percent_columns=frozenset({3}),
    )
    for month in period:
        row = by_round.get(round_of(month), {})
        invited, answered = row.get("invited", 0), row.get("answered", 0)
        table.rows.append([month_label(month), invited, answered, percent(answered, invited)])
    return table


def checkin_scale_trend(*, months: int, now=None) -> tuple[Table, int]:
    """The mean answer to each scale question of the check-ins, round by round.

    Returns the table and the top of the scale (5, or 10 when a 0–10 question is among them).
    A round with fewer than SMALL_GROUP answers to a question shows no mean, as on the results
    page: a mean of two people is nearly their answers.
    """
    now = now or timezone.now()
    period = period_months(months=months, now=now)
    groups = list(
        Answer.objects.filter(
            question__survey__is_checkin=True,
            question__kind__in=[Question.Kind.SCALE5, Question.Kind.SCALE10],
            number__isnull=False,
            response__round__gte=round_of(period[0]),
            response__round__lte=round_of(period[-1]),
        )
        .order_by()
        .values("question__text", "question__kind", "response__round")
        .annotate(n=Count("response", distinct=True), mean=Avg("number"))
    )
    # Copies of the check-in template share their questions' wording: a question is its text.
    questions = sorted({g["question__text"] for g in groups})
    top = 10 if any(g["question__kind"] == Question.Kind.SCALE10 for g in groups) else 5
    means = {
        (g["question__text"], g["response__round"]): round(g["mean"], 2)
        for g in groups
        if g["n"] >= SMALL_GROUP
    }
    table = Table(
        slug="checkin-scales",
        title=_("Check-in answers to the scale questions"),
        description=gettext(
            "The mean answer, round by round, to each scale question of the check-ins "
            "(1 to 5, or 0 to 10). Rounds with fewer than %(n)s answers to a question show "
            "no mean, to protect anonymity."
        )
        % {"n": SMALL_GROUP},
        columns=[_("Round"), *questions],
    )
    for month in period:
        table.rows.append(
            [month_label(month), *[means.get((q, round_of(month))) for q in questions]]
        )
    return table, top


def resources_contributed(*, months: int, now=None) -> Table:
    """Resources members submitted for review and resources published, per month."""
    now = now or timezone.now()
    start, zone = period_start(months=months, now=now), community_zone()

    def per_month(field: str, **filters) -> dict:
        return dict(
            Resource.objects.filter(
                **{f"{field}__gte": start, f"{field}__lte": now}, author__isnull=False, **filters
            )
            .annotate(month=TruncMonth(field, tzinfo=zone, output_field=DateField()))
            .order_by()
            .values_list("month")
            .annotate(n=Count("pk"))
        )

    submitted = per_month("submitted_at")
    # Archived later, still contributed.
    published = per_month(
        "published_at", status__in=[ResourceStatus.PUBLISHED, ResourceStatus.ARCHIVED]
    )
    table = Table(
        slug="resources",
        title=_("Resources contributed per month"),
        description=_(
            "Toolkit resources written by members: submitted for review, and published "
            "by a content editor, per month."
        ),
        columns=[MONTH, SUBMITTED, PUBLISHED],
    )
    for month in period_months(months=months, now=now):
        table.rows.append([month_label(month), submitted.get(month, 0), published.get(month, 0)])
    return table
