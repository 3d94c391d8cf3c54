"""Hypothesis on every form a person can post: whatever arrives, no 500, and a refused form
stores nothing.

The fields come from the page itself (every input, select and textarea it renders), so a field
added to a form is fuzzed without touching this file. Values mix text of any kind (NUL bytes,
control characters, long strings), huge and negative numbers, and real options.
"""

import contextlib
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members.models import Reengagement
from members.outbox.bulk import preferences_token, unsubscribe_token
from members.services.attrition import reengagement_token
from tests.factories import MemberFactory, member_with_account
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=8,  # modest: the whole suite has a time budget; CI runs differ per seed
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

value = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=400),
    st.sampled_from(["", "\x00", "0", "-1", "99999999999999999999999", "on", "1e309", "yes"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


@contextlib.contextmanager
def rolled_back():
    """Each example starts from the same database: whatever it stored is undone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def field_names(html: str) -> list[str]:
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html)
    return sorted({n for n in names if n != "csrfmiddlewaretoken"})


def counts() -> dict:
    # Sessions and allauth's rate-limit keys aside, a refused form adds and removes nothing.
    skip = {"sessions.Session"}
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.label not in skip
    }


_FIELDS: dict[str, list[str]] = {}


def fuzz_form(client, url: str, data):
    if url not in _FIELDS:  # the form's fields, read from its page once
        page = client.get(url)
        assert page.status_code == 200, url
        _FIELDS[url] = field_names(page.content.decode())
    names = _FIELDS[url]
    post = {name: data.draw(st.lists(value, max_size=2), label=name) for name in names}
    before = counts()

    response = client.post(url, post)

    assert response.status_code < 500, (url, post)
    if response.status_code == 200 or response.status_code >= 400:
        # Shown again (with errors) or refused: nothing was stored.
        assert counts() == before, (url, post)


PUBLIC_FORMS = ["account_signup", "account_login", "account_reset_password"]


@pytest.mark.parametrize("name", PUBLIC_FORMS)
@FUZZ
@given(data=st.data())
def test_public_account_forms_never_fail(client, name, data):
    with rolled_back():
        fuzz_form(client, reverse(name), data)


@pytest.fixture
def email_links():
    person = MemberFactory()
    reengagement = Reengagement.objects.create(member=person)
    return [
        reverse("members:preferences", args=[preferences_token(member=person)]),
        reverse("members:unsubscribe", args=[unsubscribe_token(member=person, kind="checkin")]),
        reverse("members:reengagement", args=[reengagement_token(reengagement=reengagement)]),
    ]


@FUZZ
@given(data=st.data())
def test_email_link_forms_never_fail(client, email_links, data):
    for url in email_links:
        with rolled_back():
            fuzz_form(client, url, data)


@pytest.fixture
def logged_in(client):
    # Made once per test (passwords are slow to hash); each example is rolled back.
    member = member_with_account()
    client.force_login(member.user)
    return member


MEMBER_FORMS = [
    "members:profile_edit",
    "members:my_preferences",
    "members:leave",
    "members:delete_account",
    "meetings:suggestions",
    "resources:create",
    "resources:create_guided",
]


@pytest.mark.parametrize("name", MEMBER_FORMS)
@FUZZ
@given(data=st.data())
def test_member_forms_never_fail(client, logged_in, name, data):
    with rolled_back():
        fuzz_form(client, reverse(name), data)


@FUZZ
@given(data=st.data())
def test_editing_a_resource_never_fails(client, logged_in, data):
    resource = ResourceFactory.build(author=logged_in, status="draft", published_at=None)
    with rolled_back():
        resource.save()
        fuzz_form(client, reverse("resources:edit", args=[resource.pk]), data)
