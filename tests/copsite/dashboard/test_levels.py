"""Participation levels: known engagement gives known levels, by sector, with the rule stated."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from copsite.dashboard.levels import LevelRule, participation_levels
from members.models import EngagementEvent, Member, Sector
from tests.factories import MemberFactory, sector

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=LONDON)


def took_part(member, times, kind="attended", days_ago=10):
    EngagementEvent.objects.bulk_create(
        EngagementEvent(member=member, kind=kind, occurred_at=NOW - timedelta(days=days_ago))
        for _ in range(times)
    )


def levels(months=6):
    table = participation_levels(months=months, sectors=Sector.objects.all(), now=NOW)
    return {row[0]: row[1:] for row in table.rows}


def test_levels_follow_the_stated_rule_over_six_months():
    public, health = sector("public"), sector("health")
    core = MemberFactory(sector=public)
    took_part(core, 4)
    took_part(core, 1, kind="responded")
    took_part(core, 1, kind="contributed")
    took_part(MemberFactory(sector=public), 2, kind="responded")  # active
    took_part(MemberFactory(sector=public), 1)  # peripheral: once
    took_part(MemberFactory(sector=health), 5, kind="rsvp")  # peripheral: signs of life only
    took_part(MemberFactory(sector=health), 1, kind="login")  # peripheral
    took_part(MemberFactory(sector=health), 9, days_ago=200)  # inactive: before the window
    MemberFactory(sector=health)  # inactive: nothing at all
    took_part(MemberFactory(sector=health, status=Member.Status.LAPSED), 9)  # not counted

    by_sector = levels()

    # Core, active, peripheral, inactive, total, core and active (%)
    assert by_sector["Public libraries"] == [1, 1, 1, 0, 3, 66.7]
    assert by_sector["Health libraries"] == [0, 0, 2, 2, 4, 0.0]
    assert by_sector["All sectors"] == [1, 1, 3, 2, 7, 28.6]
    assert by_sector["School libraries"] == [0, 0, 0, 0, 0, None]


def test_a_longer_window_asks_more_for_the_same_level():
    member = MemberFactory(sector=sector("public"))
    took_part(member, 6)

    assert levels(months=6)["Public libraries"][:4] == [1, 0, 0, 0]
    assert levels(months=12)["Public libraries"][:4] == [0, 1, 0, 0]


def test_the_rule_is_stated_with_the_thresholds_used():
    assert LevelRule(months=6).sentences() == [
        "Core: took part 6 or more times in the last 6 months (about once a month or more).",
        "Active: took part 2 to 5 times (about once a quarter or more).",
        "Peripheral: took part fewer than 2 times, or only registered for a meeting or logged in.",
        "Inactive: none of these in the window.",
    ]
    assert (LevelRule(months=12).core_min, LevelRule(months=12).active_min) == (12, 4)
    assert (LevelRule(months=3).core_min, LevelRule(months=3).active_min) == (3, 2)
