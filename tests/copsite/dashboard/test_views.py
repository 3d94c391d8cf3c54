"""The dashboard's pages: coordinators only, every figure as chart, table and CSV, the at-risk
list with its one-click personal check-in, and a fixed number of queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from members.models import EngagementEvent, OutgoingEmail, Reengagement, Sector
from tests.factories import MemberFactory, UserFactory, member_with_account

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/dashboard/"
AT_RISK = "/admin/dashboard/at-risk/"
SLUGS = [
    "members-by-sector",
    "joins-and-departures",
    "retention",
    "attendance",
    "checkin-response",
    "checkin-scales",
    "resources",
    "participation-levels",
]


@pytest.fixture
def coordinator():
    user = UserFactory(is_staff=True, first_name="Casey", last_name="Coordinator")
    user.groups.add(Group.objects.get(name="Coordinators"))
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.mark.parametrize("url", [DASHBOARD, AT_RISK, "/admin/dashboard/retention.csv"])
def test_visitors_and_members_who_are_not_staff_are_sent_to_the_admin_login(client, url):
    anonymous = client.get(url)
    client.force_login(member_with_account().user)
    member = client.get(url)

    for response in (anonymous, member):
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


@pytest.mark.parametrize("url", [DASHBOARD, AT_RISK, "/admin/dashboard/retention.csv"])
def test_staff_outside_the_coordinators_are_refused(client, url):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(url).status_code == 403


def test_staff_outside_the_coordinators_cannot_send_a_personal_checkin(client):
    client.force_login(UserFactory(is_staff=True))
    member = MemberFactory(joined_at=ago(200))

    response = client.post(f"/admin/dashboard/at-risk/{member.pk}/check-in/")

    assert response.status_code == 403
    assert OutgoingEmail.objects.count() == 0


def test_dashboard_shows_each_figure_as_an_accessible_chart_a_table_and_a_csv_link(
    coordinator_client,
):
    MemberFactory()

    response = coordinator_client.get(DASHBOARD)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('role="img"') == len(SLUGS)
    for slug in SLUGS:
        assert f'aria-labelledby="{slug}-chart-title {slug}-chart-desc"' in page
        assert f'<caption id="{slug}-caption">' in page
        assert f'href="/admin/dashboard/{slug}.csv?months=6"' in page
    assert "Core: took part 6 or more times in the last 6 months" in page
    assert "<script" not in page.split('id="content-main"')[1]
    assert 'style="' not in page.split('id="content-main"')[1]


@pytest.mark.parametrize(("asked", "shown"), [("12", 12), ("3", 3), ("7", 6), ("x", 6)])
def test_period_selector_offers_3_6_and_12_months(coordinator_client, asked, shown):
    response = coordinator_client.get(DASHBOARD, {"months": asked})

    page = response.content.decode()
    assert f'href="?months={shown}" aria-current="page"' in page
    assert response.context["overview"].sections[1].table.rows.__len__() == shown


def test_csv_export_holds_the_table_of_the_chart(coordinator_client):
    Sector.objects.create(name="=HYPERLINK(evil)", slug="evil", position=99)
    MemberFactory.create_batch(2)

    response = coordinator_client.get("/admin/dashboard/members-by-sector.csv", {"months": "3"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="members-by-sector-3-months-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Sector", "Prospect", "Active", "Lapsed", "Left", "Total"]
    assert rows[1] == ["Public libraries", "0", "2", "0", "0", "2"]
    assert ["'=HYPERLINK(evil)", "0", "0", "0", "0", "0"] in rows
    assert rows[-1] == ["All sectors", "0", "2", "0", "0", "2"]


def test_csv_export_of_an_unknown_figure_is_not_found(coordinator_client):
    assert coordinator_client.get("/admin/dashboard/nothing.csv").status_code == 404


def test_admin_index_links_coordinators_to_their_tools(coordinator_client, client):
    page = coordinator_client.get("/admin/").content.decode()
    client.force_login(UserFactory(is_staff=True))
    other = client.get("/admin/").content.decode()

    assert 'href="/admin/dashboard/"' in page
    assert 'href="/admin/dashboard/at-risk/"' in page
    assert 'href="/admin/surveys/survey/checkin-round/"' in page
    assert 'href="/admin/dashboard/"' not in other


# --- At risk ---------------------------------------------------------------------------------


def test_at_risk_lists_who_since_when_and_their_last_engagement(coordinator_client):
    quiet = MemberFactory(full_name="Quinn Quiet", joined_at=ago(400))
    EngagementEvent.objects.create(member=quiet, kind="attended", occurred_at=ago(120))
    never = MemberFactory(full_name="Nell Never", joined_at=ago(300))
    paused = MemberFactory(full_name="Pat Paused", joined_at=ago(250), checkin_cadence="paused")
    busy = MemberFactory(full_name="Bea Busy", joined_at=ago(400))
    EngagementEvent.objects.create(member=busy, kind="attended", occurred_at=ago(5))
    asked = MemberFactory(full_name="Ash Asked", joined_at=ago(400))
    Reengagement.objects.create(member=asked, sent_at=ago(3))

    response = coordinator_client.get(AT_RISK)

    page = response.content.decode()
    rows = response.context["members"]
    assert [row.member for row in rows] == [never, paused, quiet]  # silent longest first
    assert response.context["total"] == 3
    assert rows[2].last_engaged.date() == ago(120).date()
    assert rows[2].at_risk_since.date() == ago(30).date()
    assert rows[0].last_engaged is None
    assert f'href="/admin/members/member/{quiet.pk}/change/"' in page
    assert f'action="/admin/dashboard/at-risk/{quiet.pk}/check-in/"' in page
    assert "Pat Paused has paused check-ins." in page
    assert "Bea Busy" not in page
    assert [r.member for r in response.context["waiting"]] == [asked]


def test_one_click_sends_a_personal_checkin_through_the_outbox(
    coordinator_client, coordinator, django_capture_on_commit_callbacks
):
    quiet = MemberFactory(full_name="Quinn Quiet", joined_at=ago(400))

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"/admin/dashboard/at-risk/{quiet.pk}/check-in/", follow=True
        )

    assert response.redirect_chain == [(AT_RISK, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "A personal check-in to Quinn Quiet is in the outbox, signed by you; replies come to "
        "your address."
    ]
    assert OutgoingEmail.objects.get().member == quiet
    assert [m.to for m in mail.outbox] == [[quiet.email]]
    page = response.content.decode()
    assert "Casey Coordinator" in page  # now among those awaiting an answer, sent by Casey
    assert Reengagement.objects.get().sent_by == coordinator


def test_personal_checkin_twice_says_why_and_sends_once(coordinator_client):
    quiet = MemberFactory(full_name="Quinn Quiet", joined_at=ago(400))
    url = f"/admin/dashboard/at-risk/{quiet.pk}/check-in/"
    coordinator_client.post(url)

    response = coordinator_client.post(url, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert messages[-1].startswith("Quinn Quiet was already sent a check-in")
    assert OutgoingEmail.objects.count() == 1


def test_personal_checkin_only_by_post(coordinator_client):
    quiet = MemberFactory(joined_at=ago(400))

    assert coordinator_client.get(f"/admin/dashboard/at-risk/{quiet.pk}/check-in/").status_code == (
        405
    )
    assert Reengagement.objects.count() == 0
