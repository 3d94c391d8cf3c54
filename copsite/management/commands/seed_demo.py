"""Build a demo community with history, idempotently: running it twice changes nothing."""

import os
import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from meetings.demo import seed_meetings
from meetings.demo_scale import top_up_meetings, top_up_registrations
from members.demo import seed_engagement
from members.models import (
    CommunityPage,
    EmailConsent,
    Member,
    MemberStatusChange,
    Sector,
    Topic,
    User,
    Visibility,
)
from resources.demo import seed_resources
from resources.demo_scale import top_up_resources
from surveys.demo import seed_surveys
from surveys.demo_scale import top_up_responses

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloé",
    "Dev",
    "Eleanor",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "Kirsty",
    "Liam",
    "Mei",
    "Niamh",
    "Oluwaseun",
    "Priya",
    "Quentin",
    "Rosa",
    "Sipho",
    "Tomasz",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zara",
    "Aoife",
    "Bruno",
    "Catriona",
    "Dariusz",
]
LAST_NAMES = [
    "Adeyemi",
    "Byrne",
    "Chen",
    "Dubois",
    "Evans",
    "Fernández",
    "Gallagher",
    "Hussain",
    "Ito",
    "Jones",
    "Kowalski",
    "Lindqvist",
    "MacLeod",
    "Nguyen",
    "O'Brien",
    "Patel",
    "Quinn",
    "Rossi",
    "Singh",
    "Thompson",
    "Usman",
    "Varga",
    "Williams",
    "Xu",
    "Yilmaz",
    "Zhou",
]
ORGANISATIONS = {
    "public": ["City Central Library", "Northside Branch Library", "Riverside Community Library"],
    "academic": [
        "City University Library",
        "Metropolitan College Library",
        "Institute of Art Library",
    ],
    "school": ["St Brigid's Secondary School", "Hillview Primary", "City Grammar School"],
    "health": [
        "General Hospital Library",
        "Health Sciences Knowledge Service",
        "Nursing School Library",
    ],
    "special": [
        "Museum of the City Library",
        "Botanic Gardens Library",
        "Engineers' Institute Library",
    ],
    "government": [
        "City Council Research Service",
        "Parliamentary Library",
        "Statistics Office Library",
    ],
    "legal": ["Law Society Library", "Courts Service Library", "Barrett & Co. Solicitors"],
    "corporate": ["Northwind Bank Information Centre", "Acme Engineering Knowledge Hub"],
    "archives-records": ["City Archives", "Diocesan Archives", "University Records Office"],
    "lis-education": ["School of Information Studies", "LIS Student Network"],
    "other": ["Freelance information professional", "Library Association"],
}
JOB_TITLES = [
    "Librarian",
    "Senior Librarian",
    "Library Assistant",
    "Teacher Librarian",
    "Clinical Librarian",
    "Research Librarian",
    "Archivist",
    "Records Manager",
    "Information Specialist",
    "Knowledge Manager",
    "Library Manager",
    "Outreach Librarian",
    "Digital Services Librarian",
    "LIS student",
]
CITIES = ["City centre", "Northside", "Southside", "Harbour district", "University quarter", ""]
BIOS = [
    "I run information literacy sessions and love swapping ideas for making them less dull.",
    "Interested in how other sectors show their value to funders and managers.",
    "New to the profession and keen to meet people outside my own library.",
    "I look after a small special collection and am always happy to show people round.",
    "",
]
DEMO_ACCOUNTS = [
    ("coordinator@example.org", "Casey Coordinator", "public", "Coordinators", True),
    ("editor@example.org", "Eddie Editor", "health", "Content editors", False),
    ("member@example.org", "Morgan Member", "academic", None, False),
]


class Command(BaseCommand):
    help = (
        "Seed a demo community: members in every sector with two years of history (meetings "
        "and attendance, monthly check-ins, resources, logins, re-engagements)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=120, help="members to create")
        parser.add_argument("--prospects", type=int, default=40, help="prospects to create")
        # A community at full size, for benchmarks: the demo's own rows, topped up to these totals.
        parser.add_argument("--meetings", type=int, default=0, help="meetings in all, at least")
        parser.add_argument(
            "--registrations", type=int, default=0, help="meeting registrations in all, at least"
        )
        parser.add_argument("--resources", type=int, default=0, help="resources in all, at least")
        parser.add_argument(
            "--responses", type=int, default=0, help="survey responses in all, at least"
        )
        parser.add_argument("--seed", type=int, default=2019, help="random seed")
        parser.add_argument(
            "--if-empty", action="store_true", help="seed only when the community has nobody yet"
        )

    def handle(self, *args, members, prospects, seed, if_empty, **options):
        sizes = {k: options[k] for k in ("meetings", "registrations", "resources", "responses")}
        if min(members, prospects, *sizes.values()) < 0:
            raise CommandError("Sizes must be zero or more.")
        if if_empty and Member.objects.exists():
            self.stdout.write("Demo data already present; not seeding again.")
            self.stdout.write("  Log in as coordinator@example.org (password as seeded)")
            return
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.sectors = list(Sector.objects.all())
        self.topics = list(Topic.objects.all())
        if not self.sectors or not self.topics:
            raise CommandError("No sectors or topics: run `python manage.py migrate` first.")
        password = os.environ.get("DEMO_PASSWORD", "librarians-demo")
        with transaction.atomic():
            accounts = self.seed_accounts(password)
            created_members = self.seed_people("member", members)
            created_prospects = self.seed_people("prospect", prospects)
            self.record_consent()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {created_members} new members and {created_prospects} new prospects "
                f"({Member.objects.count()} people in the community)."
            )
        )
        for email, created in accounts:
            state = "created" if created else "already there, password unchanged"
            self.stdout.write(f"  Log in as {email} / {password} ({state})")
        self.extend(seed=seed)
        self.top_up(**sizes)

    def record_consent(self):
        """Demo people have the consent real ones would: members agreed at signup, prospects
        came from a conference sign-up sheet (implied consent, dated when they were added)."""
        demo = Member.objects.filter(source=Member.Source.DEMO, email_consent="")
        demo.exclude(status=Member.Status.PROSPECT).update(
            email_consent=EmailConsent.EXPRESS,
            email_consent_on=TruncDate(Coalesce("joined_at", "created_at")),
            email_consent_source="Signed up on the portal",
            privacy_notice_version=CommunityPage.objects.privacy_notice_version(),
            privacy_notice_accepted_at=Coalesce("joined_at", "created_at"),
        )
        demo.filter(status=Member.Status.PROSPECT).update(
            email_consent=EmailConsent.IMPLIED,
            email_consent_on=TruncDate("created_at"),
            email_consent_source="Sign-up sheet at the regional library conference",
        )

    def extend(self, *, seed):
        """Each app adds its own demo data here, after the people exist."""
        seed_meetings(rng=self.rng, now=self.now, stdout=self.stdout)
        seed_surveys(rng=self.rng, now=self.now, stdout=self.stdout)
        seed_resources(rng=self.rng, now=self.now, stdout=self.stdout)
        seed_engagement(rng=self.rng, now=self.now, stdout=self.stdout)

    def top_up(self, *, meetings, registrations, resources, responses):
        """Grow the community to the sizes asked for, after the demo's own rows."""
        if not any((meetings, registrations, resources, responses)):
            return
        self.stdout.write("Topping up to the sizes asked for:")
        made = {
            "meetings": top_up_meetings(target=meetings, **self.scale_args()),
            "registrations": top_up_registrations(target=registrations, **self.scale_args()),
            "resources": top_up_resources(target=resources, **self.scale_args()),
            "responses": top_up_responses(target=responses, **self.scale_args()),
        }
        self.stdout.write(
            self.style.SUCCESS("Added " + ", ".join(f"{n} {what}" for what, n in made.items()))
        )

    def scale_args(self):
        return {"rng": self.rng, "now": self.now, "stdout": self.stdout}

    def seed_accounts(self, password):
        results = []
        sectors = {s.slug: s for s in self.sectors}
        for email, name, sector_slug, group_name, is_staff in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": name.split()[0],
                    "last_name": name.split()[1],
                    "is_staff": is_staff,
                },
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            member, member_created = Member.objects.get_or_create(
                email=email,
                defaults={
                    "user": user,
                    "full_name": name,
                    "sector": sectors[sector_slug],
                    "organisation": self.rng.choice(ORGANISATIONS[sector_slug]),
                    "job_title": "Librarian",
                    "status": Member.Status.ACTIVE,
                    "joined_at": self.now - timedelta(days=400),
                    "source": Member.Source.DEMO,
                    "status_changed_at": self.now - timedelta(days=400),
                },
            )
            if member_created:
                member.interests.set(self.rng.sample(self.topics, 3))
                self.history(member, [("", Member.Status.ACTIVE, member.joined_at)])
            results.append((email, created))
        return results

    def seed_people(self, kind, count):
        prefix = "member" if kind == "member" else "prospect"
        emails = {f"{prefix}{i:05d}@example.org": i for i in range(1, count + 1)}
        existing = set(Member.objects.filter(email__in=emails).values_list("email", flat=True))
        todo = [(number, e) for e, number in emails.items() if e not in existing]
        label = "members" if kind == "member" else "prospects"
        self.stdout.write(
            f"{label.capitalize()}: {len(existing)} already there, {len(todo)} to create"
        )
        created = 0
        for start in range(0, len(todo), 500):
            batch = [
                self.person(email, kind, number) for number, email in todo[start : start + 500]
            ]
            objs = Member.objects.bulk_create([m for m, _, _ in batch])
            through = Member.interests.through
            through.objects.bulk_create(
                through(member_id=m.pk, topic_id=t.pk)
                for m, (_, topics, _) in zip(objs, batch, strict=True)
                for t in topics
            )
            MemberStatusChange.objects.bulk_create(
                MemberStatusChange(member=m, from_status=f, to_status=t, reason=r, changed_at=at)
                for m, (_, _, steps) in zip(objs, batch, strict=True)
                for f, t, at, r in steps
            )
            created += len(objs)
            self.stdout.write(f"  {label}: {created}/{len(todo)}")
        return created

    def person(self, email, kind, number):
        rng = self.rng
        # Round-robin, so every sector has people however small the community. One member in
        # ten lapses and one in ten leaves, by number rather than by chance, so that even a small
        # community has both; the first member of each sector stays active, so the landing page
        # shows no empty sector.
        sector = self.sectors[(number - 1) % len(self.sectors)]
        drops_out = None
        if kind == "member" and number > len(self.sectors):
            drops_out = {3: Member.Status.LAPSED, 7: Member.Status.LEFT}.get(number % 10)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        days_ago = rng.randint(90 if drops_out else 1, 730)
        created_at = self.now - timedelta(days=days_ago, hours=rng.randint(0, 23))
        steps = []
        if kind == "prospect":
            status = Member.Status.PROSPECT
            steps.append(("", status, created_at, "Imported from a prospect list"))
            joined_at = None
            status_at = created_at
        else:
            joined_at = created_at
            steps.append(("", Member.Status.ACTIVE, joined_at, "Joined: email address confirmed"))
            status = Member.Status.ACTIVE
            status_at = joined_at
            if drops_out:
                status = drops_out
                status_at = joined_at + (self.now - joined_at) * rng.uniform(0.3, 0.95)
                reason = "No engagement for 120 days" if status == "lapsed" else "Moved away"
                steps.append((Member.Status.ACTIVE, status, status_at, reason))
        member = Member(
            email=email,
            full_name=f"{first} {last}",
            sector=sector,
            organisation=rng.choice(ORGANISATIONS.get(sector.slug, ORGANISATIONS["other"])),
            job_title=rng.choice(JOB_TITLES),
            city_region=rng.choice(CITIES),
            bio=rng.choice(BIOS),
            status=status,
            status_changed_at=status_at,
            joined_at=joined_at,
            created_at=created_at,
            source=Member.Source.DEMO,
            organisation_visibility=Visibility.HIDDEN if rng.random() < 0.1 else Visibility.MEMBERS,
            show_email=rng.random() < 0.3,
            checkin_cadence=rng.choice(["monthly", "quarterly", "quarterly", "paused"]),
        )
        topics = rng.sample(self.topics, rng.randint(1, 4))
        return member, topics, [(f, t, at, r) for f, t, at, r in steps]

    def history(self, member, steps):
        MemberStatusChange.objects.bulk_create(
            MemberStatusChange(
                member=member, from_status=f, to_status=t, changed_at=at, reason="Demo account"
            )
            for f, t, at in steps
        )
