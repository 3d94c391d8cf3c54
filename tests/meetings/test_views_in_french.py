"""The meeting pages in Canadian French, for a reader whose browser asks for it; the calendar
feed in its member's language, whatever the calendar app asks for."""

import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Format, Kind
from meetings.services.feeds import calendar_feed_get_or_create
from meetings.services.registrations import registration_create
from tests.factories import member_with_account
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

FRENCH = {"accept-language": "fr-CA"}
NBSP = "\N{NO-BREAK SPACE}"
STARTS = datetime(2027, 1, 12, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


@pytest.fixture
def meeting():
    return MeetingFactory(
        title="Atelier Zotero",
        kind=Kind.WORKSHOP,
        format=Format.ONLINE,
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=1),
        capacity=10,
        description="Apportez votre portable.",
    )


def test_the_meeting_list_in_french_with_its_filters(client, meeting, settings):
    settings.TIME_ZONE = "Europe/London"

    page = client.get(reverse("meetings:list"), headers=FRENCH).content.decode()

    assert "<h1>Rencontres à venir</h1>" in page
    assert "Les heures sont affichées dans le fuseau horaire de la communauté." in page
    assert re.search(r'for="id_kind" class="form-label">\s*Type\s*</label>', page)
    assert '<option value="" selected>Tous les types</option>' in page
    assert '<option value="in_person">En personne</option>' in page
    assert ">Atelier</span>" in page and ">En ligne</span>" in page
    assert "0 place prise sur 10" in page
    assert f"mardi 12 janvier 2027, 12{NBSP}h{NBSP}00" in page
    assert "1 rencontre</h2>" in page


def test_the_meeting_list_stays_english_without_a_language(client, meeting):
    page = client.get(reverse("meetings:list")).content.decode()

    assert "<h1>Upcoming meetings</h1>" in page
    assert "0 of 10 places taken" in page


def test_a_bad_filter_is_refused_in_french_next_to_its_field(client):
    response = client.get(reverse("meetings:list"), {"kind": "banquet"}, headers=FRENCH)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page


def test_the_meeting_page_in_french(client, meeting):
    page = client.get(meeting.get_absolute_url(), headers=FRENCH).content.decode()

    assert '<dt class="col-sm-3">Quand</dt>' in page
    assert f"mardi 12 janvier 2027, 12{NBSP}h{NBSP}00</time>–" in page
    assert "(fuseau horaire de la communauté)" in page
    assert "En ligne · Atelier" in page
    assert ">Se connecter pour s'inscrire</a>" in page
    assert ">Ajouter au calendrier (.ics)</a>" in page
    assert '<h2 id="about-title" class="h4">À propos de cette rencontre</h2>' in page


def test_registering_in_french_says_so_in_french(client, meeting):
    member = member_with_account(language="fr-ca")
    client.force_login(member.user)

    response = client.post(
        reverse("meetings:register", args=[meeting.pk]), headers=FRENCH, follow=True
    )

    page = response.content.decode()
    assert (
        "Votre inscription est confirmée. Nous vous avons envoyé les détails par courriel." in page
    )
    assert 'data-rsvp-state="going">Vous y serez.</p>' in page
    assert ">Annuler mon inscription</a>" in page


def test_a_topic_suggestion_form_error_in_french(client):
    member = member_with_account(language="fr-ca")
    client.force_login(member.user)

    response = client.post(reverse("meetings:suggestions"), {"title": "   "}, headers=FRENCH)

    page = response.content.decode()
    assert "<h1>Sujets des prochaines rencontres</h1>" in page
    assert re.search(r'for="id_title"[^>]*>\s*Sujet', page)
    assert "Qu&#x27;aimeriez-vous aborder? (facultatif)" in page
    assert "Ce champ est obligatoire." in page


def test_the_calendar_feed_speaks_its_members_language(client, meeting):
    member = member_with_account(language="fr-ca")
    registration_create(meeting=meeting, member=member)
    feed = calendar_feed_get_or_create(member=member)

    response = client.get(reverse("meetings:feed", args=[feed.token]))

    calendar = Calendar.from_ical(response.content)
    [event] = calendar.events
    assert str(calendar["x-wr-calname"]) == "Mes rencontres de la communauté"
    assert str(event["summary"]) == "Atelier Zotero"
    assert f"Détails{NBSP}: http" in str(event["description"])
    [alarm] = event.walk("VALARM")
    assert str(alarm["description"]) == f"Rappel{NBSP}: Atelier Zotero"
