"""100 simultaneous RSVPs for 10 seats, each on its own PostgreSQL connection."""

import threading

import pytest
from django.db import connection, connections

from meetings.models import Registration
from meetings.services.registrations import registration_create
from tests.factories import MemberFactory
from tests.meetings.factories import MeetingFactory

RSVPS = 100
SEATS = 10
# PostgreSQL's default max_connections is 100 and other suites may share the server: all 100
# threads start together, but at most this many hold a connection at the same moment.
MAX_CONNECTIONS = 40


@pytest.mark.django_db(transaction=True)
def test_100_simultaneous_rsvps_for_10_seats_leave_10_going_and_90_waitlisted():
    if connection.vendor != "postgresql":
        pytest.skip("The race needs real PostgreSQL row locks")
    meeting = MeetingFactory(capacity=SEATS)
    members = [MemberFactory() for _ in range(RSVPS)]
    start = threading.Barrier(RSVPS)
    connection_slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
    errors = []

    def rsvp(member):
        try:
            start.wait()
            with connection_slots:
                try:
                    registration_create(meeting=meeting, member=member)
                finally:
                    connections.close_all()  # this thread's own connection
        except Exception as exc:  # reported below; a thread must not die silently
            errors.append(exc)

    threads = [threading.Thread(target=rsvp, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    statuses = list(
        Registration.objects.filter(meeting=meeting)
        .order_by("registered_at", "pk")
        .values_list("status", flat=True)
    )
    assert statuses.count("going") == SEATS
    assert statuses.count("waitlisted") == RSVPS - SEATS
    # The waiting list is served in the order people registered.
    positions = [
        r.waitlist_position()
        for r in Registration.objects.filter(meeting=meeting, status="waitlisted")
    ]
    assert sorted(positions) == list(range(1, RSVPS - SEATS + 1))
