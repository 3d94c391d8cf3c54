"""Demo resources for `seed_demo`: the toolkit's two templates, published resources of every
kind (public and members-only) over two years, notes of past meetups written by members who
came, a few awaiting review, and ratings. Idempotent: demo rows are found again by title."""

from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.formats import date_format

from meetings.models import Meeting, Registration
from members.demo import profile_of
from members.models import EngagementEvent, Member, Sector, Topic, User
from resources.models import Kind, Rating, Resource, ResourceTransition, Status, Visibility
from resources.services import ResourceContent, guided_body

TOOLKIT_DIR = Path(__file__).resolve().parent / "toolkit"
TOOLKIT_TEMPLATES = [
    (
        "project-planning-template.md",
        "Project planning template",
        "Plan a promotion or value-and-impact project and link it to your organisation's "
        "priorities: drivers, audience, outcomes, evidence, steps and risks on two pages.",
    ),
    (
        "case-study-template.md",
        "Case study template",
        "The five sections every toolkit case study follows (context, what was done, impact, "
        "lessons, contact), with prompts and a checklist before you submit.",
    ),
]

# (kind, title, summary, visibility)
DEMO_RESOURCES = [
    (
        Kind.CASE_STUDY,
        "Search clinics for nursing students",
        "Monthly drop-in clinics halved the time students took to find evidence.",
        Visibility.PUBLIC,
    ),
    (
        Kind.CASE_STUDY,
        "Teaching referencing with a board game",
        "A school library turned referencing into a game; plagiarism referrals fell.",
        Visibility.MEMBERS,
    ),
    (
        Kind.KM_STORY,
        "The search that changed a ward's practice",
        "A literature search for a nurse led to a new falls-prevention checklist.",
        Visibility.PUBLIC,
    ),
    (
        Kind.KM_STORY,
        "Sharing enquiry answers between branches",
        "A shared notebook stopped five branches answering the same question five times.",
        Visibility.MEMBERS,
    ),
    (
        Kind.GUIDE,
        "Demonstrating value and impact: a starter guide",
        "How to collect evidence of impact as you go, without a research budget.",
        Visibility.PUBLIC,
    ),
    (
        Kind.GUIDE,
        "Running an informal community meetup",
        "Booking, hosting and following up an informal meetup for librarians.",
        Visibility.MEMBERS,
    ),
    (
        Kind.REPORT,
        "What members told us last year",
        "What members said about meetings, check-ins and the toolkit in the annual survey.",
        Visibility.MEMBERS,
    ),
    (
        Kind.REPORT,
        "Libraries and health literacy: a short review",
        "Evidence on how libraries of every sector support health literacy.",
        Visibility.PUBLIC,
    ),
    (
        Kind.SLIDES,
        "Slides: Measuring impact across sectors",
        "The slides from the discussion on measuring impact.",
        Visibility.PUBLIC,
    ),
    (
        Kind.SLIDES,
        "Slides: Health literacy for public libraries",
        "Presentation slides with the speaker's notes.",
        Visibility.MEMBERS,
    ),
    (
        Kind.MEETING_NOTES,
        "Notes: Coffee and catalogues",
        "What we talked about, and the links people shared.",
        Visibility.PUBLIC,
    ),
    (
        Kind.MEETING_NOTES,
        "Notes: Writing a practice story workshop",
        "The workshop's exercises and the stories drafted on the day.",
        Visibility.MEMBERS,
    ),
    (
        Kind.LINK,
        "Open access button",
        "A free tool that finds legal open-access copies of articles.",
        Visibility.PUBLIC,
    ),
    (
        Kind.LINK,
        "Library Carpentry lessons",
        "Free lessons in software and data skills for library and information work.",
        Visibility.MEMBERS,
    ),
]
DEMO_AWAITING = [
    (
        Kind.CASE_STUDY,
        "Homework help in the evening: a pilot",
        "A public library opened late for homework help twice a week.",
        Status.SUBMITTED,
    ),
    (
        Kind.KM_STORY,
        "How a law library answered a council question",
        "A question passed between sectors, answered in a day.",
        Status.SUBMITTED,
    ),
    (
        Kind.CASE_STUDY,
        "Reading lists that students actually read",
        "Working with lecturers to shorten and annotate reading lists.",
        Status.CHANGES_REQUESTED,
    ),
]
SECTIONS = {
    "context": "A busy service with more requests than staff time, and users who did not know "
    "what the library could do for them.",
    "actions": "We tried a small, regular change, told people about it in their own channels and "
    "asked for feedback each time.",
    "impact": "Use grew month on month; feedback was warm and managers asked for a report.",
    "lessons": "Start small, keep it regular, and record evidence from the first day.",
    "contact": "Ask the author through the member directory.",
}
LINKS = {
    "Open access button": "https://openaccessbutton.org/",
    "Library Carpentry lessons": "https://librarycarpentry.org/",
    "Slides: Measuring impact across sectors": "https://example.org/slides/measuring-impact",
    "Slides: Health literacy for public libraries": "https://example.org/slides/health-literacy",
}
MEETING_FOR = {
    "Slides: Measuring impact across sectors": "Measuring impact across sectors",
    "Slides: Health literacy for public libraries": "Health literacy for public libraries",
    "Notes: Coffee and catalogues": "Coffee and catalogues",
    "Notes: Writing a practice story workshop": "Writing a practice story: workshop",
}
# What each kind of demo resource says about itself.
BODIES = {
    Kind.GUIDE: "A practical guide written by members, with examples from several sectors.\n\n"
    "- About ten minutes to read\n"
    "- Checklists you can adapt to your own library\n\n"
    "Improvements welcome: tell the author through the member directory.",
    Kind.REPORT: "A short report for the community.\n\n"
    "- The main findings are on the first page\n"
    "- The full tables are at the end",
    Kind.SLIDES: "The slides as presented, with the speaker's notes where they help. The "
    "meeting's own page has the discussion notes.",
    Kind.MEETING_NOTES: "Notes taken on the day by a volunteer.\n\n"
    "- What we talked about\n"
    "- The links people shared\n"
    "- What we agreed to try next",
    Kind.LINK: "A free resource recommended by a member. Say in your rating whether it helped.",
}


def _content(kind, title, summary, visibility) -> ResourceContent:
    content = ResourceContent(kind=kind, title=title, summary=summary, visibility=visibility)
    if kind in (Kind.CASE_STUDY, Kind.KM_STORY):
        for field, text in SECTIONS.items():
            setattr(content, field, text)
    return content


def seed_resources(*, rng, now, stdout) -> None:
    members = list(Member.objects.active().order_by("pk")[:200])
    if not members:
        stdout.write("Resources: no active members, skipping.")
        return
    editor = User.objects.filter(groups__name="Content editors").order_by("pk").first()
    editor_member = Member.objects.filter(user=editor).first() if editor else None
    demo_member = Member.objects.filter(email="member@example.org").first() or members[0]
    topics = list(Topic.objects.all())
    sectors = list(Sector.objects.all())
    meetings = {m.title: m for m in Meeting.objects.filter(title__in=MEETING_FOR.values())}
    existing = set(Resource.objects.values_list("title", flat=True))
    # Those who write for the toolkit are the core and active members.
    writers = [m for m in members if profile_of(m).contributes] or members
    created = []
    with transaction.atomic():
        for position, (filename, title, summary) in enumerate(TOOLKIT_TEMPLATES):
            if title in existing:
                continue
            resource = Resource(
                kind=Kind.TEMPLATE,
                title=title,
                summary=summary,
                body=f"Download the template and fill it in. {summary}",
                visibility=Visibility.PUBLIC,
                status=Status.PUBLISHED,
                featured=True,
                author=editor_member,
                published_at=now - timedelta(days=300 - position),
                file_name=filename,
            )
            with open(TOOLKIT_DIR / filename, "rb") as handle:
                resource.file.save(filename, File(handle), save=False)
                resource.file_size = resource.file.size
            resource.save()
            resource.topics.set([t for t in topics if t.slug in ("value-impact", "leadership")])
            created.append((resource, Status.PUBLISHED))

        for index, (kind, title, summary, visibility) in enumerate(DEMO_RESOURCES):
            if title in existing:
                continue
            content = _content(kind, title, summary, visibility)
            author = rng.choice(writers)
            published_at = now - timedelta(days=rng.randint(5, 700))
            resource = Resource(
                kind=kind,
                title=title,
                summary=summary,
                body=guided_body(content=content) if content.context else BODIES[kind],
                context=content.context,
                actions=content.actions,
                impact=content.impact,
                lessons=content.lessons,
                contact=content.contact,
                url=LINKS.get(title, ""),
                meeting=meetings.get(MEETING_FOR.get(title, "")),
                visibility=visibility,
                status=Status.PUBLISHED,
                featured=index == 0,
                author=author,
                published_at=published_at,
                submitted_at=published_at - timedelta(days=rng.randint(2, 14)),
            )
            resource.save()
            resource.topics.set(rng.sample(topics, 2))
            resource.sectors.set(rng.sample(sectors, rng.randint(0, 2)))
            created.append((resource, Status.PUBLISHED))

        for kind, title, summary, status in DEMO_AWAITING:
            if title in existing:
                continue
            content = _content(kind, title, summary, Visibility.PUBLIC)
            resource = Resource.objects.create(
                kind=kind,
                title=title,
                summary=summary,
                body=guided_body(content=content),
                context=content.context,
                actions=content.actions,
                impact=content.impact,
                lessons=content.lessons,
                contact=content.contact,
                visibility=Visibility.PUBLIC,
                status=status,
                author=demo_member if status == Status.CHANGES_REQUESTED else rng.choice(members),
                submitted_at=now - timedelta(days=rng.randint(1, 10)),
            )
            resource.topics.set(rng.sample(topics, 2))
            created.append((resource, status))

        created += _seed_meeting_notes(existing, topics, rng, now)
        _seed_history(created, editor, now)
        ratings = _seed_ratings([r for r, s in created if s == Status.PUBLISHED], members, rng)
    stdout.write(
        f"Resources: {len(created)} new demo resources ({ratings} ratings), "
        f"{Resource.objects.awaiting_review().count()} awaiting review."
    )


def _seed_meeting_notes(existing, topics, rng, now) -> list:
    """Notes of most past meetups, each written by a core or active member who came."""
    created = []
    meetups = Meeting.objects.filter(title="Monthly meetup", ends_at__lt=now).order_by("starts_at")
    came = {}
    attended = Registration.objects.filter(meeting__in=meetups, attended=True)
    for registration in attended.select_related("member"):
        if profile_of(registration.member).contributes:
            came.setdefault(registration.meeting_id, []).append(registration.member)
    for meetup in meetups:
        day = date_format(timezone.localtime(meetup.starts_at), "j F Y")
        title = f"Notes: Monthly meetup, {day}"
        # Not every meetup has notes (one in three has none), the same ones on every run.
        if title in existing or meetup.pk not in came or meetup.starts_at.month % 3 == 0:
            continue
        submitted_at = meetup.ends_at + timedelta(days=rng.randint(1, 5))
        resource = Resource.objects.create(
            kind=Kind.MEETING_NOTES,
            title=title,
            summary="What we talked about, and the links people shared.",
            body=BODIES[Kind.MEETING_NOTES],
            meeting=meetup,
            visibility=Visibility.MEMBERS,
            status=Status.PUBLISHED,
            author=rng.choice(came[meetup.pk]),
            submitted_at=submitted_at,
            published_at=min(submitted_at + timedelta(days=rng.randint(1, 6)), now),
        )
        resource.topics.set(rng.sample(topics, 1))
        created.append((resource, Status.PUBLISHED))
    return created


def _seed_history(created, editor, now) -> None:
    transitions, events = [], []
    for resource, status in created:
        by = resource.author.user if resource.author and resource.author.user_id else None
        transitions.append(
            ResourceTransition(
                resource=resource,
                from_status="",
                to_status=Status.DRAFT,
                by=by,
                created_at=(resource.submitted_at or now) - timedelta(days=1),
            )
        )
        if resource.submitted_at:
            transitions.append(
                ResourceTransition(
                    resource=resource,
                    from_status=Status.DRAFT,
                    to_status=Status.SUBMITTED,
                    by=by,
                    created_at=resource.submitted_at,
                )
            )
        if status == Status.CHANGES_REQUESTED:
            transitions.append(
                ResourceTransition(
                    resource=resource,
                    from_status=Status.SUBMITTED,
                    to_status=status,
                    by=editor,
                    comment="Lovely idea. Could you add one or two numbers to the Impact "
                    "section, and say what you would do differently?",
                    created_at=now - timedelta(hours=6),
                )
            )
        if status == Status.PUBLISHED:
            transitions.append(
                ResourceTransition(
                    resource=resource,
                    from_status=Status.SUBMITTED if resource.submitted_at else Status.DRAFT,
                    to_status=status,
                    by=editor,
                    created_at=resource.published_at,
                )
            )
            if resource.author:
                events.append(
                    EngagementEvent(
                        member=resource.author,
                        kind=EngagementEvent.Kind.CONTRIBUTED,
                        occurred_at=resource.published_at,
                        source=f"resource:{resource.pk}",
                    )
                )
    ResourceTransition.objects.bulk_create(transitions)
    EngagementEvent.objects.bulk_create(events)


def _seed_ratings(published, members, rng) -> int:
    ratings = []
    for resource in published:
        raters = [m for m in rng.sample(members, min(len(members), 8)) if m != resource.author]
        for member in raters[: rng.randint(0, len(raters))]:
            ratings.append(Rating(resource=resource, member=member, score=rng.randint(2, 5)))
    Rating.objects.bulk_create(ratings, ignore_conflicts=True)
    for resource in published:
        totals = resource.ratings.aggregate(avg=Avg("score"), n=Count("pk"))
        Resource.objects.filter(pk=resource.pk).update(
            rating_average=totals["avg"], rating_count=totals["n"]
        )
    return len(ratings)
