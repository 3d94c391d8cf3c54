import importlib
from datetime import datetime, timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from members.models import Member, Sector, Topic, User


def sector(slug: str) -> Sector:
    """Sectors are seeded by a data migration; tests use the real ones."""
    return Sector.objects.get(slug=slug)


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    full_name = factory.Faker("name")
    sector = factory.LazyFunction(lambda: sector("public"))
    organisation = "City Central Library"
    job_title = "Librarian"
    status = Member.Status.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)
    # Check-ins need a recorded consent; tests of people without one say so.
    email_consent = "express"
    email_consent_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def interests(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.interests.set(extracted)


def member_with_account(**kwargs) -> Member:
    """An active member who can log in."""
    member = MemberFactory(**kwargs)
    member.user = UserFactory(email=member.email)
    member.save(update_fields=["user"])
    return member


def ago(days) -> datetime:
    return timezone.now() - timedelta(days=days)


def ensure_reference_data() -> None:
    """Put back what the data migrations seed: sectors and topics (in both languages), groups,
    permissions, community pages and the shipped survey templates.

    Django empties every table after a transactional test (live server, real workers, races),
    so the next one would find no sectors unless they are put back.
    """
    from django.apps import apps

    seed = importlib.import_module("members.migrations.0002_sectors_topics_groups").seed
    seed(apps, None)
    # The coordinators' permissions in the other apps, and the dashboard's.
    for module in (
        "members.migrations.0007_coordinator_dashboard_and_reengagements",
        "meetings.migrations.0002_coordinator_permissions",
        "surveys.migrations.0003_coordinator_permissions",
    ):
        importlib.import_module(module).grant(apps, None)
    pages = importlib.import_module("members.migrations.0012_seed_community_pages_and_consent")
    pages.seed_pages(apps, None)
    names = importlib.import_module("members.migrations.0015_sector_and_topic_names_in_french")
    names.seed_french_names(apps, None)
    # The shipped survey templates (check-in, review), in both languages.
    Survey = apps.get_model("surveys", "Survey")
    if not Survey.objects.filter(title="Community check-in (template)").exists():
        importlib.import_module("surveys.migrations.0002_shipped_templates").ship(apps, None)
        french = importlib.import_module("surveys.migrations.0008_shipped_templates_in_french")
        french.translate(apps, None)
