"""Members' personal calendar feeds: a secret address their calendar subscribes to."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from meetings.models import CalendarFeed, Meeting, Registration, new_feed_token
from members.models import Member


def calendar_feed_get_or_create(*, member: Member) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(member=member)
    return feed


def calendar_feed_regenerate(*, member: Member) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(member=member)
    if not created:
        feed.token = new_feed_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_meetings(*, member: Member) -> QuerySet[Meeting]:
    """What the member's feed lists: meetings they are going to, cancelled ones included so that
    calendars remove them, from the last three months onwards."""
    return (
        Meeting.objects.published()
        .filter(
            registrations__member=member,
            registrations__status=Registration.Status.GOING,
            ends_at__gte=timezone.now() - timedelta(days=90),
        )
        .order_by("starts_at")
    )
