"""Times read on a 24-hour clock in the admin, as they do on the site."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.formats import date_format, time_format

from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory

LONDON = ZoneInfo("Europe/London")


def test_locale_formats_use_a_24_hour_clock():
    moment = datetime(2027, 2, 2, 16, 30, tzinfo=LONDON)

    assert date_format(moment, "DATETIME_FORMAT") == "2 Feb 2027, 16:30"
    assert date_format(moment, "SHORT_DATETIME_FORMAT") == "2027-02-02 16:30"
    assert time_format(moment.time()) == "16:30"
    # What is not overridden still comes from Django's en-CA locale.
    assert date_format(moment.date()) == "2 Feb 2027"


@pytest.mark.django_db
def test_admin_meeting_list_shows_24_hour_times(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    MeetingFactory(
        starts_at=datetime(2027, 2, 2, 16, 30, tzinfo=LONDON),
        ends_at=datetime(2027, 2, 2, 17, 30, tzinfo=LONDON),
    )

    page = client.get(reverse("admin:meetings_meeting_changelist")).content.decode()

    assert "2 Feb 2027, 16:30" in page
    assert "p.m." not in page
