"""`seed_demo`: a community with history in every sector, idempotent, and quiet when seeded."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command

from copsite.dashboard.overview import dashboard_overview
from members.models import Member, Reengagement, Sector, User
from members.services.attrition import members_at_risk
from surveys.services.checkins import members_due_for_checkin

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    """Rows in every table, so each app's demo data (meetings, surveys, …) is covered too."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_builds_community_with_history():
    output = seed(members=30, prospects=10)

    demo_people = Member.objects.filter(email__regex=r"^(member|prospect)\d{5}@")
    assert demo_people.filter(email__startswith="member").count() == 30
    assert Member.objects.filter(status=Member.Status.PROSPECT).count() == 10
    for sector in Sector.objects.all():
        assert sector.members.filter(status=Member.Status.ACTIVE).exists(), sector.name
    assert Member.objects.filter(status=Member.Status.LAPSED).exists()
    assert Member.objects.filter(status=Member.Status.LEFT).exists()
    assert Member.objects.filter(status=Member.Status.ACTIVE).count() > 15
    # Every person has a recorded history, and those who lapsed or left have a second step.
    assert not Member.objects.filter(status_changes__isnull=True).exists()
    lapsed = Member.objects.filter(status=Member.Status.LAPSED).first()
    assert list(lapsed.status_changes.order_by("changed_at").values_list("to_status", flat=True))[
        -1
    ] == (Member.Status.LAPSED)
    assert "Log in as coordinator@example.org / librarians-demo (created)" in output


def test_seed_demo_creates_verified_coordinator():
    seed(members=0, prospects=0)

    coordinator = User.objects.get(email="coordinator@example.org")
    assert coordinator.is_staff
    assert coordinator.groups.filter(name="Coordinators").exists()
    assert coordinator.check_password("librarians-demo")
    assert EmailAddress.objects.filter(
        user=coordinator, email="coordinator@example.org", verified=True, primary=True
    ).exists()
    assert coordinator.member.status == Member.Status.ACTIVE


def test_seed_demo_twice_creates_nothing_new():
    seed(members=30, prospects=10)
    first = counts()

    output = seed(members=30, prospects=10)

    assert counts() == first
    assert first["members.Member"] == 43  # 30 members, 10 prospects, 3 demo accounts
    assert first["meetings.Meeting"] > 0
    assert "Members: 30 already there, 0 to create" in output
    assert "already there, password unchanged" in output


def test_seed_demo_if_empty_on_seeded_db_does_nothing():
    seed(members=30, prospects=10)
    first = counts()

    output = seed(members=50, prospects=20, if_empty=True)

    assert counts() == first
    assert "Demo data already present; not seeding again." in output
    assert "coordinator@example.org" in output


def test_seed_demo_gives_every_chart_and_level_data():
    seed(members=60, prospects=10)

    overview = dashboard_overview(months=6)

    for section in overview.sections:
        values = [v for row in section.table.rows for v in row[1:] if v]
        assert values, section.table.title
    core, active, peripheral, inactive = overview.sections[-1].table.rows[-1][1:5]
    assert min(core, active, peripheral, inactive) > 0
    retention = overview.sections[2].table
    assert any(row[3] for row in retention.rows)  # 12-month retention is known for some
    assert members_at_risk().exists()
    assert Reengagement.objects.filter(closed_at__isnull=True).exists()
    assert members_due_for_checkin().exists()


def test_seed_demo_tops_up_to_the_sizes_asked_for_once():
    sizes = {"meetings": 90, "registrations": 900, "resources": 120, "responses": 1200}
    output = seed(members=30, prospects=5, **sizes)

    from meetings.models import Meeting, Registration
    from resources.models import Resource
    from surveys.models import Response

    assert Meeting.objects.count() == 90
    assert Registration.objects.count() >= 900
    assert Resource.objects.published().count() >= 100
    assert Resource.objects.count() == 120
    assert Response.objects.count() >= 1200
    # Progress, then what was added.
    assert "  meetings: " in output and "Added " in output
    # Past meetings have attendance, and people are never registered twice for one meeting.
    assert Registration.objects.filter(attended=True).exists()

    before = counts()
    seed(members=30, prospects=5, **sizes)
    assert counts() == before


def test_seed_demo_refuses_negative_sizes():
    with pytest.raises(CommandError, match="zero or more"):
        seed(members=3, meetings=-1)
