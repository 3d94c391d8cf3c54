"""The Atom feed lists newly published public resources, and nothing else."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from resources.models import Status, Visibility
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_only_public_published_resources_newest_first(client):
    now = timezone.now()
    ResourceFactory(title="Older public", published_at=now - timedelta(days=3))
    ResourceFactory(title="Newer public", published_at=now - timedelta(days=1))
    ResourceFactory(title="Members only", visibility=Visibility.MEMBERS)
    ResourceFactory(title="A draft", status=Status.DRAFT, published_at=None)
    ResourceFactory(title="Submitted", status=Status.SUBMITTED, published_at=None)
    ResourceFactory(title="Archived", status=Status.ARCHIVED)

    response = client.get(reverse("resources:feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newer public", "Older public"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/resources/")
    assert entries[0].findtext(f"{ATOM}summary") == "A short guide for colleagues."


def test_feed_is_linked_from_the_library(client):
    page = client.get(reverse("resources:list")).content.decode()
    assert 'type="application/atom+xml"' in page
