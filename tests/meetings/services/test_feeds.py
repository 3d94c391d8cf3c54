"""A member's calendar feed address, and revoking it."""

import pytest

from meetings.services.feeds import calendar_feed_get_or_create, calendar_feed_regenerate
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_calendar_feed_regenerate_revokes_the_old_token():
    member = MemberFactory()
    old = calendar_feed_get_or_create(member=member).token

    new = calendar_feed_regenerate(member=member).token

    assert new != old
    assert calendar_feed_get_or_create(member=member).token == new
