"""Known data gives known figures: status counts, joins and departures, retention, show-up and
response rates, the scale trend and resources per month."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from copsite.dashboard import figures
from members.models import Member, MemberStatusChange, Sector
from resources.models import Status as ResourceStatus
from surveys.models import Answer, Question, Response
from tests.factories import MemberFactory, sector
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.resources.factories import ResourceFactory
from tests.surveys.factories import InvitationFactory, SurveyFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=LONDON)


def at(year, month, day=10):
    return datetime(year, month, day, 12, 0, tzinfo=LONDON)


def history(member, *steps):
    for from_status, to_status, when in steps:
        MemberStatusChange.objects.create(
            member=member, from_status=from_status, to_status=to_status, changed_at=when, reason="t"
        )


def row(table, label):
    return next(r for r in table.rows if r[0] == label)


def test_members_by_sector_counts_every_status_and_totals():
    MemberFactory.create_batch(2, sector=sector("public"))
    MemberFactory(sector=sector("public"), status=Member.Status.LAPSED)
    MemberFactory(sector=sector("health"), status=Member.Status.PROSPECT)
    MemberFactory(sector=None, status=Member.Status.LEFT)

    table = figures.members_by_sector(sectors=Sector.objects.order_by("position"))

    assert table.columns == ["Sector", "Prospect", "Active", "Lapsed", "Left", "Total"]
    assert row(table, "Public libraries") == ["Public libraries", 0, 2, 1, 0, 3]
    assert row(table, "Health libraries") == ["Health libraries", 1, 0, 0, 0, 1]
    assert row(table, "No sector given") == ["No sector given", 0, 0, 0, 1, 1]
    assert table.rows[-1] == ["All sectors", 1, 2, 1, 1, 5]


def test_membership_changes_count_first_joins_lapses_and_departures_per_month():
    a, b, c = MemberFactory(), MemberFactory(), MemberFactory()
    history(a, ("", "active", at(2026, 2)), ("active", "lapsed", at(2026, 5)))
    history(b, ("", "prospect", at(2025, 12)), ("prospect", "active", at(2026, 2)))
    history(b, ("active", "left", at(2026, 6, 1)))
    # A prospect who declines has not departed; a return is not a join.
    history(c, ("", "prospect", at(2026, 3)), ("prospect", "left", at(2026, 3, 20)))
    history(a, ("lapsed", "active", at(2026, 6, 2)))
    history(MemberFactory(), ("", "active", at(2025, 11)))  # before the period

    table = figures.membership_changes(months=6, now=NOW)

    assert table.rows == [
        ["Jan 2026", 0, 0, 0],
        ["Feb 2026", 2, 0, 0],
        ["Mar 2026", 0, 0, 0],
        ["Apr 2026", 0, 0, 0],
        ["May 2026", 0, 1, 0],
        ["Jun 2026", 0, 0, 1],
    ]


def test_retention_is_the_share_still_active_6_and_12_months_after_joining():
    joined = at(2025, 2, 1)  # 16 months before NOW: both figures are known
    stays, lapses, leaves_late, comes_back = (
        MemberFactory(joined_at=joined, status=s) for s in ("active", "lapsed", "left", "active")
    )
    history(stays, ("", "active", joined))
    history(lapses, ("", "active", joined), ("active", "lapsed", joined + timedelta(days=100)))
    history(leaves_late, ("", "active", joined), ("active", "left", joined + timedelta(days=250)))
    history(
        comes_back,
        ("", "active", joined),
        ("active", "lapsed", joined + timedelta(days=100)),
        ("lapsed", "active", joined + timedelta(days=150)),
    )
    # Joined two months ago: too recent to count towards either figure.
    recent = MemberFactory(joined_at=NOW - timedelta(days=60), status="lapsed")
    history(recent, ("", "active", recent.joined_at), ("active", "lapsed", NOW))

    table, headline = figures.retention(now=NOW)

    assert headline == {6: 75.0, 12: 50.0}
    assert row(table, "Q1 2025") == ["Q1 2025", 4, 75.0, 50.0]
    assert row(table, "Q2 2026") == ["Q2 2026", 1, None, None]


def test_attendance_counts_going_attended_and_the_show_up_rate():
    march = MeetingFactory(starts_at=at(2026, 3))
    for attended in (True, True, True, False):
        RegistrationFactory(meeting=march, attended=attended)
    RegistrationFactory(meeting=march, status="cancelled")
    RegistrationFactory(meeting=MeetingFactory(starts_at=at(2026, 3), status="cancelled"))
    RegistrationFactory(meeting=MeetingFactory(starts_at=at(2026, 7)))  # after NOW

    table = figures.attendance(months=6, now=NOW)

    assert row(table, "Mar 2026") == ["Mar 2026", 1, 4, 3, 75.0]
    assert row(table, "Apr 2026") == ["Apr 2026", 0, 0, 0, None]


def checkin_round(survey, round_number, scores):
    """Invitations for `scores`, answered with those numbers to the survey's scale question."""
    question = survey.questions.get(kind="scale5")
    for score in scores:
        InvitationFactory(survey=survey, round=round_number, completed=score is not None)
        if score is not None:
            response = Response.objects.create(
                survey=survey, round=round_number, submitted_on=NOW.date()
            )
            Answer.objects.create(response=response, question=question, number=score)


@pytest.fixture
def checkin():
    survey = SurveyFactory(is_checkin=True)
    Question.objects.create(survey=survey, kind="scale5", text="How valuable?")
    return survey


def test_checkin_response_rate_per_round(checkin):
    checkin_round(checkin, 202603, [4, None, None, None])
    checkin_round(checkin, 202605, [5, 4])
    InvitationFactory(survey=SurveyFactory(), round=0)  # a one-off survey is no round

    table = figures.checkin_responses(months=6, now=NOW)

    assert row(table, "Mar 2026") == ["Mar 2026", 4, 1, 25.0]
    assert row(table, "May 2026") == ["May 2026", 2, 2, 100.0]
    assert row(table, "Jan 2026") == ["Jan 2026", 0, 0, None]


def test_scale_trend_shows_means_of_five_or_more_answers_only(checkin):
    checkin_round(checkin, 202603, [2, 2, 3, 3, 2, 3])
    checkin_round(checkin, 202604, [5, 4, 4, 3, 4])
    checkin_round(checkin, 202605, [1, 1, 1, 1])

    table, top = figures.checkin_scale_trend(months=6, now=NOW)

    assert table.columns == ["Round", "How valuable?"]
    assert row(table, "Mar 2026") == ["Mar 2026", 2.5]
    # May's four are hidden; April's five too, or the survey's results (the mean of all
    # fifteen) minus March and April would give May's mean away (as on the results page).
    assert row(table, "Apr 2026") == ["Apr 2026", None]
    assert row(table, "May 2026") == ["May 2026", None]
    assert top == 5


def test_resources_submitted_and_published_per_month():
    ResourceFactory(submitted_at=at(2026, 4), published_at=at(2026, 5))
    ResourceFactory(submitted_at=at(2026, 5), published_at=at(2026, 5), status="archived")
    ResourceFactory(submitted_at=at(2026, 5), published_at=None, status=ResourceStatus.SUBMITTED)
    ResourceFactory(author=None, published_at=at(2026, 5))  # the editors' own

    table = figures.resources_contributed(months=6, now=NOW)

    assert row(table, "Apr 2026") == ["Apr 2026", 1, 0]
    assert row(table, "May 2026") == ["May 2026", 2, 2]
