"""A resource page shows its author's organisation only as the author's profile allows."""

import pytest

from members.models import Visibility
from tests.factories import MemberFactory, member_with_account
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("visibility", "viewer", "shown"),
    [
        (Visibility.HIDDEN, "member", False),
        (Visibility.HIDDEN, "visitor", False),
        (Visibility.MEMBERS, "visitor", False),
        (Visibility.MEMBERS, "member", True),
        (Visibility.HIDDEN, "author", True),
    ],
)
def test_the_authors_organisation_follows_its_visibility(client, visibility, viewer, shown):
    author = member_with_account(organisation="Secret Archive", organisation_visibility=visibility)
    resource = ResourceFactory(author=author, title="Shelving tips")
    if viewer == "member":
        client.force_login(member_with_account().user)
    elif viewer == "author":
        client.force_login(author.user)

    page = client.get(resource.get_absolute_url()).content.decode()

    assert "Shelving tips" in page
    assert ("Secret Archive" in page) == shown


def test_an_author_without_an_account_is_named_without_a_hidden_organisation(client):
    author = MemberFactory(organisation="Hidden Place", organisation_visibility=Visibility.HIDDEN)
    client.force_login(member_with_account().user)

    page = client.get(ResourceFactory(author=author).get_absolute_url()).content.decode()

    assert author.full_name in page and "Hidden Place" not in page
