"""Consent is recorded where it is given and handed back in the data download: signup records
the privacy notice's version and the date, imports record each prospect's source and basis."""

import json
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.models import CommunityPage, Member, User
from members.services.joining import member_activate_on_verification
from members.services.prospects import prospects_import, prospects_import_plan
from tests.factories import MemberFactory, UserFactory, sector

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"
IMPORT_URL = "/admin/members/member/import/"
SHEET = {
    "consent": "implied",
    "consent_date": "2025-05-14",
    "consent_source": "Business cards left at our stand, library conference 2025",
}


def signup(client, headers=None, **overrides):
    data = {
        "full_name": "Niamh Quinn",
        "email": "niamh@example.org",
        "sector": sector("health").pk,
        "organisation": "General Hospital Library",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    } | overrides
    return client.post(reverse("account_signup"), data, headers=headers)


def test_signup_without_consent_says_so_beside_the_box_and_creates_nobody(client):
    response = signup(client, privacy_consent="")

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_privacy_consent"' in html
    assert html.count("Tick the box to say you agree to the privacy notice.") == 2
    assert Member.objects.count() == 0


def test_signup_records_privacy_notice_version_date_and_express_consent(client):
    CommunityPage.objects.filter(slug="privacy").update(version=3)

    signup(client)

    member = Member.objects.get(email="niamh@example.org")
    assert member.privacy_notice_version == 3
    assert timezone.now() - member.privacy_notice_accepted_at < timezone.timedelta(minutes=1)
    assert (member.email_consent, member.email_consent_on, member.email_consent_source) == (
        "express",
        timezone.localdate(),
        "Signed up on the portal",
    )
    assert member.language == "en-ca"


def test_signup_in_french_records_french_as_the_language_for_emails(client):
    signup(client, headers={"accept-language": "fr-CA,fr;q=0.8"})

    assert Member.objects.get(email="niamh@example.org").language == "fr-ca"


def test_signup_replaces_an_imported_prospects_consent_with_their_own(client):
    # Once the address is verified: an unverified signup changes no record (issue 12).
    MemberFactory(
        email="niamh@example.org",
        status="prospect",
        email_consent="implied",
        email_consent_on=date(2024, 3, 1),
        email_consent_source="Conference sign-up sheet",
    )

    signup(client)
    unverified = Member.objects.get(email="niamh@example.org")
    member_activate_on_verification(user=User.objects.get(email="niamh@example.org"))

    member = Member.objects.get(email="niamh@example.org")
    assert unverified.email_consent == "implied"
    assert (member.email_consent, member.email_consent_source) == (
        "express",
        "Signed up on the portal",
    )


def test_import_records_the_files_consent_for_every_prospect():
    user = UserFactory()
    data = b"email,name\nann@example.org,Ann Archivist\nbob@example.org,Bob Law\n"

    plan = prospects_import(data=data, imported_by=user, consent_defaults=SHEET)

    assert plan.is_valid
    assert set(
        Member.objects.values_list(
            "email", "email_consent", "email_consent_on", "email_consent_source"
        )
    ) == {
        ("ann@example.org", "implied", date(2025, 5, 14), SHEET["consent_source"]),
        ("bob@example.org", "implied", date(2025, 5, 14), SHEET["consent_source"]),
    }


def test_a_rows_own_consent_columns_win_over_the_files():
    user = UserFactory()
    data = (
        b"email,name,consent,consent_date,consent_source\n"
        b"ann@example.org,Ann Archivist,express,2025-06-01,Asked to join by email\n"
        b"bob@example.org,Bob Law,,,\n"
    )

    prospects_import(data=data, imported_by=user, consent_defaults=SHEET)

    ann = Member.objects.get(email="ann@example.org")
    bob = Member.objects.get(email="bob@example.org")
    assert (ann.email_consent, ann.email_consent_on, ann.email_consent_source) == (
        "express",
        date(2025, 6, 1),
        "Asked to join by email",
    )
    assert (bob.email_consent, bob.email_consent_source) == ("implied", SHEET["consent_source"])


def test_import_without_any_consent_is_refused_as_a_whole():
    plan = prospects_import_plan(data=b"email,name\nann@example.org,Ann\n")

    assert not plan.is_valid
    assert "Say on what basis these people may be emailed" in plan.file_errors[0]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (b"ann@example.org,Ann,maybe,2025-01-01,Sheet", "is not express or implied"),
        (b"ann@example.org,Ann,express,01/02/2025,Sheet", "is not a date like 2025-01-31"),
        (b"ann@example.org,Ann,express,2999-01-01,Sheet", "dated in the future"),
        (b"ann@example.org,Ann,express,,Sheet", "The consent has no date"),
        (b"ann@example.org,Ann,express,2025-01-01,", "Where the address came from is missing"),
    ],
)
def test_a_row_with_a_wrong_consent_stops_the_import(row, message):
    data = (
        b"email,name,consent,consent_date,consent_source\nok@example.org,Ok,express,2025-01-01,X\n"
    )

    plan = prospects_import(data=data + row + b"\n", imported_by=UserFactory())

    assert message in " ".join(plan.error_rows[0].errors)
    assert Member.objects.count() == 0


def test_admin_import_previews_and_imports_the_consent_it_was_given(client):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(coordinator)
    upload = SimpleUploadedFile("sheet.csv", b"email,name\nann@example.org,Ann\n", "text/csv")

    preview = client.post(IMPORT_URL, {"file": upload, **SHEET})
    confirmed = client.post(IMPORT_URL, {"confirm": "1", "payload": preview.context["payload"]})

    assert "Implied, 2025-05-14 · Business cards left at our stand" in preview.content.decode()
    assert confirmed.status_code == 302
    ann = Member.objects.get(email="ann@example.org")
    assert (ann.email_consent, ann.email_consent_on) == ("implied", date(2025, 5, 14))


def test_admin_import_form_asks_for_the_date_and_source_of_a_consent(client):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(coordinator)
    upload = SimpleUploadedFile("sheet.csv", b"email,name\nann@example.org,Ann\n", "text/csv")

    response = client.post(IMPORT_URL, {"file": upload, "consent": "express"})

    assert response.context["form"].errors == {
        "consent_date": ["Give the date of the consent."],
        "consent_source": ["Say where the addresses came from."],
    }
    assert Member.objects.count() == 0


def test_data_download_includes_consent_and_where_the_address_came_from(client):
    signup(client)
    member = Member.objects.get(email="niamh@example.org")
    client.force_login(member.user)

    data = json.loads(client.get(reverse("members:export_data")).content)

    consent = data["member"]["consent"]
    assert consent["privacy_notice_version"] == 1
    assert consent["privacy_notice_accepted_at"] == member.privacy_notice_accepted_at.isoformat()
    assert consent["email_consent"] == "express"
    assert consent["email_consent_on"] == timezone.localdate().isoformat()
    assert consent["where_your_address_came_from"] == "Signed up on the portal"
    assert consent["how_your_record_was_created"] == "Signed up"
    assert data["member"]["language"] == "en-ca"
