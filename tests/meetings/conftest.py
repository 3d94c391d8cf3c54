import pytest

from tests.factories import MemberFactory, UserFactory


@pytest.fixture
def admin_client(client):
    # A coordinator in another zone: the admin still works in the community's zone.
    user = UserFactory(is_staff=True, is_superuser=True)
    MemberFactory(email=user.email, user=user, time_zone="Pacific/Auckland")
    client.force_login(user)
    return client
