"""What people read says things plainly: no "KM story" or "Atom feed", whole help texts."""

import re

import pytest
from django.urls import reverse

from resources.forms import GuidedResourceForm
from resources.models import Kind

pytestmark = pytest.mark.django_db


def test_guided_form_explains_its_kinds_and_title_in_whole_sentences():
    form = GuidedResourceForm()

    assert form.fields["title"].help_text == (
        "A short, specific title, e.g. “Teaching referencing with a board game”."
    )
    assert dict(form.fields["kind"].choices) == {
        "case_study": "Case study",
        "km_story": "Practice story",
    }
    assert "practice story is a shorter account" in form.fields["kind"].help_text


def test_resource_list_speaks_plainly(client):
    html = client.get(reverse("resources:list")).content.decode()

    # As a word: the random CSRF tokens on the page may contain the letters "KM".
    assert not re.search(r"\bKM\b", html)
    assert "Atom feed" not in html
    assert "Follow new resources in a feed reader" in html
    assert Kind.KM_STORY.label == "Practice story"
