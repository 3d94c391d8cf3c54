"""The reminder about a day before a meeting: to whom, and within which window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Registration
from meetings.services.coordinating import meeting_cancel
from meetings.services.registrations import registration_cancel
from meetings.services.reminders import meeting_reminders_send
from tests.meetings.factories import MeetingFactory, register, reminders

pytestmark = pytest.mark.django_db


def test_reminders_only_for_going_members_who_want_them_within_the_window():
    soon = MeetingFactory(starts_at=timezone.now() + timedelta(hours=10), capacity=2)
    later = MeetingFactory(starts_at=timezone.now() + timedelta(hours=30))
    wants = register(soon)
    register(soon, wants_meeting_reminders=False)
    register(soon)  # waitlisted: no reminder
    register(later)
    cancelled = register(soon)
    registration_cancel(registration=Registration.objects.get(member=cancelled))

    meeting_reminders_send()

    assert list(reminders().values_list("member_id", flat=True)) == [wants.pk]


def test_reminders_skip_cancelled_meetings():
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(hours=10))
    register(meeting)
    meeting_cancel(meeting=meeting)

    assert meeting_reminders_send() == 0


def test_reminder_window_is_configurable(settings):
    settings.MEETING_REMINDER_HOURS = 48
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(hours=40))
    register(meeting)

    assert meeting_reminders_send() == 1


def test_a_french_members_reminder_is_in_french_and_an_english_members_in_english():
    starts = timezone.now() + timedelta(hours=10)
    meeting = MeetingFactory(title="Café des bibliothécaires", starts_at=starts, capacity=None)
    french = register(meeting, language="fr-ca", full_name="Luc Gagnon")
    english = register(meeting, language="en-ca", full_name="Ann Smith")

    meeting_reminders_send()

    to_french = reminders().get(member=french)
    to_english = reminders().get(member=english)
    assert to_french.subject.startswith("Rappel\u00a0: Café des bibliothécaires, ")
    assert to_french.body_text.startswith(
        "Bonjour Luc Gagnon,\n\nUn rappel\N{NO-BREAK SPACE}: vous participez bientôt"
    )
    assert "Au plaisir de vous y voir," in to_french.body_text
    assert "<p>Au plaisir de vous y voir,<br>L'équipe de coordination</p>" in to_french.body_html
    assert to_english.subject.startswith("Reminder: Café des bibliothécaires, ")
    assert "A reminder that you are going to this meeting soon:" in to_english.body_text
