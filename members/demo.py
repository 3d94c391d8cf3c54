"""Demo engagement for `seed_demo`: who takes part, how much and until when, over two years.

Each demo person has a participation profile, fixed by their address so that every app's demo
data agrees on it: a small core who come to most meetings and answer every check-in, an active
group, a large periphery, and people drifting away whose taking part stopped months ago (the
at-risk list). Lapsed and left members stopped well before their status changed. The meetings,
check-ins and resources demos read these profiles; this module adds logins and the
re-engagement check-ins that the attrition rule would have sent.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from members.models import EngagementEvent, Member, Reengagement

DEMO_LOGIN_SOURCE = "login (demo)"


@dataclass(frozen=True)
class Profile:
    name: str
    attend: float  # chance of attending a given meeting
    answer: float  # chance of answering a given check-in
    logins_per_month: float
    contributes: bool  # writes meeting notes and case studies
    score: float  # the usual answer to "how valuable has the community been?" (1–5)


PROFILES = {
    # name: Profile(name, attend, answer, logins_per_month, contributes, score)
    "core": Profile("core", 0.6, 0.95, 2, True, 4.4),
    "active": Profile("active", 0.18, 0.75, 1, True, 4.0),
    "peripheral": Profile("peripheral", 0.02, 0.3, 0.3, False, 3.5),
    # Like the active group until they drift away (see engaged_until).
    "drifting": Profile("drifting", 0.15, 0.6, 0.6, False, 3.1),
}
# Out of 100 people, by a hash of their address.
SHARES = [("core", 12), ("active", 28), ("peripheral", 35), ("drifting", 25)]
DEMO_ACCOUNT_PROFILES = {
    "coordinator@example.org": "core",
    "editor@example.org": "core",
    "member@example.org": "active",
}


def _bucket(member: Member) -> int:
    return int(hashlib.sha256(member.email.encode()).hexdigest(), 16) % 100


def profile_of(member: Member) -> Profile:
    if member.email in DEMO_ACCOUNT_PROFILES:
        return PROFILES[DEMO_ACCOUNT_PROFILES[member.email]]
    bucket = _bucket(member)
    for name, share in SHARES:
        if bucket < share:
            return PROFILES[name]
        bucket -= share
    return PROFILES["peripheral"]


def engaged_since(member: Member) -> datetime:
    return member.joined_at or member.created_at


def engaged_until(member: Member, now: datetime) -> datetime:
    """When the person last took part: now for most, earlier for those who drift, lapse or
    leave, so that the attrition rule and the status history tell the same story."""
    if member.status == Member.Status.LAPSED:
        # Silent for the at-risk period and the month the re-engagement waited.
        return member.status_changed_at - timedelta(days=130)
    if member.status == Member.Status.LEFT:
        return member.status_changed_at - timedelta(days=20)
    if member.status == Member.Status.ACTIVE and profile_of(member).name == "drifting":
        start = engaged_since(member)
        # Silent between 95 and 300 days by now, depending on the person.
        silent = timedelta(days=95 + (_bucket(member) * 37) % 205)
        return max(start + timedelta(days=14), now - silent)
    return now


def is_engaged_at(member: Member, moment: datetime, now: datetime) -> bool:
    return engaged_since(member) <= moment <= engaged_until(member, now)


def seed_engagement(*, rng, now, stdout) -> None:
    """Logins across each person's engaged months, and past re-engagement check-ins."""
    if EngagementEvent.objects.filter(source=DEMO_LOGIN_SOURCE).exists():
        stdout.write("Engagement: already seeded")
        return
    people = list(Member.objects.exclude(status=Member.Status.PROSPECT).order_by("pk"))
    events, reengagements = [], []
    for member in people:
        profile = profile_of(member)
        start, end = engaged_since(member), engaged_until(member, now)
        months = max((end - start).days / 30, 0)
        for _ in range(round(months * profile.logins_per_month * rng.uniform(0.6, 1.4))):
            moment = start + (end - start) * rng.random()
            events.append(
                EngagementEvent(
                    member=member, kind="login", occurred_at=moment, source=DEMO_LOGIN_SOURCE
                )
            )
        reengagements += _reengagements(member, end, now, rng)
    with transaction.atomic():
        EngagementEvent.objects.bulk_create(events, batch_size=2000)
        Reengagement.objects.bulk_create(reengagements, batch_size=2000)
    waiting = sum(1 for r in reengagements if r.closed_at is None)
    stdout.write(
        f"Engagement: {len(events)} logins, {len(reengagements)} re-engagement check-ins "
        f"({waiting} awaiting an answer)."
    )


def _reengagements(member: Member, engaged_until_at, now, rng) -> list[Reengagement]:
    """What the attrition rule would have sent this person, and how it ended."""
    if member.status == Member.Status.LAPSED:
        sent = member.status_changed_at - timedelta(days=30)
        return [
            Reengagement(
                member=member,
                sent_at=sent,
                closed_at=member.status_changed_at,
                answer=Reengagement.Answer.LAPSED,
            )
        ]
    if member.status == Member.Status.LEFT and rng.random() < 0.5:
        return [
            Reengagement(
                member=member,
                sent_at=member.status_changed_at - timedelta(days=10),
                closed_at=member.status_changed_at,
                answer=Reengagement.Answer.LEAVE,
            )
        ]
    silent = now - engaged_until_at
    if member.status == Member.Status.ACTIVE and silent > timedelta(days=90):
        # Some of those drifting away have been asked and not answered yet.
        if rng.random() < 0.35:
            return [Reengagement(member=member, sent_at=now - timedelta(days=rng.randint(1, 25)))]
    elif member.status == Member.Status.ACTIVE and rng.random() < 0.08:
        # Others were asked once, long ago, and came back.
        sent = engaged_since(member) + (now - engaged_since(member)) * rng.uniform(0.2, 0.6)
        if sent < now - timedelta(days=60):
            return [
                Reengagement(
                    member=member,
                    sent_at=sent,
                    closed_at=sent + timedelta(days=rng.randint(1, 12)),
                    answer=rng.choice([Reengagement.Answer.ENGAGED, Reengagement.Answer.STAY]),
                )
            ]
    return []
