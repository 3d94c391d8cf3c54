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
