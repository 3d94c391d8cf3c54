"""The monthly digest: new meetings, topics and resources, once a month, only when there is news."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from copsite.digest import digests_send
from meetings.models import Registration, TopicSuggestion
from resources.models import Status
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_digest_lists_new_meetings_and_topics_once_a_month(django_capture_on_commit_callbacks):
    reader = MemberFactory(full_name="Dee Reader", time_zone="America/Toronto")
    MemberFactory(wants_digest=False)
    meeting = MeetingFactory(
        title="Lunchtime meetup",
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=5),
    )
    TopicSuggestion.objects.create(title="Demonstrating impact")

    with django_capture_on_commit_callbacks(execute=True):
        first = digests_send()
    with django_capture_on_commit_callbacks(execute=True):
        second = digests_send()

    assert (first["queued"], second["queued"]) == (1, 0)
    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert "Lunchtime meetup" in message.body
    toronto = timezone.localtime(meeting.starts_at, timezone=ZoneInfo("America/Toronto"))
    assert toronto.strftime("%H:%M") in message.body
    assert "Demonstrating impact" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_digest_skipped_when_nothing_is_new_for_the_person(django_capture_on_commit_callbacks):
    busy = MemberFactory()
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=5))
    Registration.objects.create(meeting=meeting, member=busy, status="going")

    with django_capture_on_commit_callbacks(execute=True):
        result = digests_send()

    assert result == {"queued": 0, "skipped": 1}
    assert mail.outbox == []


def test_digest_lists_new_resources_even_without_meetings(django_capture_on_commit_callbacks):
    reader = MemberFactory()
    ResourceFactory(author=reader, title="New public guide")
    ResourceFactory(author=reader, title="New members guide", visibility="members")
    ResourceFactory(
        author=reader, title="Old guide", published_at=timezone.now() - timedelta(days=90)
    )
    ResourceFactory(
        author=reader, title="Waiting guide", status=Status.SUBMITTED, published_at=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = digests_send()

    assert result["queued"] == 1
    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert "New public guide" in message.body
    assert "New members guide (guide, members only)" in message.body
    assert "Old guide" not in message.body
    assert "Waiting guide" not in message.body
