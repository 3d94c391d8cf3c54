"""A community with history, built in bulk: for the dashboard's query bound at full size."""

from datetime import timedelta

from django.utils import timezone

from meetings.models import Meeting, Registration
from members.models import EngagementEvent, Member, MemberStatusChange, Reengagement, Sector
from resources.models import Resource
from surveys.models import Answer, Invitation, Question, Response, Survey

KINDS = ["attended", "rsvp", "responded", "login", "contributed"]


def community_with_history(*, members: int, events: int) -> None:
    """`members` people over two years (one in ten lapsed, one in ten left) and `events`
    engagement events, with meetings, check-in rounds, re-engagements and resources."""
    now = timezone.now()
    sectors = list(Sector.objects.all())
    statuses = ["active"] * 8 + ["lapsed", "left"]
    people = Member.objects.bulk_create(
        [
            Member(
                email=f"bulk{i:05d}@example.org",
                full_name=f"Bulk Member {i}",
                sector=sectors[i % len(sectors)],
                status=statuses[i % 10],
                joined_at=now - timedelta(days=1 + i % 730),
                status_changed_at=now - timedelta(days=i % 60),
                # Members of the community: their membership is their (implied) consent.
                email_consent="implied",
                email_consent_on=(now - timedelta(days=1 + i % 730)).date(),
            )
            for i in range(members)
        ],
        batch_size=2000,
    )
    MemberStatusChange.objects.bulk_create(
        [
            MemberStatusChange(
                member=m, from_status="", to_status="active", changed_at=m.joined_at, reason="t"
            )
            for m in people
        ]
        + [
            MemberStatusChange(
                member=m,
                from_status="active",
                to_status=m.status,
                changed_at=m.status_changed_at,
                reason="t",
            )
            for m in people
            if m.status != "active"
        ],
        batch_size=2000,
    )
    EngagementEvent.objects.bulk_create(
        (
            EngagementEvent(
                member=people[(i * 7) % members],
                kind=KINDS[i % len(KINDS)],
                occurred_at=now - timedelta(days=i % 700, hours=i % 24),
            )
            for i in range(events)
        ),
        batch_size=5000,
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            title=f"Meetup {i}",
            starts_at=now - timedelta(days=15 + 30 * i),
            ends_at=now - timedelta(days=15 + 30 * i) + timedelta(hours=1),
            status="published",
        )
        for i in range(24)
    )
    Registration.objects.bulk_create(
        (
            Registration(meeting=meeting, member=people[(i * 13 + j) % members], attended=j % 5 > 0)
            for i, meeting in enumerate(meetings)
            for j in range(min(members, 100))
        ),
        batch_size=5000,
    )
    survey = Survey.objects.create(
        title="Bulk check-in",
        is_checkin=True,
        is_anonymous=False,
        opens_at=now - timedelta(days=400),
        closes_at=now + timedelta(days=30),
    )
    scale = Question.objects.create(survey=survey, kind="scale5", text="How valuable?")
    rounds = [
        (now - timedelta(days=30 * k)).year * 100 + (now - timedelta(days=30 * k)).month
        for k in range(12)
    ]
    invitations = Invitation.objects.bulk_create(
        (
            Invitation(survey=survey, member=m, round=r, completed=m.pk % 2 == 0)
            for r in set(rounds)
            for m in people[: min(members, 500)]
        ),
        batch_size=5000,
    )
    responses = Response.objects.bulk_create(
        (
            Response(survey=survey, round=inv.round, submitted_on=now.date())
            for inv in invitations
            if inv.completed
        ),
        batch_size=5000,
    )
    Answer.objects.bulk_create(
        (Answer(response=r, question=scale, number=1 + i % 5) for i, r in enumerate(responses)),
        batch_size=5000,
    )
    Reengagement.objects.bulk_create(
        Reengagement(member=m, sent_at=now - timedelta(days=10)) for m in people[:50]
    )
    Resource.objects.bulk_create(
        Resource(
            title=f"Resource {i}",
            summary="A summary.",
            status="published",
            author=people[i % members],
            submitted_at=now - timedelta(days=5 + 10 * i),
            published_at=now - timedelta(days=3 + 10 * i),
        )
        for i in range(60)
    )
