"""The members' pages, forms, filters and admin in French, for a reader whose browser asks for
it (the English tests beside these send no Accept-Language and read English)."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member
from members.outbox.bulk import preferences_token, unsubscribe_token
from tests.factories import MemberFactory, UserFactory, member_with_account, sector

pytestmark = pytest.mark.django_db

FRENCH = {"accept-language": "fr-CA"}


def test_directory_in_french_names_its_filters_and_counts_in_french(client):
    viewer = member_with_account(full_name="Viviane Roy")
    MemberFactory(full_name="Anne Gagnon")
    client.force_login(viewer.user)

    html = client.get(reverse("members:directory"), headers=FRENCH).content.decode()

    assert "<h1>Répertoire des membres</h1>" in html
    assert "Nom ou organisme" in html
    assert ">Tous les secteurs</option>" in html
    assert ">Tous les intérêts</option>" in html
    # The seeded sectors and topics have French names, shown in the filters and on the cards.
    assert ">Bibliothèques publiques</option>" in html
    assert ">Équité, diversité et inclusion</option>" in html
    assert "Public libraries" not in html
    # In French alphabetical order, not in the order of the English names.
    assert html.index(">Développement des collections<") < html.index(">Enfants et jeunes<")
    assert ">Filtrer</summary>" in html
    assert '<h2 class="h5" id="results-title">2 membres</h2>' in html


def test_profile_form_in_french_shows_french_labels_and_errors_beside_the_fields(client):
    member = member_with_account(full_name="Inchangé")
    client.force_login(member.user)

    response = client.post(
        reverse("members:profile_edit"),
        {"full_name": "Changé", "sector": "424242", "time_zone": "Mars/Olympus"},
        headers=FRENCH,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Modifier mon profil</h1>" in html
    assert "Votre fuseau horaire" in html
    assert "Choisissez l&#x27;un des secteurs de la liste." in html
    assert "Choisissez un fuseau horaire dans la liste." in html
    # The time zone list: Canada's zones first, named in French.
    assert '<optgroup label="Canada">' in html
    assert ">Est (Toronto, Ottawa, Montréal, Québec)</option>" in html
    assert '<optgroup label="Autres fuseaux horaires">' in html
    member.refresh_from_db()
    assert member.full_name == "Inchangé"


def test_account_page_in_french_names_status_and_time_zone(client):
    member = member_with_account(full_name="Jeanne Côté", time_zone="America/Toronto")
    client.force_login(member.user)

    html = client.get(reverse("members:me"), headers=FRENCH).content.decode()

    assert "<h1>Bonjour, Jeanne Côté</h1>" in html
    assert "Statut\u00a0: <strong>Actif</strong>" in html
    assert "Est (Toronto, Ottawa, Montréal, Québec)" in html
    assert "Préférences de communication" in html
    assert "Bibliothèques publiques" in html


def test_sector_and_topic_names_stay_english_for_an_english_reader(client):
    member = member_with_account(full_name="Ann Reader")
    client.force_login(member.user)

    html = client.get(reverse("members:directory")).content.decode()

    assert ">Public libraries</option>" in html
    assert ">Equity, diversity and inclusion</option>" in html
    assert "Bibliothèques" not in html


def test_preferences_in_french_choose_the_language_of_the_emails(client):
    member = MemberFactory(status=Member.Status.PROSPECT, language="en-ca")
    url = reverse("members:preferences", args=[preferences_token(member=member)])

    page = client.get(url, headers=FRENCH).content.decode()
    response = client.post(
        url, {"checkin_cadence": "monthly", "language": "fr-ca"}, headers=FRENCH, follow=True
    )

    assert "<h1>Préférences de communication</h1>" in page
    assert "Langue des courriels que nous vous envoyons" in page
    assert "À quelle fréquence devrions-nous prendre de vos nouvelles?" in page
    assert "Vos préférences de communication ont été enregistrées." in response.content.decode()
    member.refresh_from_db()
    assert (member.language, member.checkin_cadence) == ("fr-ca", "monthly")


def test_preferences_post_without_a_language_keeps_the_one_chosen(client):
    member = MemberFactory(language="fr-ca")
    url = reverse("members:preferences", args=[preferences_token(member=member)])

    client.post(url, {"checkin_cadence": "paused"})

    member.refresh_from_db()
    assert (member.language, member.checkin_cadence) == ("fr-ca", "paused")


def test_unsubscribe_page_in_french_names_the_kind_of_email(client):
    member = MemberFactory(email="luc@example.org")
    url = reverse("members:unsubscribe", args=[unsubscribe_token(member=member, kind="checkin")])

    html = client.get(url, headers=FRENCH).content.decode()

    assert "<h1>Se désabonner</h1>" in html
    assert (
        "Ne plus envoyer de courriels «\u00a0prise de nouvelles\u00a0» à luc@example.org?" in html
    )


@pytest.fixture
def coordinator_client(client):
    user = UserFactory(email="coord@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(user)
    return client


def test_prospect_import_in_french_explains_wrong_columns_in_french(coordinator_client):
    response = coordinator_client.post(
        "/admin/members/member/import/",
        {
            "file": SimpleUploadedFile("p.csv", b"mail,fullname\nx@example.org,X\n", "text/csv"),
            "consent": "express",
            "consent_date": "2025-01-30",
            "consent_source": "Feuille d'inscription",
        },
        headers=FRENCH,
    )

    html = response.content.decode()
    assert "Colonnes incorrectes (manquantes\u00a0: email, name; inconnues\u00a0: mail" in html
    assert "Téléverser un autre fichier" in html
    assert Member.objects.count() == 0


def test_status_action_in_french_counts_in_french(coordinator_client):
    members = [MemberFactory(sector=sector("public")) for _ in range(2)]

    response = coordinator_client.post(
        "/admin/members/member/",
        {"action": "mark_lapsed", "_selected_action": [m.pk for m in members]},
        headers=FRENCH,
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "2 membres ont maintenant le statut «\u00a0expiré\u00a0»."
    ]
