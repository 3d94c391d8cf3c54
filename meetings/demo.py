"""Demo meetings for `seed_demo`: two years of past meetings with attendance, upcoming ones
(some nearly full), a monthly series and topic suggestions with votes. Who came follows each
person's participation profile (members.demo). Idempotent: demo rows have fixed identities."""

import uuid
import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction

from meetings.demo_copy import (
    DEMO_MEETINGS,
    HISTORY_MEETUP,
    HISTORY_SESSIONS,
    SERIES_DESCRIPTION,
    demo_title,
)
from meetings.models import Format, Kind, Meeting, Registration, Series, TopicSuggestion, TopicVote
from meetings.services.series import series_create_occurrences
from members.demo import is_engaged_at, profile_of
from members.models import EngagementEvent, Member, Topic

DEMO_NAMESPACE = uuid.UUID("6f1d2c1e-8a53-4b7a-9a77-3c0f3e2b9d10")


LOCATIONS = [
    "City Central Library, Room 2",
    "City University Library, seminar room",
    "Botanic Gardens Library",
]
# Two a month for the last two years: an informal meetup and a session on a topic.
HISTORY_MONTHS = 24
DEMO_SUGGESTIONS = [
    ("Running a library on a shoestring", "Free tools and partnerships that work."),
    ("Supporting researchers with data management", ""),
    ("Reader development for teenagers", "What works in schools and public libraries alike."),
    ("Dealing with misinformation at the desk", ""),
    ("Career moves between sectors", "Stories from people who switched."),
]


def seed_meetings(*, rng, now, stdout) -> None:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    members = list(Member.objects.active().order_by("pk")[:400])
    topics = list(Topic.objects.all())
    if not members:
        stdout.write("Meetings: no active members, skipping.")
        return
    # Everyone who was ever a member, for the past meetings: who came then, not who is here now.
    everyone = list(Member.objects.exclude(joined_at=None).order_by("pk"))
    with transaction.atomic():
        history = _seed_history(everyone, topics, rng, now, zone)
        created = 0
        today = now.astimezone(zone).date()
        for index, demo in enumerate(DEMO_MEETINGS):
            uid = uuid.uuid5(DEMO_NAMESPACE, f"meeting-{index}")
            if Meeting.objects.filter(uid=uid).exists():
                continue
            day = today + timedelta(days=demo.days)
            starts_at = datetime.combine(day, time(demo.hour), tzinfo=zone)
            location = "Botanic Gardens Library" if "Botanic" in demo.title else ""
            meeting = Meeting.objects.create(
                uid=uid,
                title=demo_title(demo.title, day),
                summary=demo.summary,
                description=demo.description,
                kind=demo.kind,
                format=demo.format,
                location=(location or rng.choice(LOCATIONS))
                if demo.format != Format.ONLINE
                else "",
                online_url="https://meet.example.org/librarians-" + str(index)
                if demo.format != Format.IN_PERSON
                else "",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=demo.hours),
                capacity=demo.capacity,
                status=Meeting.Status.PUBLISHED,
            )
            meeting.topics.set(rng.sample(topics, min(2, len(topics))))
            past = demo.days < 0
            people = [m for m in everyone if is_engaged_at(m, starts_at, now)] if past else members
            _seed_registrations(meeting, people, rng, demo.capacity, demo.fill, past=past)
            created += 1

        series, series_created = Series.objects.get_or_create(
            title="First-Tuesday lunchtime chat",
            defaults={
                "summary": "An hour of informal chat over lunch, online, once a month.",
                "description": SERIES_DESCRIPTION,
                "kind": Kind.INFORMAL,
                "format": Format.ONLINE,
                "online_url": "https://meet.example.org/first-tuesday",
                "frequency": Series.Frequency.MONTHLY,
                "weekday": Series.Weekday.TUESDAY,
                "week_of_month": Series.WeekOfMonth.FIRST,
                "starts_on": today,
                "start_time": time(12),
                "end_time": time(13),
                "occurrences": 6,
            },
        )
        if series_created:
            occurrences = series_create_occurrences(series=series)
            _seed_registrations(occurrences[0], members, rng, None, 0.1, past=False)

        suggestions = 0
        for title, description in DEMO_SUGGESTIONS:
            suggestion, made = TopicSuggestion.objects.get_or_create(
                title=title,
                defaults={"description": description, "suggested_by": rng.choice(members)},
            )
            if made:
                voters = rng.sample(members, min(len(members), rng.randint(2, 25)))
                TopicVote.objects.bulk_create(
                    [TopicVote(suggestion=suggestion, member=m) for m in voters],
                    ignore_conflicts=True,
                )
                suggestions += 1
    stdout.write(
        f"Meetings: {history} past meetings over two years, {created} new demo meetings, series "
        f"{'created' if series_created else 'there'}, {suggestions} new topic suggestions."
    )


def _seed_history(everyone, topics, rng, now, zone) -> int:
    """Two meetings a month for two years; who registered and came follows their profile."""
    created = 0
    today = now.astimezone(zone).date()
    for months_back in range(HISTORY_MONTHS, 0, -1):
        year, month = today.year, today.month - months_back
        while month < 1:
            year, month = year - 1, month + 12
        for slot in (0, 1):
            uid = uuid.uuid5(DEMO_NAMESPACE, f"history-{year}-{month}-{slot}")
            if Meeting.objects.filter(uid=uid).exists():
                continue
            if slot == 0:
                title, summary, description = HISTORY_MEETUP
                kind, fmt = Kind.INFORMAL, Format.IN_PERSON
                starts_at = datetime(year, month, 3 + rng.randint(0, 4), 17, 30, tzinfo=zone)
                capacity = None
            else:
                title, kind, summary, description = HISTORY_SESSIONS[
                    (year * 12 + month) % len(HISTORY_SESSIONS)
                ]
                fmt = Format.ONLINE
                starts_at = datetime(year, month, 15 + rng.randint(0, 7), 12, 30, tzinfo=zone)
                capacity = 40
            meeting = Meeting.objects.create(
                uid=uid,
                title=title,
                summary=summary,
                description=description,
                kind=kind,
                format=fmt,
                location=rng.choice(LOCATIONS) if fmt == Format.IN_PERSON else "",
                online_url="https://meet.example.org/history" if fmt == Format.ONLINE else "",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1.5),
                capacity=capacity,
                status=Meeting.Status.PUBLISHED,
            )
            meeting.topics.set(rng.sample(topics, min(2, len(topics))))
            _seed_attendance(meeting, everyone, rng, now)
            created += 1
    return created


def _seed_attendance(meeting, everyone, rng, now) -> None:
    """Registrations, attendance and the engagement they record, by each person's profile."""
    registrations, events = [], []
    for member in everyone:
        registered_at = meeting.starts_at - timedelta(days=rng.randint(2, 20))
        if not is_engaged_at(member, registered_at, now):
            continue
        if rng.random() >= profile_of(member).attend * 1.25:
            continue
        if meeting.capacity is not None and len(registrations) >= meeting.capacity:
            break
        attended = rng.random() < 0.8  # one in five who said they would come did not
        registrations.append(
            Registration(
                meeting=meeting,
                member=member,
                status=Registration.Status.GOING,
                registered_at=registered_at,
                attended=attended,
            )
        )
        source = f"meeting:{meeting.pk}"
        events.append(
            EngagementEvent(member=member, kind="rsvp", occurred_at=registered_at, source=source)
        )
        if attended:
            events.append(
                EngagementEvent(
                    member=member, kind="attended", occurred_at=meeting.starts_at, source=source
                )
            )
    Registration.objects.bulk_create(registrations)
    EngagementEvent.objects.bulk_create(events)


def _seed_registrations(meeting, members, rng, capacity, fill, *, past) -> None:
    wanted = int((capacity or 30) * fill)
    count = min(len(members), wanted + (3 if fill >= 1 else 0))
    if past:
        # Those who come most often are likeliest to have come (weighted sampling).
        chosen = sorted(
            members, key=lambda m: rng.random() ** (1 / profile_of(m).attend), reverse=True
        )[:count]
    else:
        chosen = rng.sample(members, count)
    # The demo member always has something on their "My meetings" page.
    demo_member = next((m for m in members if m.email == "member@example.org"), None)
    if demo_member and demo_member not in chosen and not past and fill < 0.9:
        chosen.insert(0, demo_member)
    registrations = []
    for position, member in enumerate(chosen):
        full = capacity is not None and position >= capacity
        registrations.append(
            Registration(
                meeting=meeting,
                member=member,
                status=Registration.Status.WAITLISTED if full else Registration.Status.GOING,
                registered_at=meeting.starts_at - timedelta(days=20, minutes=-position),
                attended=past and not full and rng.random() < 0.8,
            )
        )
    Registration.objects.bulk_create(registrations, ignore_conflicts=True)
    EngagementEvent.objects.bulk_create(
        EngagementEvent(
            member=r.member,
            kind=EngagementEvent.Kind.ATTENDED,
            occurred_at=meeting.starts_at,
            source=f"meeting:{meeting.pk}",
        )
        for r in registrations
        if r.attended
    )
