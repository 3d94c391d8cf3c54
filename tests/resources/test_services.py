"""The editorial workflow, ratings and downloads."""

import pytest
from django.core import mail

from members.models import EngagementEvent, OutgoingEmail
from resources import services
from resources.models import Kind, Rating, Resource, ResourceTransition, Status, Visibility
from resources.services import ResourceContent
from tests.factories import member_with_account
from tests.resources.factories import ResourceFactory, editor_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return member_with_account(full_name="Ann Author")


@pytest.fixture
def editor():
    return editor_account(full_name="Ed Editor")


def draft_by(author, **kwargs) -> Resource:
    content = ResourceContent(
        kind=Kind.CASE_STUDY,
        title="Search clinics",
        summary="Drop-in help with searching.",
        context="A busy hospital library.",
        actions="Monthly clinics.",
        impact="Faster searches.",
        lessons="Start small.",
        contact="ann@example.org",
        visibility=Visibility.PUBLIC,
        **kwargs,
    )
    return services.resource_create(author=author, content=content, by=author.user)


def steps(resource) -> list[tuple[str, str]]:
    return list(
        ResourceTransition.objects.filter(resource=resource)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )


def test_guided_draft_composes_body_from_the_template_sections(author):
    resource = draft_by(author)

    assert resource.status == Status.DRAFT
    assert resource.body == (
        "## Context\n\nA busy hospital library.\n\n## What was done\n\nMonthly clinics.\n\n"
        "## Impact\n\nFaster searches.\n\n## Lessons learned\n\nStart small.\n\n"
        "## Contact\n\nann@example.org"
    )
    assert steps(resource) == [("", "draft")]


def test_full_workflow_submit_changes_resubmit_publish_archive(
    author, editor, django_capture_on_commit_callbacks
):
    resource = draft_by(author)

    with django_capture_on_commit_callbacks(execute=True):
        services.resource_submit(resource=resource, by=author.user)
        services.resource_request_changes(
            resource=resource, by=editor.user, comment="Please add numbers to the impact."
        )
        services.resource_submit(resource=resource, by=author.user)
        services.resource_publish(resource=resource, by=editor.user)
        services.resource_archive(resource=resource, by=editor.user)

    resource.refresh_from_db()
    assert resource.status == Status.ARCHIVED
    assert resource.reviewer == editor.user
    assert resource.published_at is not None
    assert steps(resource) == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "published"),
        ("published", "archived"),
    ]
    changes = ResourceTransition.objects.get(to_status=Status.CHANGES_REQUESTED)
    assert (changes.by, changes.comment) == (editor.user, "Please add numbers to the impact.")
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "An editor asked for changes to “Search clinics”",
        "“Search clinics” is published",
    ]
    assert mail.outbox[0].to == [author.email]
    assert "Please add numbers to the impact." in mail.outbox[0].body
    assert f"/resources/{resource.pk}/edit/" in mail.outbox[0].body
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.RESOURCE).count() == 2


def test_publishing_records_the_authors_contribution_once(author, editor):
    resource = draft_by(author)
    services.resource_submit(resource=resource, by=author.user)
    services.resource_publish(resource=resource, by=editor.user)

    events = EngagementEvent.objects.filter(member=author)
    assert list(events.values_list("kind", "source")) == [
        ("contributed", f"resource:{resource.pk}")
    ]


ILLEGAL = [
    (Status.DRAFT, Status.PUBLISHED),
    (Status.DRAFT, Status.ARCHIVED),
    (Status.DRAFT, Status.CHANGES_REQUESTED),
    (Status.SUBMITTED, Status.SUBMITTED),
    (Status.CHANGES_REQUESTED, Status.PUBLISHED),
    (Status.PUBLISHED, Status.SUBMITTED),
    (Status.PUBLISHED, Status.DRAFT),
    (Status.ARCHIVED, Status.PUBLISHED),
    (Status.ARCHIVED, Status.SUBMITTED),
]


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL)
def test_illegal_transition_is_refused_and_writes_nothing(author, editor, from_status, to_status):
    resource = ResourceFactory(author=author, status=from_status)

    for by in (author.user, editor.user):
        with pytest.raises(services.TransitionRefused):
            services.resource_transition(
                resource=resource, to_status=to_status, by=by, comment="Because."
            )

    resource.refresh_from_db()
    assert resource.status == from_status
    assert steps(resource) == []
    assert mail.outbox == []


def test_member_cannot_publish_or_request_changes(author):
    resource = ResourceFactory(author=author, status=Status.SUBMITTED)

    with pytest.raises(services.ActionRefused):
        services.resource_publish(resource=resource, by=author.user)
    with pytest.raises(services.ActionRefused):
        services.resource_request_changes(resource=resource, by=author.user, comment="Mine!")

    resource.refresh_from_db()
    assert resource.status == Status.SUBMITTED
    assert steps(resource) == []


def test_only_the_author_submits(author, editor):
    resource = ResourceFactory(author=author, status=Status.DRAFT)
    someone_else = member_with_account()

    for by in (someone_else.user, editor.user):
        with pytest.raises(services.ActionRefused):
            services.resource_submit(resource=resource, by=by)

    assert Resource.objects.get(pk=resource.pk).status == Status.DRAFT


def test_requesting_changes_needs_a_comment(author, editor):
    resource = ResourceFactory(author=author, status=Status.SUBMITTED)

    with pytest.raises(services.TransitionRefused, match="Say what the author should change"):
        services.resource_request_changes(resource=resource, by=editor.user, comment="   ")

    assert Resource.objects.get(pk=resource.pk).status == Status.SUBMITTED


def test_an_empty_draft_cannot_be_submitted(author):
    resource = ResourceFactory(author=author, status=Status.DRAFT, body="")

    with pytest.raises(services.TransitionRefused, match="Add some text, a file or a link"):
        services.resource_submit(resource=resource, by=author.user)


def test_archiving_unfeatures(author, editor):
    resource = ResourceFactory(author=author, featured=True)

    services.resource_archive(resource=resource, by=editor.user)

    resource.refresh_from_db()
    assert (resource.status, resource.featured) == (Status.ARCHIVED, False)


def test_rating_is_one_per_member_and_changeable():
    resource = ResourceFactory()
    first, second = member_with_account(), member_with_account()

    services.rating_set(resource=resource, member=first, score=2)
    services.rating_set(resource=resource, member=first, score=4)
    services.rating_set(resource=resource, member=second, score=5)

    resource.refresh_from_db()
    assert Rating.objects.filter(resource=resource).count() == 2
    assert (resource.rating_count, float(resource.rating_average)) == (2, 4.5)


def test_rating_out_of_range_is_refused():
    resource = ResourceFactory()
    with pytest.raises(ValueError):
        services.rating_set(resource=resource, member=member_with_account(), score=6)
    assert Rating.objects.count() == 0


def test_download_count_goes_up_by_one():
    resource = ResourceFactory(download_count=0)
    services.resource_count_download(resource=resource)
    services.resource_count_download(resource=resource)
    resource.refresh_from_db()
    assert resource.download_count == 2


def test_rating_refused_for_own_or_unpublished_resource():
    author = member_with_account()
    own = ResourceFactory(author=author)
    draft = ResourceFactory(status=Status.DRAFT)

    with pytest.raises(services.ActionRefused):
        services.rating_set(resource=own, member=author, score=5)
    with pytest.raises(services.ActionRefused):
        services.rating_set(resource=draft, member=member_with_account(), score=5)

    assert Rating.objects.count() == 0


def test_update_from_a_stale_copy_keeps_status_featured_and_counts():
    resource = ResourceFactory(featured=True)
    stale = Resource.objects.get(pk=resource.pk)  # an editor opens the edit form…
    editor = editor_account()
    services.resource_archive(resource=resource, by=editor.user)  # …someone archives it…
    Resource.objects.filter(pk=resource.pk).update(download_count=7)  # …and it is downloaded

    services.resource_update(
        resource=stale,
        content=services.ResourceContent(kind=stale.kind, title="New title", summary="New."),
        by=editor.user,
    )

    resource.refresh_from_db()
    assert (resource.title, resource.status) == ("New title", Status.ARCHIVED)
    assert (resource.featured, resource.download_count) == (False, 7)


def test_services_refuse_edit_by_someone_else():
    resource = ResourceFactory(status=Status.DRAFT)
    other = member_with_account()
    with pytest.raises(services.ActionRefused):
        services.resource_update(
            resource=resource,
            content=services.ResourceContent(kind="guide", title="Mine now", summary="x"),
            by=other.user,
        )
    assert Resource.objects.get(pk=resource.pk).title != "Mine now"
