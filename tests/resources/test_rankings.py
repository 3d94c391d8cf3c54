"""The library's rankings (which resources a search or filter finds, in order) are cached
(members/listing.py, resources/versions.py): a change to the resources shows at once, and
visitors and members each get their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources import services
from resources.models import Resource, Status, Visibility
from tests.factories import member_with_account, topic
from tests.resources.factories import ResourceFactory, editor_account, titles

pytestmark = pytest.mark.django_db


def total(client, query="") -> int:
    return client.get(reverse("resources:list") + query).context["page"].paginator.count


def test_a_published_archived_edited_or_deleted_resource_counts_at_once(client):
    ResourceFactory(title="Outreach toolkit")
    assert total(client, "?q=outreach") == 1  # now cached
    editor = editor_account().user

    draft = ResourceFactory(title="Outreach guide", status=Status.SUBMITTED, published_at=None)
    assert total(client, "?q=outreach") == 1
    services.resource_publish(resource=draft, by=editor)
    assert total(client, "?q=outreach") == 2

    services.resource_archive(resource=draft, by=editor)
    assert total(client, "?q=outreach") == 1

    other = ResourceFactory(title="Opening hours")
    assert total(client, "?q=outreach") == 1
    other.title = "Outreach at opening hours"
    other.save()
    assert total(client, "?q=outreach") == 2

    other.delete()
    assert total(client, "?q=outreach") == 1


def test_a_topic_added_to_a_resource_counts_at_once(client):
    resource = ResourceFactory(topics=[])
    query = f"?topic={topic('leadership').pk}"
    assert total(client, query) == 0

    resource.topics.add(topic("leadership"))

    assert total(client, query) == 1


def test_visitors_and_members_each_get_their_own_total(client):
    ResourceFactory(title="Public one")
    ResourceFactory(title="For members", visibility=Visibility.MEMBERS)
    assert total(client) == 1

    client.force_login(member_with_account().user)
    assert total(client) == 2

    client.logout()
    assert total(client) == 1


def test_each_search_and_filter_has_its_own_total_and_paging_reuses_it(client):
    for i in range(25):
        ResourceFactory(title=f"Impact report {i:02d}", summary="Evidence.")
    ResourceFactory(title="Unrelated")
    assert total(client, "?q=impact") == 25
    assert total(client, "?q=unrelated") == 1
    assert total(client, "?q=impact&kind=template") == 0
    assert total(client) == Resource.objects.count()

    # Page 2 of the same search: neither counted nor ranked again, its rows read by id.
    assert total(client, "?q=impact&sort=date") == 25
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("resources:list") + "?q=impact&sort=date&page=2")
    searched = [q["sql"] for q in queries.captured_queries if "resources_resource" in q["sql"]]
    assert not [sql for sql in searched if "COUNT(" in sql or "@@" in sql]
    assert [r.title for r in response.context["page"].object_list] == [
        f"Impact report {i:02d}" for i in range(4, -1, -1)
    ]
    assert "25 resources" in response.content.decode()


def test_a_rating_reorders_the_best_rated_at_once(client):
    first = ResourceFactory(title="First guide")
    second = ResourceFactory(title="Second guide")
    member = member_with_account()
    services.rating_set(resource=first, member=member, score=3)
    assert titles(client, "?sort=rating") == ["First guide", "Second guide"]

    services.rating_set(resource=second, member=member, score=5)

    assert titles(client, "?sort=rating") == ["Second guide", "First guide"]


def test_a_page_never_shows_a_row_the_reader_may_no_longer_see(client):
    """Defence in depth: a page's rows are read through the reader's own list, so even a
    ranking cached before a change that sent no signal shows only what they may see."""
    ResourceFactory(title="Open guide")
    hidden = ResourceFactory(title="Soon for members")
    assert titles(client) == ["Soon for members", "Open guide"]

    Resource.objects.filter(pk=hidden.pk).update(visibility=Visibility.MEMBERS)  # no signal

    assert titles(client) == ["Open guide"]
