"""Emails to a meeting's registrants show times in their own zone."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from icalendar import Calendar

from meetings.services.registrations import registration_create
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory, emails_to

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_confirmation_email_shows_times_in_the_members_zone():
    starts = datetime(2027, 1, 12, 12, 0, tzinfo=LONDON)
    meeting = MeetingFactory(starts_at=starts, ends_at=starts + timedelta(hours=1))
    member = MemberFactory(time_zone="America/New_York")

    registration_create(meeting=meeting, member=member)

    [email] = emails_to(member)
    assert "Tuesday 12 January 2027, 07:00\N{EN DASH}08:00" in email.body_text


# --- In the member's own language --------------------------------------------------------------

NBSP = "\N{NO-BREAK SPACE}"
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def test_confirmation_is_in_each_members_language_with_an_ics_in_it_too():
    starts = datetime(2027, 1, 12, 12, 0, tzinfo=TORONTO)
    meeting = MeetingFactory(
        title="Club de lecture", starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    french = MemberFactory(
        full_name="Chloé Tremblay", language="fr-ca", time_zone="America/Toronto"
    )
    english = MemberFactory(full_name="Ann Smith", language="en-ca", time_zone="America/Toronto")

    registration_create(meeting=meeting, member=french)
    registration_create(meeting=meeting, member=english)

    [to_french] = emails_to(french)
    [to_english] = emails_to(english)
    # The outbox joins a subject's words with plain spaces.
    assert to_french.subject == "Inscription confirmée\u00a0: Club de lecture"
    assert to_french.body_text.startswith("Bonjour Chloé Tremblay,\n\n")
    assert f"Quand{NBSP}: mardi 12 janvier 2027, 12{NBSP}h{NBSP}00–13{NBSP}h{NBSP}00" in (
        to_french.body_text
    )
    assert "L'équipe de coordination" in to_french.body_text
    assert ">Rejoindre en ligne</th>" in to_french.body_html
    assert "À bientôt," in to_french.body_html
    [event] = Calendar.from_ical(to_french.attachments[0]["content"]).events
    assert str(event["summary"]) == "Club de lecture"  # the title is the coordinator's
    assert f"Détails{NBSP}: http" in str(event["description"])
    assert to_english.subject == "You are registered: Club de lecture"
    assert "When: Tuesday 12 January 2027, 12:00–13:00" in to_english.body_text
    [event] = Calendar.from_ical(to_english.attachments[0]["content"]).events
    assert "Details: http" in str(event["description"])


def test_waiting_list_email_in_french_gives_the_position():
    meeting = MeetingFactory(title="Atelier Zotero", capacity=1)
    registration_create(meeting=meeting, member=MemberFactory())
    french = MemberFactory(language="fr-ca")

    registration_create(meeting=meeting, member=french)

    [email] = emails_to(french)
    assert email.subject == "Vous êtes sur la liste d'attente\u00a0: Atelier Zotero"
    assert f"vous êtes au rang 1 de sa liste d'attente{NBSP}:" in email.body_text
