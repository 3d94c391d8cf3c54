"""The site-wide parts in Canadian French: the pages around every app (home, header, footer,
errors, account pages), the language switcher, the account emails, the digest, the dashboard,
and dates, times and numbers as French writes them. English stays the default."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format, time_format

from copsite.dashboard.tables import month_label, percent_text
from copsite.digest import digests_send
from tests.factories import MemberFactory, UserFactory, member_with_account, sector
from tests.meetings.factories import MeetingFactory
from tests.outbox_helpers import html_part

pytestmark = pytest.mark.django_db

FRENCH = {"accept-language": "fr-CA,fr;q=0.9"}
NBSP = "\u00a0"
LONDON = ZoneInfo("Europe/London")
PASSWORD = "a-long-and-unusual-passphrase"


def switcher(page: str) -> list[str]:
    return re.findall(r'<button type="submit" name="language"[^>]*>[^<]*</button>', page)


def test_home_page_header_and_footer_read_in_french(client):
    page = client.get("/", headers=FRENCH).content.decode()

    assert '<html lang="fr-ca">' in page
    assert "<title>Bienvenue · " in page
    assert '<a class="skip-link" href="#main">Passer au contenu</a>' in page
    assert ">Adhérer</a>" in page
    assert '<a class="nav-link" href="/accounts/login/">Se connecter</a>' in page
    assert '<a href="/privacy/">Avis de confidentialité</a>' in page
    assert '<h2 id="about-title">Ce que la communauté offre</h2>' in page
    assert not re.search(r"\bJoin\b", page)  # as a word: CSRF tokens are random letters


def test_every_page_has_a_switcher_naming_each_language_in_itself(client):
    english = client.get("/").content.decode()
    french = client.get(reverse("account_login"), headers=FRENCH).content.decode()

    assert switcher(english) == [
        '<button type="submit" name="language" value="en-ca" lang="en-ca" '
        'class="btn btn-link btn-sm p-1 fw-bold text-decoration-none" aria-current="true">'
        "English</button>",
        '<button type="submit" name="language" value="fr-ca" lang="fr-ca" '
        'class="btn btn-link btn-sm p-1">Français</button>',
    ]
    assert [re.sub(r' class="[^"]*"', "", b) for b in switcher(french)] == [
        '<button type="submit" name="language" value="en-ca" lang="en-ca">English</button>',
        '<button type="submit" name="language" value="fr-ca" lang="fr-ca" aria-current="true">'
        "Français</button>",
    ]
    assert 'action="/i18n/setlang/" aria-label="Langue"' in french
    assert '<input type="hidden" name="next" value="/accounts/login/">' in french


def test_choosing_french_keeps_it_for_the_next_pages_and_returns_to_the_page(client):
    response = client.post(
        reverse("set_language"), {"language": "fr-ca", "next": "/meetings/?page=2"}
    )

    assert response.status_code == 302
    assert response.url == "/meetings/?page=2"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr-ca"
    page = client.get("/", headers={"accept-language": "en-US"}).content.decode()
    assert '<html lang="fr-ca">' in page


def test_a_get_to_the_switcher_changes_nothing(client):
    response = client.get(reverse("set_language"), {"language": "fr-ca", "next": "/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_an_unknown_language_is_ignored(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_log_in_page_and_its_error_summary_read_in_french(client):
    page = client.get(reverse("account_login"), headers=FRENCH).content.decode()
    failed = client.post(
        reverse("account_login"), {"login": "", "password": ""}, headers=FRENCH
    ).content.decode()

    assert "<h1>Se connecter</h1>" in page
    assert ">Mot de passe oublié?</a>" in page
    assert '<a href="/accounts/signup/">Adhérez à la communauté</a>' in page
    assert '<h2 class="h5" id="error-summary-title">Il y a un problème</h2>' in failed
    # A no-break space before the colon, as French typography asks.
    assert f'<a href="#id_password">Mot de passe{NBSP}: Ce champ est obligatoire.</a>' in failed


def test_signup_and_log_out_pages_use_the_communitys_words_in_french(client):
    signup = client.get(reverse("account_signup"), headers=FRENCH).content.decode()
    client.force_login(member_with_account().user)
    logout = client.get(reverse("account_logout"), headers=FRENCH).content.decode()

    assert "<h1>Adhérer à la communauté</h1>" in signup
    assert ">Adhérer</button>" in re.sub(r"\s+", " ", signup).replace("> ", ">").replace(" <", "<")
    assert "<h1>Se déconnecter</h1>" in logout
    assert "← Retour à mon compte" in logout


def test_error_page_reads_in_french(coordinator_client):
    response = coordinator_client.get("/admin/dashboard/no-such-figure.csv", headers=FRENCH)

    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page introuvable</h1>" in page
    assert "Aller à la page d'accueil" in page


def test_french_dates_times_and_numbers():
    moment = datetime(2027, 2, 2, 16, 30, tzinfo=LONDON)

    with translation.override("fr-ca"):
        assert time_format(moment.time()) == f"16{NBSP}h{NBSP}30"
        assert date_format(moment, "DATETIME_FORMAT") == f"2 février 2027, 16{NBSP}h{NBSP}30"
        assert date_format(moment.date(), "SHORT_DATE_FORMAT") == "2027-02-02"
        assert number_format(12.5) == "12,5"
        assert percent_text(12.5) == f"12,5{NBSP}%"
        assert [month_label(date(2026, m, 1)) for m in (6, 7)] == ["juin 2026", "juil. 2026"]
    # English keeps the 24-hour clock of copsite/formats/en_CA.
    with translation.override("en-ca"):
        assert time_format(moment.time()) == "16:30"
        assert percent_text(12.5) == "12.5%"
        assert month_label(date(2026, 7, 1)) == "Jul 2026"


def sent(capture, action) -> list:
    before = len(mail.outbox)
    with capture(execute=True):
        action()
    return mail.outbox[before:]


def test_joining_in_french_sends_the_confirmation_in_french(
    client, django_capture_on_commit_callbacks
):
    def join():
        client.post(
            reverse("account_signup"),
            {
                "full_name": "Niamh Quinn",
                "email": "niamh@example.org",
                "sector": sector("health").pk,
                "organisation": "Bibliothèque de l'Hôpital général",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "privacy_consent": "on",
            },
            headers=FRENCH,
        )

    [message] = sent(django_capture_on_commit_callbacks, join)

    assert message.subject == (
        f"Confirmez votre adresse courriel pour adhérer à {settings.COMMUNITY_NAME}"
    )
    assert message.body.startswith(
        f"Bonjour Niamh,\n\nMerci d'avoir adhéré à {settings.COMMUNITY_NAME}. Il reste une étape"
    )
    assert "L'équipe de coordination" in message.body
    html = html_part(message)
    assert '<html lang="fr-ca">' in html
    assert ">Confirmer mon adresse courriel</a>" in html
    assert "Vous recevez ce courriel parce que" in html


def test_a_password_reset_for_a_french_member_is_in_french(
    client, django_capture_on_commit_callbacks
):
    # A member's emails follow the language they chose (tests/members/outbox/test_email_language.py
    # covers an address with no record, which gets the page's language).
    member = member_with_account(email="remi@example.org", language="fr-ca")

    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: client.post(
            reverse("account_reset_password"), {"email": member.email}, headers=FRENCH
        ),
    )

    # A code to type on the page, not a link (settings.ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED).
    assert message.subject == "Votre code pour choisir un nouveau mot de passe"
    assert "a demandé à réinitialiser le mot de passe de votre compte" in message.body
    assert "Saisissez ce code sur la page où vous avez fait la demande" in message.body
    assert "votre mot de passe reste le même.\n\nL'équipe de coordination" in message.body


def test_a_password_reset_by_code_reads_in_french_from_asking_to_done(
    client, django_capture_on_commit_callbacks
):
    member = member_with_account(email="reinitialiser@example.org", language="fr-ca")
    asking = client.get(reverse("account_reset_password"), headers=FRENCH).content.decode()
    assert "nous vous enverrons un code à saisir à la page suivante" in asking
    assert "M'envoyer le code" in asking

    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: client.post(
            reverse("account_reset_password"), {"email": member.email}, headers=FRENCH
        ),
    )
    code_page = client.get(
        reverse("account_confirm_password_reset_code"), headers=FRENCH
    ).content.decode()
    assert "Saisissez le code reçu par courriel" in code_page
    assert f"Saisissez-le ici d'ici 15{NBSP}minutes" in code_page
    assert "Vérifier le code" in code_page

    code = re.search(r"^ +(\S+)$", message.body, re.M).group(1)
    confirmed = client.post(
        reverse("account_confirm_password_reset_code"), {"code": code}, headers=FRENCH
    )
    choosing = client.get(confirmed.url, headers=FRENCH).content.decode()
    assert "<h1>Choisir un nouveau mot de passe</h1>" in choosing
    assert "Enregistrer mon nouveau mot de passe" in choosing
    done = client.post(
        confirmed.url, {"password1": PASSWORD, "password2": PASSWORD}, headers=FRENCH, follow=True
    ).content.decode()
    assert "Votre nouveau mot de passe est enregistré" in done
    assert "vous connecter</a> avec celui-ci" in done


def test_digest_goes_out_in_each_members_own_language(django_capture_on_commit_callbacks):
    french = MemberFactory(full_name="Rémi Tremblay", language="fr-ca", time_zone="America/Toronto")
    english = MemberFactory(full_name="Dee Reader", language="en-ca", time_zone="America/Toronto")
    starts = datetime(2027, 3, 9, 19, 30, tzinfo=ZoneInfo("America/Toronto"))
    MeetingFactory(title="Rencontre du midi", starts_at=starts, ends_at=starts + timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        digests_send(now=starts - timedelta(days=5))

    by_person = {message.to[0]: message for message in mail.outbox}
    fr, en = by_person[french.email], by_person[english.email]
    assert fr.subject == f"Ce qui se passe à {settings.COMMUNITY_NAME} ce mois-ci"
    assert fr.body.startswith("Bonjour Rémi Tremblay,")
    assert f"Rencontre du midi, mardi 9 mars, 19{NBSP}h{NBSP}30 EST" in fr.body
    assert en.subject == f"What's on at the {settings.COMMUNITY_NAME} this month"
    assert "Rencontre du midi, Tue 9 Mar, 19:30 EST" in en.body


@pytest.fixture
def coordinator_client(client):
    user = UserFactory(is_staff=True, first_name="Casey", last_name="Coordinator")
    user.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(user)
    return client


def test_dashboard_reads_in_french(coordinator_client):
    MemberFactory(joined_at=timezone.now() - timedelta(days=40))

    page = coordinator_client.get("/admin/dashboard/", headers=FRENCH).content.decode()

    assert "<h1>Santé de la communauté</h1>" in page
    assert 'action="/i18n/setlang/" aria-label="Langue"' in page  # the admin has the switcher
    assert '<h2 id="participation-levels-heading">Niveaux de participation par secteur</h2>' in page
    assert (
        f"<li>Noyau{NBSP}: a participé 6 fois ou plus au cours des 6 derniers mois "
        "(environ une fois par mois ou plus).</li>"
    ) in page
    assert '<th scope="col" class="number">J&#x27;y serai</th>' in page
    assert "<li><strong>—</strong> Taux de présence</li>" in page
    assert '<a href="?months=12">12 mois</a>' in page
    assert f"Télécharger «{NBSP}Adhésions, expirations et départs par mois{NBSP}» en CSV" in page


def test_dashboard_csv_follows_the_readers_language(coordinator_client):
    MemberFactory()

    french = coordinator_client.get("/admin/dashboard/attendance.csv", headers=FRENCH)
    english = coordinator_client.get("/admin/dashboard/attendance.csv")

    def header(response):
        return next(csv.reader(io.StringIO(response.content.decode())))

    assert header(french) == ["Mois", "Rencontres", "J'y serai", "Présents", "Taux de présence"]
    assert header(english) == ["Month", "Meetings", "Going", "Attended", "Show-up rate"]


def test_at_risk_page_reads_in_french(coordinator_client):
    page = coordinator_client.get("/admin/dashboard/at-risk/", headers=FRENCH).content.decode()

    assert "<h1>Membres à risque de décrochage</h1>" in page
    assert "À risque, pas encore contactés (0)" in page
    assert "Personne n'est à risque" in page


def test_password_reset_pages_use_the_communitys_words_and_point_to_a_contact(client):
    english = client.get(reverse("account_reset_password")).content.decode()
    french = client.get(reverse("account_reset_password"), headers=FRENCH).content.decode()

    assert "<h1>Forgotten your password?</h1>" in english
    assert '<a href="/contact/">Contact the coordinators</a>' in english
    assert "<h1>Mot de passe oublié?</h1>" in french
    assert "M&#x27;envoyer le code" in french or "M'envoyer le code" in french
    assert "Send me the code" in english
    assert "e-mail" not in french


def test_an_expired_confirmation_link_says_so_in_french(client):
    page = client.get(
        reverse("account_confirm_email", args=["no-such-key"]), headers=FRENCH
    ).content.decode()

    assert "<h1>Confirmez votre adresse courriel</h1>" in page
    assert "Ce lien de confirmation a expiré ou a déjà été utilisé." in page


def test_account_notices_read_in_french(client):
    member = member_with_account()
    client.force_login(member.user)

    page = client.post(reverse("account_logout"), headers=FRENCH, follow=True).content.decode()

    assert "Vous êtes déconnecté ou déconnectée." in page
