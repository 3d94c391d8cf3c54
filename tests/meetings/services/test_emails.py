"""Emails to a meeting's registrants show times in their own zone."""

import zoneinfo
from datetime import datetime, timedelta

import pytest

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
