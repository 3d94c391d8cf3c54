"""`seed_demo --meetings N --registrations N`: top the demo up to a community's full size.

The named demo meetings (meetings.demo) tell a story; these fill the calendar around them, so
pages and the fan-out are measured at the size a real community reaches: sessions from the
history list, spread over the last two years and the next six months, most of them past, with
registrations drawn from the members. Written in bulk, in chunks, with progress; running it
again with the same sizes adds nothing.
"""

import uuid
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from meetings.demo import DEMO_NAMESPACE, LOCATIONS
from meetings.demo_copy import HISTORY_MEETUP, HISTORY_SESSIONS
from meetings.models import Format, Meeting, Registration
from members.models import EngagementEvent, Member, Topic

CHUNK = 500
PAST_DAYS, FUTURE_DAYS = 730, 180


def top_up_meetings(*, target: int, rng, now, stdout) -> int:
    """Create published meetings until there are `target`; returns how many were made."""
    todo = target - Meeting.objects.count()
    if todo <= 0:
        return 0
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    topics = list(Topic.objects.all())
    start = Meeting.objects.count()  # numbering continues from earlier runs
    made = 0
    while made < todo:
        size = min(CHUNK, todo - made)
        meetings = []
        for n in range(start + made, start + made + size):
            title, kind, summary, description = HISTORY_SESSIONS[n % len(HISTORY_SESSIONS)]
            # Three in four are past, as in a community that has met for two years.
            offset = rng.randint(-PAST_DAYS, FUTURE_DAYS // 3 if n % 4 else FUTURE_DAYS)
            day = (now + timedelta(days=offset)).astimezone(zone).date()
            starts_at = datetime(day.year, day.month, day.day, rng.choice([10, 12, 17]), 30)
            starts_at = starts_at.replace(tzinfo=zone)
            fmt = rng.choice([Format.ONLINE, Format.IN_PERSON, Format.HYBRID])
            meetings.append(
                Meeting(
                    uid=uuid.uuid5(DEMO_NAMESPACE, f"scale-{n}"),
                    title=title,
                    summary=summary,
                    description=description,
                    kind=kind,
                    format=fmt,
                    location=rng.choice(LOCATIONS) if fmt != Format.ONLINE else "",
                    online_url="" if fmt == Format.IN_PERSON else f"https://meet.example.org/s{n}",
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=1.5),
                    capacity=rng.choice([None, 30, 60]),
                    status=Meeting.Status.PUBLISHED,
                )
            )
        with transaction.atomic():
            created = Meeting.objects.bulk_create(meetings, ignore_conflicts=True)
            saved = Meeting.objects.filter(uid__in=[m.uid for m in created])
            through = Meeting.topics.through
            through.objects.bulk_create(
                (
                    through(meeting_id=m.pk, topic_id=t.pk)
                    for m in saved
                    for t in rng.sample(topics, 2)
                ),
                ignore_conflicts=True,
            )
        made += size
        stdout.write(f"  meetings: {made}/{todo}")
    return made


def top_up_registrations(*, target: int, rng, now, stdout) -> int:
    """Register members for meetings until there are `target` registrations (past meetings
    mostly attended, with the engagement that records); returns how many were made."""
    todo = target - Registration.objects.count()
    if todo <= 0:
        return 0
    member_ids = list(Member.objects.exclude(joined_at=None).values_list("pk", flat=True))
    # Not the monthly meetups: the demo's meeting notes follow who came to those.
    meetings = list(
        Meeting.objects.published().exclude(title=HISTORY_MEETUP[0]).values_list("pk", "starts_at")
    )
    if not member_ids or not meetings:
        stdout.write("  registrations: no members or meetings, skipping")
        return 0
    made = 0
    attempts = 0
    # Random pairs; the unique constraint drops a repeated pair, so loop until enough landed.
    while made < todo and attempts < 50:
        attempts += 1
        size = min(CHUNK * 4, todo - made)
        registrations, events = [], []
        for _ in range(size):
            meeting_id, starts_at = rng.choice(meetings)
            member_id = rng.choice(member_ids)
            past = starts_at < now
            attended = past and rng.random() < 0.8
            registrations.append(
                Registration(
                    meeting_id=meeting_id,
                    member_id=member_id,
                    registered_at=starts_at - timedelta(days=rng.randint(1, 20)),
                    attended=attended,
                )
            )
            if attended:
                events.append(
                    EngagementEvent(
                        member_id=member_id,
                        kind=EngagementEvent.Kind.ATTENDED,
                        occurred_at=starts_at,
                        source=f"meeting:{meeting_id}",
                    )
                )
        before = Registration.objects.count()
        with transaction.atomic():
            Registration.objects.bulk_create(registrations, ignore_conflicts=True)
            EngagementEvent.objects.bulk_create(events)
        made += Registration.objects.count() - before
        stdout.write(f"  registrations: {min(made, todo)}/{todo}")
    return made
