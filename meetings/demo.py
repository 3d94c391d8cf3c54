"""Demo meetings for `seed_demo`: two years of past meetings with attendance, upcoming ones
(some nearly full), a monthly series and topic suggestions with votes. Who came follows each
person's participation profile (members.demo). Idempotent: demo rows have fixed identities."""

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction

from meetings.models import Format, Kind, Meeting, Registration, Series, TopicSuggestion, TopicVote
from meetings.services.series import series_create_occurrences
from members.demo import is_engaged_at, profile_of
from members.models import EngagementEvent, Member, Topic

DEMO_NAMESPACE = uuid.UUID("6f1d2c1e-8a53-4b7a-9a77-3c0f3e2b9d10")


@dataclass(frozen=True)
class DemoMeeting:
    title: str  # "{season}" is replaced by the season of the meeting's date
    kind: str
    format: str
    days: int  # from today
    hour: int
    hours: float
    capacity: int | None
    fill: float  # share of the places taken
    summary: str
    description: str


DEMO_MEETINGS = [
    DemoMeeting(
        "Coffee and catalogues",
        Kind.INFORMAL,
        Format.IN_PERSON,
        -150,
        10,
        1.5,
        None,
        0.5,
        "Coffee, pastries and an unhurried chat about catalogues, metadata and the records "
        "nobody else wants to fix.",
        "Bring a coffee and a cataloguing puzzle. We sit together for an hour and a half and "
        "compare notes across public, academic and special libraries.\n\n"
        "- No agenda and no slides\n"
        "- New faces very welcome: say hello at the door\n\n"
        "The room is step-free; tell the coordinators if you need anything else.",
    ),
    DemoMeeting(
        "Measuring impact across sectors",
        Kind.DISCUSSION,
        Format.ONLINE,
        -110,
        12,
        1,
        40,
        0.8,
        "How do a school, a hospital and a law firm library show they make a difference?",
        "Three members open with five minutes each on how they report their impact to "
        "managers and funders, then everyone joins in.\n\n"
        "- Bring one measure you use, and one you wish you had\n"
        "- The slides and notes are shared afterwards",
    ),
    DemoMeeting(
        "Health literacy for public libraries",
        Kind.PRESENTATION,
        Format.HYBRID,
        -75,
        18,
        1.5,
        30,
        0.9,
        "A health librarian on helping the public find and judge health information.",
        "A 45-minute talk, then questions and discussion, in the room and online.\n\n"
        "- What people ask at the desk, and where to send them\n"
        "- Free, trustworthy sources worth bookmarking\n"
        "- When to refer someone, and to whom",
    ),
    DemoMeeting(
        "Writing a practice story: workshop",
        Kind.WORKSHOP,
        Format.IN_PERSON,
        -40,
        14,
        2,
        16,
        1.0,
        "Turn something that worked in your library into a short story for the toolkit.",
        "Two hands-on hours. We read two good examples together, then draft your own in pairs "
        "with the toolkit's template.\n\n"
        "- Come with one moment when shared knowledge made a difference\n"
        "- Leave with a draft you can submit to the toolkit\n\n"
        "Places are limited to 16 so that everyone gets feedback.",
    ),
    DemoMeeting(
        "{season} social at the Botanic Gardens",
        Kind.SOCIAL,
        Format.IN_PERSON,
        -12,
        17,
        2,
        50,
        0.6,
        "A walk round the gardens, then drinks in the café.",
        "No talks and no name badges unless you want one: a chance to get to know people "
        "from other libraries.\n\n"
        "- Meet at the main gate\n"
        "- Drinks at your own expense; soft drinks are on the community",
    ),
    DemoMeeting(
        "Open lunch: what are you working on?",
        Kind.INFORMAL,
        Format.ONLINE,
        5,
        12,
        1,
        None,
        0.3,
        "Bring your lunch and a project; leave with ideas from other sectors.",
        "An hour online over lunch. Everyone gets a couple of minutes to say what they are "
        "working on and where they are stuck.\n\n"
        "- Cameras optional\n"
        "- The link appears on this page once you register",
    ),
    DemoMeeting(
        "Copyright questions from every sector",
        Kind.DISCUSSION,
        Format.HYBRID,
        12,
        18,
        1.5,
        20,
        0.95,
        "Bring your trickiest copyright questions; a copyright librarian helps untangle them.",
        "Real questions from members, from course packs to digitising local history.\n\n"
        "- Send questions to the coordinators in advance, or bring them on the day\n"
        "- A discussion among colleagues, not legal advice",
    ),
    DemoMeeting(
        "Case study clinic",
        Kind.WORKSHOP,
        Format.IN_PERSON,
        19,
        14,
        2,
        12,
        1.0,
        "Feedback on a case study you are writing, from colleagues and a content editor.",
        "Two hours in small groups. Bring a draft, however rough, or an idea you would like to "
        "write up.\n\n"
        "- We follow the toolkit's five sections: context, what was done, impact, lessons, "
        "contact\n"
        "- A content editor is there to answer questions about publishing",
    ),
    DemoMeeting(
        "Evidence searching for non-health librarians",
        Kind.PRESENTATION,
        Format.ONLINE,
        33,
        12,
        1,
        60,
        0.4,
        "A clinical librarian shows the search techniques health libraries rely on.",
        "A 40-minute demonstration with time for questions.\n\n"
        "- Building a structured search, step by step\n"
        "- Free databases anyone can use\n"
        "- Recorded for members who cannot make it",
    ),
    DemoMeeting(
        "{season} social",
        Kind.SOCIAL,
        Format.IN_PERSON,
        47,
        18,
        2.5,
        40,
        0.2,
        "An evening out with colleagues from every kind of library.",
        "Food, drinks and good company.\n\n"
        "- Partners and friends welcome\n"
        "- Tell the coordinators about dietary needs when you register",
    ),
]
LOCATIONS = [
    "City Central Library, Room 2",
    "City University Library, seminar room",
    "Botanic Gardens Library",
]
SERIES_DESCRIPTION = (
    "The first Tuesday of every month, online. Drop in for ten minutes or stay the whole "
    "hour.\n\n"
    "- No agenda: bring a question or a small success to share\n"
    "- New faces very welcome"
)
# Two a month for the last two years: an informal meetup and a session on a topic.
HISTORY_MONTHS = 24
HISTORY_MEETUP = (
    "Monthly meetup",
    "Shop talk after work with librarians from every sector.",
    "An hour and a half after work: drinks, snacks and conversation.\n\n"
    "- Bring a question or a small success to share\n"
    "- New faces very welcome",
)
# (title, kind, summary, description)
HISTORY_SESSIONS = [
    (
        "Talk: evidence searching across sectors",
        Kind.PRESENTATION,
        "A clinical librarian on searching that any sector can borrow.",
        "A talk over lunch, online, with time for questions.",
    ),
    (
        "Discussion: showing value to funders",
        Kind.DISCUSSION,
        "What convinces funders and managers, from people who have done it.",
        "Three short openings, then an open discussion, online.",
    ),
    (
        "Workshop: writing a case study",
        Kind.WORKSHOP,
        "Start a case study for the toolkit, with help at hand.",
        "A hands-on online session: bring a project, leave with a first draft.",
    ),
    (
        "Talk: a day in a health library",
        Kind.PRESENTATION,
        "What a hospital library does all day, and what other sectors can take from it.",
        "A talk over lunch, online, with time for questions.",
    ),
    (
        "Discussion: information literacy that sticks",
        Kind.DISCUSSION,
        "Teaching research skills that people still use a month later.",
        "Members from schools, universities and public libraries compare notes, online.",
    ),
    (
        "Workshop: small data for small libraries",
        Kind.WORKSHOP,
        "Simple spreadsheets that show what your library does.",
        "A hands-on online session with a sample spreadsheet to adapt.",
    ),
]
SEASONS = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Spring"}
SEASONS |= {6: "Summer", 7: "Summer", 8: "Summer", 9: "Autumn", 10: "Autumn", 11: "Autumn"}


def demo_title(title: str, day: date) -> str:
    """A social is named after the season it falls in: no end-of-year party in January."""
    if title == "{season} social" and day.month == 12:
        return "End-of-year social"
    return title.replace("{season}", SEASONS[day.month])


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
