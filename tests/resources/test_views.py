"""What people see on the resource pages: the guided form, drafts, My submissions, review."""

import pytest
from django.core import mail
from django.urls import reverse

from resources import services
from resources.models import Rating, Resource, Status
from tests.factories import member_with_account, topic
from tests.resources.factories import ResourceFactory, editor_account

pytestmark = pytest.mark.django_db

GUIDED = {
    "kind": "case_study",
    "title": "Search clinics for students",
    "summary": "Drop-in help with searching.",
    "context": "A busy library.",
    "actions": "Monthly clinics.",
    "impact": "Faster searches.",
    "lessons": "Start small.",
    "contact": "",
    "visibility": "public",
}


def test_guided_form_saves_a_draft_then_submits(client, django_capture_on_commit_callbacks):
    member = member_with_account()
    client.force_login(member.user)

    response = client.post(
        reverse("resources:create_guided"),
        {**GUIDED, "topics": [topic("outreach").pk], "action": "save"},
    )
    resource = Resource.objects.get()
    assert response["Location"] == reverse("resources:edit", args=[resource.pk])
    assert (resource.status, resource.author) == (Status.DRAFT, member)
    assert list(resource.topics.all()) == [topic("outreach")]

    response = client.post(
        reverse("resources:edit", args=[resource.pk]), {**GUIDED, "action": "submit"}
    )
    assert response["Location"] == reverse("resources:mine")
    resource.refresh_from_db()
    assert resource.status == Status.SUBMITTED
    page = client.get(reverse("resources:mine")).content.decode()
    assert "Search clinics for students" in page
    assert "Submitted for review" in page


def test_guided_form_errors_are_shown_beside_fields_and_in_the_summary(client):
    client.force_login(member_with_account().user)

    response = client.post(
        reverse("resources:create_guided"), {**GUIDED, "title": "  ", "action": "save"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_title"' in page
    assert "Enter a title." in page
    assert page.count("<h1") == 1
    assert Resource.objects.count() == 0


def test_link_needs_an_address_and_not_a_file_as_well(client):
    client.force_login(member_with_account().user)

    response = client.post(
        reverse("resources:create"),
        {"kind": "link", "title": "A link", "summary": "Somewhere.", "visibility": "public"},
    )

    assert response.status_code == 400
    assert "A link needs its address." in response.content.decode()


def test_author_sees_the_editors_comment_and_can_edit_again(
    client, django_capture_on_commit_callbacks
):
    author = member_with_account()
    editor = editor_account()
    resource = ResourceFactory(author=author, status=Status.SUBMITTED, title="My story")
    client.force_login(editor.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("resources:review", args=[resource.pk]),
            {"action": "request_changes", "comment": "Add a contact, please."},
        )

    assert response["Location"] == reverse("resources:review_queue")
    assert [m.to for m in mail.outbox] == [[author.email]]
    client.force_login(author.user)
    mine = client.get(reverse("resources:mine")).content.decode()
    assert "Changes requested" in mine
    assert "Add a contact, please." in mine
    assert client.get(reverse("resources:edit", args=[resource.pk])).status_code == 200


def test_request_changes_without_comment_is_refused_with_a_message(client):
    resource = ResourceFactory(status=Status.SUBMITTED)
    client.force_login(editor_account().user)

    response = client.post(
        reverse("resources:review", args=[resource.pk]),
        {"action": "request_changes", "comment": ""},
        follow=True,
    )

    assert "Say what the author should change." in response.content.decode()
    assert Resource.objects.get(pk=resource.pk).status == Status.SUBMITTED


def test_publishing_twice_is_refused_not_a_500(client):
    resource = ResourceFactory(status=Status.SUBMITTED)
    client.force_login(editor_account().user)
    url = reverse("resources:review", args=[resource.pk])

    client.post(url, {"action": "publish"})
    response = client.post(url, {"action": "publish"}, follow=True)

    assert response.status_code == 200
    assert "cannot be moved" in response.content.decode()


def test_review_queue_lists_submissions_oldest_first(client):
    first = ResourceFactory(status=Status.SUBMITTED, title="First in")
    ResourceFactory(status=Status.SUBMITTED, title="Second in")
    services_submitted = Resource.objects.filter(pk=first.pk)
    services_submitted.update(submitted_at="2020-01-01T00:00Z")
    client.force_login(editor_account().user)

    page = client.get(reverse("resources:review_queue")).content.decode()

    assert page.index("First in") < page.index("Second in")


def test_rating_again_changes_it(client):
    resource = ResourceFactory()
    member = member_with_account()
    client.force_login(member.user)
    url = reverse("resources:rate", args=[resource.pk])

    client.post(url, {"score": "2"})
    client.post(url, {"score": "5"})
    response = client.post(url, {"score": "9"}, follow=True)

    assert "Choose a rating from 1 to 5." in response.content.decode()
    assert list(Rating.objects.values_list("member", "score")) == [(member.pk, 5)]


def test_editor_features_a_resource_on_the_landing_page(client):
    resource = ResourceFactory(title="Star guide")
    client.force_login(editor_account().user)

    client.post(reverse("resources:feature", args=[resource.pk]), {"featured": "1"})

    assert Resource.objects.get(pk=resource.pk).featured
    client.logout()
    assert "Star guide" in client.get(reverse("home")).content.decode()


def test_header_links_to_resources(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("resources:list")}"' in page


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


def test_edit_form_keeps_what_was_stored(client):
    member = member_with_account()
    resource = ResourceFactory(
        author=member, status=Status.DRAFT, visibility="public", kind="case_study"
    )
    client.force_login(member.user)

    form = client.get(reverse("resources:edit", args=[resource.pk])).context["form"]

    assert (form["visibility"].value(), form["kind"].value()) == ("public", "case_study")
