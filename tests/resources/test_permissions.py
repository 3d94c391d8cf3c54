"""Who may do what: every role against every action, through the pages people use.

Refusals are a login redirect (visitors), a 403 with the reason, or a 404 where even saying that
the resource exists would be too much (someone else's draft). A refused request writes nothing.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from resources.models import Rating, Resource, Status, Visibility
from tests.factories import MemberFactory, member_with_account
from tests.resources.factories import (
    ResourceFactory,
    coordinator_account,
    editor_account,
    with_file,
)

pytestmark = pytest.mark.django_db

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
    elif expected == NOT_FOUND:
        assert response.status_code == 404
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
