import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from members.models import EngagementEvent, Member, MemberStatusChange, Reengagement
from tests.factories import MemberFactory, UserFactory, sector
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/members/member/import/"


@pytest.fixture
def coordinator():
    user = UserFactory(email="coord@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


# Every import says on what basis its prospects may be emailed (see test_prospect_consent.py).
CONSENT = {
    "consent": "express",
    "consent_date": "2025-01-30",
    "consent_source": "Sign-up sheet, regional conference",
}


def upload(client, content: bytes, name="prospects.csv"):
    return client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(name, content, "text/csv"), **CONSENT}
    )


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    login = client.get(response.url)
    assert login.status_code == 302
    assert login.url.startswith(reverse("account_login"))


def test_member_changelist_filters_by_status_and_searches(coordinator_client):
    MemberFactory(full_name="Lapsed Larry", status=Member.Status.LAPSED)
    MemberFactory(full_name="Active Annie")

    lapsed = coordinator_client.get("/admin/members/member/", {"status__exact": "lapsed"})
    search = coordinator_client.get("/admin/members/member/", {"q": "annie"})

    assert "Lapsed Larry" in lapsed.content.decode()
    assert "Active Annie" not in lapsed.content.decode()
    assert "Active Annie" in search.content.decode()
    assert "Lapsed Larry" not in search.content.decode()


def test_admin_searches_ignore_accents(coordinator_client):
    MemberFactory(full_name="Hélène Côté", organisation="Bibliothèque de Québec")
    MemberFactory(full_name="Helena Costa")
    MeetingFactory(title="Réunion d'automne des bibliothécaires")

    def listed(url: str, words: str) -> str:
        return coordinator_client.get(url, {"q": words}).content.decode()

    assert "Hélène Côté" in listed("/admin/members/member/", "helene cote")
    assert "Hélène Côté" in listed("/admin/members/member/", "QUEBEC")
    assert "Helena Costa" not in listed("/admin/members/member/", "helene cote")
    assert "Réunion d&#x27;automne" in listed("/admin/meetings/meeting/", "reunion bibliothecaires")


def test_export_csv_action_returns_selected_members(coordinator_client):
    member = MemberFactory(full_name="Export Me", email="export@example.org")

    response = coordinator_client.post(
        "/admin/members/member/",
        {"action": "export_csv", "_selected_action": [member.pk]},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"].startswith('attachment; filename="members-')
    assert rows[0][:3] == ["email", "name", "status"]
    assert rows[1][:3] == ["export@example.org", "Export Me", "active"]
    # The language of their emails, in the same words the import reads.
    assert (rows[0][-1], rows[1][-1]) == ("language", "en-ca")
    assert len(rows) == 2


def test_status_action_records_history_with_coordinator(coordinator_client, coordinator):
    member = MemberFactory()

    coordinator_client.post(
        "/admin/members/member/",
        {"action": "mark_lapsed", "_selected_action": [member.pk], "reason": "No reply"},
    )

    change = MemberStatusChange.objects.get(member=member)
    assert (change.to_status, change.changed_by, change.reason) == (
        "lapsed",
        coordinator,
        "No reply",
    )


def test_import_preview_writes_nothing_until_confirmed(coordinator_client):
    content = (
        b"email,name,sector,organisation\n"
        b"ann@example.org,Ann Archivist,archives-records,City Archives\n"
        b"bob@example.org,Bob Law,Legal libraries,Law Society\n"
    )

    preview = upload(coordinator_client, content)

    html = preview.content.decode()
    assert "2 to import" in html
    assert "Import 2 prospects" in html
    assert Member.objects.count() == 0

    payload = preview.context["payload"]
    response = coordinator_client.post(IMPORT_URL, {"confirm": "1", "payload": payload})

    assert response.status_code == 302
    ann = Member.objects.get(email="ann@example.org")
    assert ann.status == Member.Status.PROSPECT
    assert ann.source == Member.Source.IMPORT
    assert ann.sector == sector("archives-records")
    assert Member.objects.get(email="bob@example.org").sector == sector("legal")
    assert MemberStatusChange.objects.filter(to_status="prospect").count() == 2


def test_import_records_each_prospects_language_for_their_emails(coordinator_client):
    content = (
        b"email,name,language\n"
        b"aline@example.org,Aline Roy,fr\n"
        b"bea@example.org,Bea Smith,EN-CA\n"
        b"cyr@example.org,Cyr Blank,\n"
    )

    preview = upload(coordinator_client, content)
    coordinator_client.post(IMPORT_URL, {"confirm": "1", "payload": preview.context["payload"]})

    languages = dict(Member.objects.values_list("email", "language"))
    assert languages == {
        "aline@example.org": "fr-ca",
        "bea@example.org": "en-ca",
        "cyr@example.org": "en-ca",
    }


def test_import_with_an_unknown_language_imports_nothing_and_says_why(coordinator_client):
    content = b"email,name,language\n" + b"x@example.org,X,Klingon\n"

    html = upload(coordinator_client, content).content.decode()

    assert "Unknown language “Klingon”: write en or fr." in html
    assert Member.objects.count() == 0


def test_import_skips_addresses_already_in_the_community(coordinator_client):
    MemberFactory(email="ann@example.org", full_name="Ann Original")
    content = b"email,name\nANN@example.org,Ann Changed\ncat@example.org,Cat New\n"

    preview = upload(coordinator_client, content)
    coordinator_client.post(IMPORT_URL, {"confirm": "1", "payload": preview.context["payload"]})

    assert "Already in the community" in preview.content.decode()
    assert Member.objects.get(email="ann@example.org").full_name == "Ann Original"
    assert Member.objects.filter(email="cat@example.org").exists()
    assert Member.objects.count() == 2


GOOD = b"good@example.org,Good Row\n"  # a valid row, so "nothing" means nothing at all


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"mail,fullname\nx@example.org,X\n", "Wrong columns"),
        ("email,name\nzoë@example.org,Zoë\n".encode("latin-1"), "not UTF-8"),
        (b"email,name\n", "no rows"),
        (
            b"email,name\n" + GOOD + b"ok@example.org,Ok\nok@example.org,Again\n",
            "already on line 3",
        ),
        (b"email,name\n" + GOOD + b"not-an-email,Bad\n", "is not a valid email address"),
        (b"email,name,sector\nx@example.org,X,Astrology\n", "Unknown sector"),
        (b"email,name\n" + GOOD + b"x@example.org," + b"n" * 151 + b"\n", "longer than 150"),
        (b"email,name\n" + GOOD + b"x@example.org,X,extra\n", "more cells"),
    ],
)
def test_import_with_a_wrong_row_imports_nothing_and_says_why(coordinator_client, content, message):
    response = upload(coordinator_client, content)

    assert message in response.content.decode()
    assert not response.context.get("payload")
    assert "Import 1 prospect" not in response.content.decode()
    assert Member.objects.count() == 0


def test_import_with_tampered_payload_imports_nothing(coordinator_client):
    response = coordinator_client.post(
        IMPORT_URL,
        {"confirm": "1", "payload": "ZW1haWwsbmFtZQp4QGV4YW1wbGUub3JnLFgK:bad:sig"},
        follow=True,
    )

    assert "The preview expired" in response.content.decode()
    assert Member.objects.count() == 0


def test_import_is_refused_to_staff_without_permission(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert Member.objects.count() == 0


# --- Engagement: last engaged, at risk, re-engagements ---------------------------------------

CHANGELIST = "/admin/members/member/"


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def listed(response):
    return sorted(m.full_name for m in response.context["cl"].result_list)


@pytest.fixture
def engagement_mix():
    joined = days_ago(400)
    recent = MemberFactory(full_name="Rae Recent", joined_at=joined)
    EngagementEvent.objects.create(member=recent, kind="attended", occurred_at=days_ago(10))
    quiet = MemberFactory(full_name="Quin Quiet", joined_at=joined)
    EngagementEvent.objects.create(member=quiet, kind="responded", occurred_at=days_ago(200))
    MemberFactory(full_name="Nell Never", joined_at=joined)
    asked = MemberFactory(full_name="Ash Asked", joined_at=joined)
    Reengagement.objects.create(member=asked, sent_at=days_ago(5))
    return recent


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"engaged": "30"}, ["Rae Recent"]),
        ({"engaged": "over90"}, ["Quin Quiet"]),
        ({"engaged": "never"}, ["Ash Asked", "Nell Never"]),
        ({"at_risk": "yes"}, ["Nell Never", "Quin Quiet"]),
        ({"at_risk": "contacted"}, ["Ash Asked"]),
    ],
    ids=["engaged-30-days", "engaged-long-ago", "never-engaged", "at-risk", "contacted"],
)
def test_member_list_filters_by_last_engaged_and_at_risk(
    coordinator_client, engagement_mix, query, names
):
    assert listed(coordinator_client.get(CHANGELIST, query)) == names


def test_member_list_shows_when_each_member_last_engaged(coordinator_client, engagement_mix):
    page = coordinator_client.get(CHANGELIST).content.decode()

    assert date_format(timezone.localtime(days_ago(10))) in page
    assert "never" in page


def test_member_page_and_reengagement_list_show_reengagements(coordinator_client, coordinator):
    member = MemberFactory(full_name="Ash Asked")
    Reengagement.objects.create(member=member, sent_by=coordinator, sent_at=days_ago(5))
    Reengagement.objects.create(
        member=member, sent_at=days_ago(200), closed_at=days_ago(190), answer="stay"
    )

    member_page = coordinator_client.get(f"/admin/members/member/{member.pk}/change/")
    waiting = coordinator_client.get("/admin/members/reengagement/", {"open": "yes"})

    assert "Re-engagement check-ins" in member_page.content.decode()
    assert [r.sent_by for r in waiting.context["cl"].result_list] == [coordinator]
    assert coordinator_client.get("/admin/members/reengagement/add/").status_code == 403
