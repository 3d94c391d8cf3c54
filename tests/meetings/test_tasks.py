"""The reminder task: scheduled hourly, and sending once per registration however often it runs."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from meetings import tasks
from meetings.models import Registration
from tests.meetings.factories import MeetingFactory, register, reminders

pytestmark = pytest.mark.django_db


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


def test_reminder_task_is_scheduled_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["meeting-reminders"]
    assert entry["task"] == "meetings.tasks.meeting_reminders_send"
    assert tasks.meeting_reminders_send.name == entry["task"]
