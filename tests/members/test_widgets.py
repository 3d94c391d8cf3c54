"""members/widgets.py: the select written in Python is the select Django's templates write."""

import re

import pytest
from django import forms

from members.forms import ProfileForm
from members.models import Sector
from members.widgets import PlainSelect
from tests.factories import MemberFactory

CHOICES = [
    ("", "Choose…"),
    ("Canada", [("America/Toronto", "Eastern & <Toronto>"), ("America/Regina", 'Say "Regina"')]),
    ("Other", [("UTC", "UTC"), ("Europe/Paris", "Europe/Paris")]),
]


def tags(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", ["", "America/Regina", "UTC", "Gone/Zone"])
def test_same_markup_as_djangos_select(value):
    attrs = {"id": "id_zone", "class": "form-select", "aria-describedby": "h", "required": True}
    ours = PlainSelect(choices=CHOICES).render("zone", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("zone", value, attrs=attrs)
    assert tags(ours) == tags(django)
    assert "&lt;Toronto&gt;" in ours and "Say &quot;Regina&quot;" in ours


@pytest.mark.django_db
def test_same_markup_for_a_list_of_rows():
    field = forms.ModelChoiceField(queryset=Sector.objects.all(), empty_label="Choose")
    chosen = Sector.objects.order_by("pk").last().pk
    for value in (None, chosen):
        ours = PlainSelect(choices=field.choices).render("sector", value)
        django = forms.Select(choices=field.choices).render("sector", value)
        assert tags(ours) == tags(django)


@pytest.mark.django_db
def test_the_profile_forms_time_zone_keeps_its_choice_and_an_old_alias():
    member = MemberFactory(time_zone="US/Eastern")
    html = str(ProfileForm(instance=member)["time_zone"])
    assert '<option value="US/Eastern" selected>US/Eastern</option>' in html
    assert '<optgroup label="Canada">' in html and html.count("<option") > 400
