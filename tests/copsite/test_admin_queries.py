"""The coordinators' lists and forms in the admin run a fixed number of queries, however many
rows they show or hold: the number is stated, and the same for one row as for many."""

from datetime import time

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from announcements.models import Announcement
from meetings.models import Registration, Series
from meetings.services.series import series_create_occurrences
from meetings.services.topics import suggestion_create, suggestion_vote
from members.models import EngagementEvent, MemberStatusChange, OutgoingEmail, Reengagement
from resources.models import Rating, ResourceTransition
from surveys.models import Choice, Question
from tests.factories import MemberFactory, UserFactory, sector, topic
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import ResourceFactory
from tests.surveys.factories import InvitationFactory, SurveyFactory, survey_with_questions

pytestmark = pytest.mark.django_db

ROWS = [1, 25]


@pytest.fixture
def coordinator_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def members(n):
    for i in range(n):
        member = MemberFactory(
            full_name=f"Row {i:03d}", sector=sector("health"), interests=[topic("outreach")]
        )
        EngagementEvent.objects.create(member=member, kind="login")


def outgoing_emails(n):
    for i in range(n):
        member = MemberFactory()
        OutgoingEmail.objects.create(
            dedupe_key=f"test:{i}",
            kind="welcome",
            member=member,
            to_email=member.email,
            subject=f"Row {i:03d}",
            body_text="Hello",
        )


def reengagements(n):
    coordinator = UserFactory(is_staff=True)
    for i in range(n):
        Reengagement.objects.create(
            member=MemberFactory(full_name=f"Row {i:03d}"), sent_by=coordinator
        )


def meetings(n):
    for i in range(n):
        meeting = MeetingFactory(title=f"Row {i:03d}", capacity=2, topics=[topic("outreach")])
        Registration.objects.bulk_create(
            Registration(meeting=meeting, member=MemberFactory(), status=status)
            for status in ["going", "going", "waitlisted"]
        )


def series(n):
    for i in range(n):
        created = Series.objects.create(
            title=f"Row {i:03d}",
            format="online",
            online_url="https://meet.example.org/row",
            frequency=Series.Frequency.WEEKLY,
            weekday=0,
            starts_on=timezone.localdate(),
            start_time=time(16),
            end_time=time(17),
            occurrences=2,
        )
        created.topics.set([topic("outreach")])
        series_create_occurrences(series=created)


def suggestions(n):
    for i in range(n):
        suggestion = suggestion_create(member=MemberFactory(), title=f"Row {i:03d}")
        suggestion_vote(suggestion=suggestion, member=MemberFactory())


def surveys(n):
    for i in range(n):
        survey = SurveyFactory(title=f"Row {i:03d}")
        InvitationFactory(survey=survey)


def invitations(n):
    for _ in range(n):
        InvitationFactory()


def resources(n):
    for i in range(n):
        resource = ResourceFactory(title=f"Row {i:03d}", topics=[topic("outreach")])
        Rating.objects.create(resource=resource, member=MemberFactory(), score=4)


def announcements(n):
    for i in range(n):
        sent = Announcement.objects.create(subject=f"Row {i:03d}", body="Hello")
        sent.audience_sectors.set([sector("health")])


# The model's changelist, what makes its rows, and the queries it takes.
CHANGELISTS = [
    ("members_member", members, 6),
    ("members_outgoingemail", outgoing_emails, 7),
    ("members_reengagement", reengagements, 7),
    ("meetings_meeting", meetings, 8),
    ("meetings_series", series, 5),
    ("meetings_topicsuggestion", suggestions, 5),
    ("surveys_survey", surveys, 5),
    ("surveys_invitation", invitations, 6),
    ("resources_resource", resources, 9),
    ("announcements_announcement", announcements, 5),
]


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize(
    ("model", "make", "queries"), CHANGELISTS, ids=[model for model, *_ in CHANGELISTS]
)
def test_admin_changelist_queries(
    coordinator_client, django_assert_num_queries, model, make, queries, rows
):
    shipped = apps.get_model(*model.split("_")).objects.count()  # e.g. the survey templates
    make(rows)
    ContentType.objects.clear_cache()  # counted every time, whichever test ran first

    with django_assert_num_queries(queries):
        response = coordinator_client.get(reverse(f"admin:{model}_changelist"))

    assert response.context["cl"].result_count == shipped + rows


# One object whose page holds `n` rows in its inlines: history, registrations, questions…
def member_with_history(n):
    member = MemberFactory(sector=sector("health"), interests=[topic("outreach")])
    coordinator = UserFactory(is_staff=True)
    for i in range(n):
        MemberStatusChange.objects.create(
            member=member, to_status="active", changed_by=coordinator, reason=f"Row {i}"
        )
        # Closed: a member has one open re-engagement at most.
        Reengagement.objects.create(member=member, sent_by=coordinator, closed_at=timezone.now())
        OutgoingEmail.objects.create(
            dedupe_key=f"test:{i}",
            kind="welcome",
            member=member,
            to_email=member.email,
            subject=f"Row {i:03d}",
            body_text="Hello",
        )
    return member


def meeting_with_registrations(n):
    meeting = MeetingFactory(capacity=n, topics=[topic("outreach")])
    Registration.objects.bulk_create(
        Registration(meeting=meeting, member=MemberFactory()) for _ in range(n)
    )
    return meeting


def series_with_meetings(n):
    series(1)
    created = Series.objects.get()
    created.occurrences = n
    created.save()
    series_create_occurrences(series=created)
    return created


def survey_with_many_questions(n):
    survey = survey_with_questions()
    for i in range(n):
        question = Question.objects.create(
            survey=survey, position=10 + i, kind="single", text=f"Row {i:03d}"
        )
        Choice.objects.create(question=question, position=0, label="Yes")
    return survey


def resource_with_history(n):
    resource = ResourceFactory(topics=[topic("outreach")], sectors=[sector("health")])
    editor = UserFactory(is_staff=True)
    ResourceTransition.objects.bulk_create(
        ResourceTransition(resource=resource, to_status="submitted", by=editor) for _ in range(n)
    )
    return resource


def announcement_to_sectors(n):
    announcements(1)
    announcement = Announcement.objects.get()
    announcement.audience_topics.set([topic("outreach")])
    return announcement


CHANGE_PAGES = [
    ("members_member", member_with_history, 10),
    ("meetings_meeting", meeting_with_registrations, 8),
    ("meetings_series", series_with_meetings, 10),
    ("surveys_survey", survey_with_many_questions, 7),
    ("resources_resource", resource_with_history, 10),
    ("announcements_announcement", announcement_to_sectors, 8),
]


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize(
    ("model", "make", "queries"), CHANGE_PAGES, ids=[model for model, *_ in CHANGE_PAGES]
)
def test_admin_change_page_queries(
    coordinator_client, django_assert_num_queries, model, make, queries, rows
):
    obj = make(rows)
    # Counted every time, whichever test ran first in this process.
    ContentType.objects.clear_cache()

    with django_assert_num_queries(queries):
        response = coordinator_client.get(reverse(f"admin:{model}_change", args=[obj.pk]))

    assert response.context["original"] == obj
