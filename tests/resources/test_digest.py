"""The monthly digest lists resources published since the last one."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from copsite.digest import digests_send
from resources.models import Status
from tests.factories import MemberFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_digest_lists_new_resources_even_without_meetings(django_capture_on_commit_callbacks):
    reader = MemberFactory()
    ResourceFactory(author=reader, title="New public guide")
    ResourceFactory(author=reader, title="New members guide", visibility="members")
    ResourceFactory(
        author=reader, title="Old guide", published_at=timezone.now() - timedelta(days=90)
    )
    ResourceFactory(
        author=reader, title="Waiting guide", status=Status.SUBMITTED, published_at=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = digests_send()

    assert result["queued"] == 1
    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert "New public guide" in message.body
    assert "New members guide (guide, members only)" in message.body
    assert "Old guide" not in message.body
    assert "Waiting guide" not in message.body
