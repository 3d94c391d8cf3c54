"""The time zone list: Canada's zones first, then every zone in use, without obsolete aliases."""

import zoneinfo

import pytest

from members.forms import ProfileForm
from members.models import Member
from members.time_zones import CANADIAN_ZONES, time_zone_choices, zones_in_use
from tests.factories import MemberFactory


def test_canadian_zones_come_first_then_the_rest_in_order():
    (first_group, canadian), (second_group, others) = time_zone_choices()

    assert (first_group, second_group) == ("Canada", "Other time zones")
    assert [label for _, label in canadian][:3] == [
        "Newfoundland (St. John's)",
        "Atlantic (Halifax, Moncton, Charlottetown)",
        "Eastern (Toronto, Ottawa, Montréal, Québec City)",
    ]
    names = [name for name, _ in others]
    assert names == sorted(names)
    assert not {name for name, _ in CANADIAN_ZONES} & set(names)


def test_obsolete_aliases_are_left_out_and_every_choice_loads():
    names = set(zones_in_use())

    assert {"Europe/London", "Asia/Kolkata", "Europe/Kyiv", "UTC"} <= names
    assert not {"US/Eastern", "Canada/Eastern", "Asia/Calcutta", "EST5EDT", "GB"} & names
    assert 350 < len(names) < 450  # instead of some 600 names with the aliases
    for name in names:
        zoneinfo.ZoneInfo(name)


@pytest.mark.django_db
def test_a_stored_alias_is_kept_when_the_profile_is_saved():
    member = MemberFactory(time_zone="Canada/Eastern")

    form = ProfileForm(instance=member)

    assert form.initial["time_zone"] == "Canada/Eastern"
    assert ("Canada/Eastern", "Canada/Eastern") in dict(form.fields["time_zone"].choices)[
        "Other time zones"
    ]


@pytest.mark.django_db
def test_an_alias_cannot_be_chosen_anew():
    member = MemberFactory(time_zone="America/Toronto")
    data = {
        "full_name": "Ann",
        "sector": member.sector_id,
        "organisation_visibility": "members",
        "job_title_visibility": "members",
        "city_region_visibility": "members",
        "bio_visibility": "members",
        "interests_visibility": "members",
        "time_zone": "US/Eastern",
    }

    form = ProfileForm(data=data, instance=Member.objects.get(pk=member.pk))

    assert form.errors["time_zone"] == ["Choose a time zone from the list."]
