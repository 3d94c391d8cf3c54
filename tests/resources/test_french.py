"""Resources in Canadian French: the library's words, kinds and filters, the writing form and
its errors, the review queue, the feed, and the authors' emails in their own language."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from resources import services
from resources.models import Kind, Status
from tests.factories import member_with_account
from tests.resources.factories import ResourceFactory, editor_account

pytestmark = pytest.mark.django_db

FRENCH = {"accept-language": "fr-CA"}


@pytest.fixture(autouse=True)
def _community_language_afterwards():
    """A French request leaves French active in the thread (LocaleMiddleware never resets
    it): later tests that render outside a request expect the community's language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_library_in_french_names_kinds_and_filters_in_french(client):
    ResourceFactory(kind=Kind.CASE_STUDY, title="Search clinics")

    html = client.get(reverse("resources:list"), headers=FRENCH).content.decode()

    assert "<h1>Ressources</h1>" in html
    assert '<option value="" selected>Tous les types</option>' in html
    assert '<option value="km_story">Récit d’expérience</option>' in html
    assert "Suivre les nouvelles ressources dans un lecteur de fils d’actualité" in html
    assert ">Étude de cas</span>" in html
    assert "1 ressource" in html


def test_library_without_a_language_stays_english(client):
    ResourceFactory(kind=Kind.CASE_STUDY)

    html = client.get(reverse("resources:list")).content.decode()

    assert "<h1>Resources</h1>" in html
    assert "Follow new resources in a feed reader" in html
    assert ">Case study</span>" in html


def test_guided_form_in_french_with_its_errors(client):
    member = member_with_account()
    client.force_login(member.user)

    response = client.post(
        reverse("resources:create_guided"),
        {"kind": Kind.CASE_STUDY, "title": " ", "summary": "", "visibility": "members"},
        headers=FRENCH,
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Rédiger une étude de cas ou un récit d’expérience</h1>" in html
    assert "1. Contexte" in html
    assert "Entrez un titre." in html
    assert "Entrez un court résumé." in html


def test_review_queue_in_french(client):
    editor = editor_account()
    ResourceFactory(status=Status.SUBMITTED, title="Search clinics", submitted_at=None)
    client.force_login(editor.user)

    html = client.get(reverse("resources:review_queue"), headers=FRENCH).content.decode()

    assert "<h1>Ressources à réviser</h1>" in html
    assert "En attente de révision (1)" in html


def test_feed_title_in_french(client):
    html = client.get(reverse("resources:feed"), headers=FRENCH).content.decode()

    assert "<title>Nouvelles ressources de " in html
    assert "Modèles, études de cas, récits d’expérience et guides" in html


def test_published_email_in_the_authors_language(django_capture_on_commit_callbacks):
    editor = editor_account()
    french = ResourceFactory(
        status=Status.SUBMITTED, title="Cliniques de recherche", author__language="fr-ca"
    )
    english = ResourceFactory(
        status=Status.SUBMITTED, title="Search clinics", author__language="en-ca"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.resource_publish(resource=french, by=editor.user)
        services.resource_publish(resource=english, by=editor.user)

    by_address = {m.to[0]: m for m in mail.outbox}
    french_email = by_address[french.author.email]
    # Subjects are folded to plain spaces by the outbox.
    assert french_email.subject == "«\u00a0Cliniques de recherche\u00a0» est publiée"
    assert french_email.body.startswith(f"Bonjour {french.author.full_name},")
    assert "Merci de partager votre pratique," in french_email.body
    assert by_address[english.author.email].subject == "“Search clinics” is published"


def test_refusal_message_in_french(client):
    member = member_with_account()
    resource = ResourceFactory(status=Status.DRAFT, author=member, body="", url="")
    client.force_login(member.user)

    response = client.post(
        reverse("resources:submit", args=[resource.pk]), headers=FRENCH, follow=True
    )

    assert "Ajoutez du texte, un fichier ou un lien avant de soumettre." in (
        response.content.decode()
    )
