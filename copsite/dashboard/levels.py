"""Participation levels (Wenger): core, active, peripheral and inactive members, by sector.

Wenger, McDermott and Snyder describe a community as a small core who lead, an active group
who take part regularly, and a large periphery who watch and rarely take part, all of it
legitimate. The portal counts what members did in a window of months from their engagement
events, and states the rule on the page:

- taking part: attending a meeting, answering a check-in or survey, contributing a resource;
- a sign of life: registering for a meeting, logging in.

Core: took part at least once a month on average over the window. Active: at least twice, and
at least once a quarter on average. Peripheral: took part less than that, or showed only signs
of life. Inactive: nothing at all in the window. Only active members are counted.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from copsite.dashboard.figures import ALL_SECTORS, NO_SECTOR, SECTOR, TOTAL
from copsite.dashboard.tables import Table, percent
from members.models import EngagementEvent, Member

TAKING_PART = (
    EngagementEvent.Kind.ATTENDED,
    EngagementEvent.Kind.RESPONDED,
    EngagementEvent.Kind.CONTRIBUTED,
)
SIGNS_OF_LIFE = (EngagementEvent.Kind.RSVP, EngagementEvent.Kind.LOGIN)
DAYS_PER_MONTH = 365.25 / 12


class Level:
    CORE = "core"
    ACTIVE = "active"
    PERIPHERAL = "peripheral"
    INACTIVE = "inactive"
    ALL = (CORE, ACTIVE, PERIPHERAL, INACTIVE)
    LABELS = {
        CORE: pgettext_lazy("participation level", "Core"),
        ACTIVE: pgettext_lazy("participation level", "Active"),
        PERIPHERAL: pgettext_lazy("participation level", "Peripheral"),
        INACTIVE: pgettext_lazy("participation level", "Inactive"),
    }
    CORE_AND_ACTIVE = _("Core and active")


@dataclass(frozen=True)
class LevelRule:
    months: int

    @property
    def core_min(self) -> int:
        return self.months  # once a month

    @property
    def active_min(self) -> int:
        return max(2, math.ceil(self.months / 3))  # once a quarter, and more than once

    def sentences(self) -> list[str]:
        figures = {"core": self.core_min, "active": self.active_min, "months": self.months}
        return [
            ngettext(
                "Core: took part %(core)s or more times in the last %(months)s month "
                "(about once a month or more).",
                "Core: took part %(core)s or more times in the last %(months)s months "
                "(about once a month or more).",
                self.months,
            )
            % figures,
            gettext(
                "Active: took part %(active)s to %(most)s times (about once a quarter or more)."
            )
            % {**figures, "most": self.core_min - 1},
            gettext(
                "Peripheral: took part fewer than %(active)s times, or only registered for a "
                "meeting or logged in."
            )
            % figures,
            gettext("Inactive: none of these in the window."),
        ]


def _level_of_member(rule: LevelRule, since):
    """The member's level, from one aggregate over their events in the window.

    One correlated subquery per member: a CASE over separate counting subqueries evaluated
    each of them once per WHEN, and at 5,000 members PostgreSQL spent a second compiling
    the plan (JIT) before running it.
    """
    level = (
        EngagementEvent.objects.filter(member=OuterRef("pk"), occurred_at__gte=since)
        .order_by()
        .values("member")
        .alias(
            took_part=Count("pk", filter=Q(kind__in=TAKING_PART)),
            signs=Count("pk", filter=Q(kind__in=SIGNS_OF_LIFE)),
        )
        .annotate(
            level=Case(
                When(Q(took_part__gte=rule.core_min), then=Value(Level.CORE)),
                When(Q(took_part__gte=rule.active_min), then=Value(Level.ACTIVE)),
                When(Q(took_part__gte=1) | Q(signs__gte=1), then=Value(Level.PERIPHERAL)),
                default=Value(Level.INACTIVE),
                output_field=CharField(),
            )
        )
        .values("level")
    )
    # No event at all in the window: no row from the subquery.
    return Coalesce(Subquery(level, output_field=CharField()), Value(Level.INACTIVE))


def participation_levels(*, months: int, sectors, now=None) -> Table:
    """Active members by participation level and sector, in one grouped query."""
    now = now or timezone.now()
    rule = LevelRule(months=months)
    # A rolling window, not calendar months: levels should not jump on the first of a month.
    since = now - timedelta(days=round(months * DAYS_PER_MONTH))
    counts = {
        (sector_id, level): n
        for sector_id, level, n in Member.objects.filter(status=Member.Status.ACTIVE)
        .annotate(level=_level_of_member(rule, since))
        .order_by()
        .values_list("sector_id", "level")
        .annotate(n=Count("pk"))
    }
    table = Table(
        slug="participation-levels",
        title=_("Participation levels by sector"),
        description=ngettext(
            "Active members by how much they took part in the last %(months)s month "
            "(the rule is stated above), in each sector and across the community.",
            "Active members by how much they took part in the last %(months)s months "
            "(the rule is stated above), in each sector and across the community.",
            months,
        )
        % {"months": months},
        columns=[
            SECTOR,
            *[Level.LABELS[level] for level in Level.ALL],
            TOTAL,
            Level.CORE_AND_ACTIVE,
        ],
        percent_columns=frozenset({len(Level.ALL) + 2}),
    )
    groups = [(sector.pk, sector.name) for sector in sectors]
    if any(sector_id is None for sector_id, _level in counts):
        groups.append((None, str(NO_SECTOR)))
    for sector_id, name in groups:
        values = [counts.get((sector_id, level), 0) for level in Level.ALL]
        table.rows.append([name, *values, sum(values), percent(values[0] + values[1], sum(values))])
    totals = [sum(row[i] for row in table.rows) for i in range(1, len(Level.ALL) + 1)]
    table.rows.append(
        [str(ALL_SECTORS), *totals, sum(totals), percent(totals[0] + totals[1], sum(totals))]
    )
    return table
