"""Rules the database keeps."""

import pytest

from resources.models import Rating
from tests.factories import member_with_account
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_rating_unique_constraint_holds_in_the_database():
    from django.db import IntegrityError, transaction

    resource = ResourceFactory()
    member = member_with_account()
    Rating.objects.create(resource=resource, member=member, score=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(resource=resource, member=member, score=4)
