"""A survey's audience can be one meeting's attendees: post-meeting feedback (as Indico does)."""

import pytest
from django.urls import reverse

from surveys.models import Invitation
from surveys.services.invitations import invitations_create, survey_audience
from tests.factories import MemberFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.surveys.factories import survey_with_questions

pytestmark = pytest.mark.django_db


def test_only_the_meetings_attendees_are_invited():
    meeting = MeetingFactory(title="Cataloguing clinic")
    came = RegistrationFactory(meeting=meeting, attended=True).member
    RegistrationFactory(meeting=meeting)  # registered, did not come
    RegistrationFactory(meeting=MeetingFactory(), attended=True)  # came to another meeting
    RegistrationFactory(meeting=meeting, attended=True, member__checkin_cadence="paused")
    MemberFactory()
    survey = survey_with_questions(title="How was the clinic?", audience_meeting=meeting)

    invited = invitations_create(survey=survey)

    assert list(survey_audience(survey=survey)) == [came]
    assert invited == 1
    assert Invitation.objects.get().member == came


def test_a_coordinator_chooses_the_meeting_in_the_survey_admin(client):
    MeetingFactory(title="Cataloguing clinic")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    html = client.get(reverse("admin:surveys_survey_add")).content.decode()

    assert 'name="audience_meeting"' in html
    assert "Attendees of" in html
    assert "attended this meeting (post-meeting feedback)" in html
