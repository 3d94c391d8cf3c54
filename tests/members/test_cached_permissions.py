"""An account's permissions are cached across requests, and a change to them counts at once."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from members.cached_permissions import has_permission
from members.models import User
from resources.services import EDITOR_PERMISSION
from tests.factories import member_with_account
from tests.resources.factories import editor_account

pytestmark = pytest.mark.django_db


def fresh(member) -> User:
    """The account as the next request loads it (Django also keeps permissions on the object)."""
    return User.objects.get(pk=member.user_id)


def publish_permission() -> Permission:
    app_label, codename = EDITOR_PERMISSION.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_the_answer_is_read_once_then_kept(django_assert_num_queries):
    editor = editor_account()
    first, second = fresh(editor), fresh(editor)

    with django_assert_num_queries(2):  # the account's permissions, then its groups'
        assert has_permission(first, EDITOR_PERMISSION)
    with django_assert_num_queries(0):
        assert has_permission(second, EDITOR_PERMISSION)
        assert not has_permission(second, "members.delete_member")


def test_joining_and_leaving_the_editors_group_counts_at_once():
    member = member_with_account()
    assert not has_permission(fresh(member), EDITOR_PERMISSION)  # cached as "no"
    editors = editor_account().user.groups.get()

    member.user.groups.add(editors)
    assert has_permission(fresh(member), EDITOR_PERMISSION)

    member.user.groups.remove(editors)
    assert not has_permission(fresh(member), EDITOR_PERMISSION)


def test_a_permission_taken_from_the_group_or_given_directly_counts_at_once():
    editor = editor_account()
    assert has_permission(fresh(editor), EDITOR_PERMISSION)

    Group.objects.get(name="Content editors").permissions.remove(publish_permission())
    assert not has_permission(fresh(editor), EDITOR_PERMISSION)

    editor.user.user_permissions.add(publish_permission())
    assert has_permission(fresh(editor), EDITOR_PERMISSION)


def test_deleting_the_group_counts_at_once():
    editor = editor_account()
    assert has_permission(fresh(editor), EDITOR_PERMISSION)

    Group.objects.get(name="Content editors").delete()

    assert not has_permission(fresh(editor), EDITOR_PERMISSION)


def test_activity_and_superuser_status_are_read_fresh():
    editor = editor_account()
    assert has_permission(fresh(editor), EDITOR_PERMISSION)
    User.objects.filter(pk=editor.user_id).update(is_active=False)  # no signal: read live
    assert not has_permission(fresh(editor), EDITOR_PERMISSION)

    member = member_with_account()
    assert not has_permission(fresh(member), EDITOR_PERMISSION)
    User.objects.filter(pk=member.user_id).update(is_superuser=True)
    assert has_permission(fresh(member), EDITOR_PERMISSION)


def test_the_review_queue_link_shows_to_editors_only(client):
    member = member_with_account()
    client.force_login(member.user)
    assert "Review queue" not in client.get(reverse("resources:list")).content.decode()

    member.user.groups.add(editor_account().user.groups.get())

    html = client.get(reverse("resources:list")).content.decode()
    assert f'href="{reverse("resources:review_queue")}"' in html
    assert "Review queue" in html
