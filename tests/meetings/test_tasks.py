from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from meetings import tasks
from meetings.models import Registration
from meetings.services.coordinating import meeting_cancel
from meetings.services.registrations import registration_cancel, registration_create
from meetings.services.reminders import meeting_reminders_send
from members.models import OutgoingEmail
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def register(meeting, **member_kwargs):
    member = MemberFactory(**member_kwargs)
    registration = registration_create(meeting=meeting, member=member)
    # Registered well before the reminder window, as most people are.
    Registration.objects.filter(pk=registration.pk).update(
        registered_at=timezone.now() - timedelta(days=5)
    )
    return member


def reminders():
    return OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.REMINDER)


def test_reminder_task_twice_sends_once_per_registration(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(hours=20))
    first, second = register(meeting), register(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.meeting_reminders_send.delay().get() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.meeting_reminders_send.delay().get() == 0

    assert sorted(reminders().values_list("member_id", flat=True)) == sorted([first.pk, second.pk])
    sent = [m for m in mail.outbox if m.subject.startswith("Reminder:")]
    assert sorted(m.to[0] for m in sent) == sorted([first.email, second.email])
    assert "secret-room" in sent[0].body
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/members/unsubscribe/" in sent[0].extra_headers["List-Unsubscribe"]
    assert Registration.objects.filter(reminded_at__isnull=True).count() == 0


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


def test_reminder_task_is_scheduled_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["meeting-reminders"]
    assert entry["task"] == "meetings.tasks.meeting_reminders_send"
    assert tasks.meeting_reminders_send.name == entry["task"]
