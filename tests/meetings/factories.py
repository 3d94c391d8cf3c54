from datetime import timedelta

import factory
from django.utils import timezone

from meetings.models import Format, Kind, Meeting, Registration
from meetings.services.registrations import registration_create
from members.models import OutgoingEmail
from tests.factories import MemberFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Meeting {n}")
    summary = "An informal hour with colleagues."
    kind = Kind.INFORMAL
    format = Format.ONLINE
    online_url = "https://meet.example.org/secret-room"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=1))
    status = Meeting.Status.PUBLISHED

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(MemberFactory)
    status = Registration.Status.GOING


# Shared by the tests of several modules: the emails a member got, and members registered early.


def emails_to(member, kind=OutgoingEmail.Kind.MEETING):
    return list(OutgoingEmail.objects.filter(member=member, kind=kind).order_by("created_at"))


def register(meeting, **member_kwargs):
    member = MemberFactory(**member_kwargs)
    registration = registration_create(meeting=meeting, member=member)
    # Registered well before the reminder window, as most people are.
    Registration.objects.filter(pk=registration.pk).update(
        registered_at=timezone.now() - timedelta(days=5)
    )
    return member


def reminders():
    return OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.REMINDER)
