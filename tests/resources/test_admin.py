"""The resources admin: content editors' changes keep the page and search in step."""

import pytest
from django.utils import timezone

from resources.models import Kind, Resource
from tests.factories import UserFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_admin_edit_of_a_case_study_rebuilds_the_body_from_its_sections(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    resource = ResourceFactory(kind=Kind.CASE_STUDY, context="Old context", body="Old body")
    published_at = timezone.localtime(resource.published_at)

    response = client.post(
        f"/admin/resources/resource/{resource.pk}/change/",
        {
            "kind": Kind.CASE_STUDY,
            "title": resource.title,
            "summary": resource.summary,
            "body": "Old body",
            "context": "A rural library service merged two catalogues.",
            "actions": "We mapped the records.",
            "impact": "",
            "lessons": "",
            "contact": "",
            "url": "",
            "visibility": resource.visibility,
            "author": resource.author_id,
            "published_at_0": published_at.strftime("%Y-%m-%d"),
            "published_at_1": published_at.strftime("%H:%M:%S"),
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get(pk=resource.pk)
    assert "A rural library service merged two catalogues." in resource.body
    assert "Old body" not in resource.body
