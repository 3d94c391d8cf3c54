"""Generated input on the signup and profile forms: never a crash, nothing written when invalid."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members.forms import ProfileForm, SignupForm
from members.models import Member, Sector, User
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
any_text = st.text(max_size=400)
any_id = st.one_of(st.integers(min_value=-(2**63), max_value=2**63 - 1).map(str), any_text)


@FUZZ
@given(
    full_name=any_text,
    email=st.one_of(st.emails(), any_text),
    sector=any_id,
    organisation=any_text,
    job_title=any_text,
    password=any_text,
)
def test_signup_form_never_crashes_and_only_accepts_valid_data(
    rf, full_name, email, sector, organisation, job_title, password
):
    data = {
        "full_name": full_name,
        "email": email,
        "sector": sector,
        "organisation": organisation,
        "job_title": job_title,
        "password1": password,
        "password2": password,
        "privacy_consent": "on",
    }

    form = SignupForm(data=data)
    valid = form.is_valid()

    if valid:
        assert 0 < len(form.cleaned_data["full_name"]) <= 150
        assert isinstance(form.cleaned_data["sector"], Sector)
    else:
        assert form.errors
    assert User.objects.count() == 0


@FUZZ
@given(
    full_name=any_text,
    sector=any_id,
    bio=st.text(max_size=1200),
    interests=st.lists(any_id, max_size=3),
    time_zone=st.one_of(st.sampled_from(["Europe/London", "Asia/Tokyo"]), any_text),
    visibility=st.one_of(st.sampled_from(["members", "hidden"]), any_text),
)
def test_profile_form_never_crashes_and_invalid_input_changes_nothing(
    full_name, sector, bio, interests, time_zone, visibility
):
    member = MemberFactory(full_name="Before", bio="before")
    data = {
        "full_name": full_name,
        "sector": sector,
        "organisation": "Org",
        "organisation_visibility": visibility,
        "job_title": "",
        "job_title_visibility": "members",
        "city_region": "",
        "city_region_visibility": "members",
        "bio": bio,
        "bio_visibility": "members",
        "interests": interests,
        "interests_visibility": "members",
        "time_zone": time_zone,
    }

    form = ProfileForm(data=data, instance=Member.objects.get(pk=member.pk))

    if form.is_valid():
        form.save()
        member.refresh_from_db()
        assert member.full_name == full_name.strip()
        assert len(member.bio) <= 1000
    else:
        member.refresh_from_db()
        assert (member.full_name, member.bio) == ("Before", "before")
    member.delete()
