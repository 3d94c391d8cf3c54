"""Every email is written in the language of the person it goes to (Member.language): subject,
text, HTML, the footer's reason and links, and the dates, whatever language the page or worker
that sends it happens to be in."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from copsite.digest import digests_send
from members.services.attrition import attrition_run
from members.services.joining import member_activate_on_verification, member_register
from tests.factories import MemberFactory, UserFactory, ago, member_with_account, sector
from tests.meetings.factories import MeetingFactory
from tests.outbox_helpers import html_part

pytestmark = pytest.mark.django_db

COMMUNITY = "City Librarians Community of Practice"


def welcome_email_of(*, email, name, language, django_capture_on_commit_callbacks):
    user = UserFactory(email=email)
    member_register(user=user, full_name=name, sector=sector("public"), language=language)
    with django_capture_on_commit_callbacks(execute=True):
        member_activate_on_verification(user=user)
    [message] = [m for m in mail.outbox if m.to == [email]]
    return message


def test_welcome_email_to_a_french_member_is_french(django_capture_on_commit_callbacks):
    message = welcome_email_of(
        email="amelie@example.org",
        name="Amélie Tremblay",
        language="fr-ca",
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert message.subject == f"Bienvenue à {COMMUNITY}, Amélie Tremblay"
    assert message.body.startswith("Bonjour Amélie Tremblay,\n\nBienvenue à " + COMMUNITY + "!")
    assert "Trois choses à faire pour commencer\u00a0:" in message.body
    assert "L'équipe de coordination" in message.body
    # The footer: why it is sent and the preferences link, in French too.
    assert (
        f"Vous recevez ce courriel parce que vous avez adhéré à {COMMUNITY} avec cette adresse."
        in message.body
    )
    assert "Choisir les courriels que vous recevez\u00a0: http" in message.body
    html = html_part(message)
    assert '<html lang="fr-ca">' in html
    assert "Parcourez le répertoire des membres" in html
    assert "Choisir les courriels que vous recevez</a>" in html
    assert "Welcome" not in message.body + html


def test_welcome_email_to_an_english_member_is_english_even_from_a_french_page(
    django_capture_on_commit_callbacks,
):
    # A coordinator (or the confirmation page) working in French does not choose the language.
    with translation.override("fr-ca"):
        message = welcome_email_of(
            email="oliver@example.org",
            name="Oliver Smith",
            language="en-ca",
            django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
        )

    assert message.subject == f"Welcome to the {COMMUNITY}, Oliver Smith"
    assert message.body.startswith("Hello Oliver Smith,")
    assert "You receive this email because you joined the" in message.body
    assert '<html lang="en-ca">' in html_part(message)
    assert "Bonjour" not in message.body


def test_reengagement_to_a_french_member_has_french_unsubscribe_and_reason(
    django_capture_on_commit_callbacks,
):
    MemberFactory(full_name="Quentin Lavoie", joined_at=ago(200), language="fr-ca")

    with django_capture_on_commit_callbacks(execute=True):
        attrition_run()

    (message,) = mail.outbox
    assert message.subject == "Êtes-vous toujours des nôtres, Quentin Lavoie?"
    assert "Sans nouvelles de votre part d'ici 30 jours" in message.body
    assert (
        "Ne plus recevoir les courriels «\u00a0prise de nouvelles\u00a0»\u00a0: http"
        in message.body
    )
    assert "les prises de nouvelles sont activées dans vos préférences" in message.body
    html = html_part(message)
    assert "Dites-nous ce qui vous convient</a>" in html
    assert "Ne plus recevoir les courriels «\u00a0prise de nouvelles\u00a0»</a>" in html


def test_digest_to_a_french_member_is_french_with_french_times(django_capture_on_commit_callbacks):
    MemberFactory(full_name="Dee Lecteur", time_zone="America/Toronto", language="fr-ca")
    toronto = ZoneInfo("America/Toronto")
    starts = timezone.localtime(timezone.now() + timedelta(days=5), timezone=toronto)
    starts = datetime(starts.year, starts.month, starts.day, 14, 30, tzinfo=toronto)
    MeetingFactory(title="Dîner-causerie", starts_at=starts)

    with django_capture_on_commit_callbacks(execute=True):
        digests_send()

    (message,) = mail.outbox
    assert message.subject == f"Ce qui se passe à {COMMUNITY} ce mois-ci"
    assert "Rencontres\n- Dîner-causerie" in message.body
    # fr_CA times: "14 h 30", with the zone they are in.
    assert "14\u00a0h\u00a030 E" in message.body
    assert "Au plaisir de vous y voir," in message.body


def test_account_email_to_a_french_member_follows_their_language_not_the_page(
    client, django_capture_on_commit_callbacks
):
    member = member_with_account(email="reinit@example.org", language="fr-ca")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email})

    [message] = [m for m in mail.outbox if m.to == [member.email]]
    assert (
        "Vous recevez ce courriel parce que cette adresse vient d'être utilisée sur le site de "
        f"{COMMUNITY}." in message.body
    )
    assert '<html lang="fr-ca">' in html_part(message)
