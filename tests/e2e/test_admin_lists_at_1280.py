"""Every list a coordinator works from shows all its columns on a 1280 px screen, with rows as
long as real ones: nothing cut off on the right, no sideways scrolling."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from announcements.models import Announcement
from meetings.models import Registration, Series
from meetings.services.series import series_create_occurrences
from meetings.services.topics import suggestion_create
from members.models import OutgoingEmail, Reengagement
from tests.e2e.test_coordinator_journey import log_in_coordinator
from tests.factories import MemberFactory, sector, topic
from tests.meetings.factories import MeetingFactory
from tests.resources.factories import ResourceFactory
from tests.surveys.factories import InvitationFactory, survey_with_questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = "Marie-Ève Bouchard-Tremblay de la Fontaine"
LONG_PLACE = "Bibliothèque et Archives nationales du Québec, Grande Bibliothèque"
LONG_TITLE = "Evidence-based outreach to newcomers in rural and remote public libraries"


@pytest.fixture
def community():
    member = MemberFactory(
        full_name=LONG_NAME,
        email="marie-eve.bouchard-tremblay@bibliotheques-publiques.example.org",
        organisation=LONG_PLACE,
        sector=sector("health"),
    )
    OutgoingEmail.objects.create(
        dedupe_key="long",
        kind="announcement",
        member=member,
        to_email=member.email,
        subject=f"{LONG_TITLE}: the programme, the speakers and how to take part",
        body_text="Hello",
    )
    Reengagement.objects.create(member=member)
    meeting = MeetingFactory(title=LONG_TITLE, location=LONG_PLACE, capacity=40)
    Registration.objects.create(meeting=meeting, member=member)
    series = Series.objects.create(
        title=LONG_TITLE,
        format="online",
        online_url="https://meet.example.org/series",
        frequency=Series.Frequency.WEEKLY,
        weekday=0,
        starts_on=timezone.localdate() + timedelta(days=7),
        start_time=time(16),
        end_time=time(17),
        occurrences=2,
    )
    series_create_occurrences(series=series)
    suggestion_create(member=member, title=LONG_TITLE)
    InvitationFactory(survey=survey_with_questions(title=LONG_TITLE), member=member)
    ResourceFactory(title=LONG_TITLE, author=member, topics=[topic("outreach")])
    Announcement.objects.create(subject=f"{LONG_TITLE}: save the date", body="Hello")


LISTS = [
    "members/member",
    "members/outgoingemail",
    "members/reengagement",
    "meetings/meeting",
    "meetings/series",
    "meetings/topicsuggestion",
    "surveys/survey",
    "surveys/invitation",
    "resources/resource",
    "announcements/announcement",
]


def test_every_coordinator_list_fits_1280_px(page, live_server, community):
    # All permissions: a transactional test before this one may have flushed the coordinators'
    # group grants, and the columns are the same for every coordinator who sees the list.
    user = log_in_coordinator(page, live_server)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    too_wide = {}
    for path in LISTS:
        response = page.goto(f"{live_server.url}/admin/{path}/")
        assert response.status == 200, path
        right = page.evaluate(
            "() => document.querySelector('#result_list').getBoundingClientRect().right"
        )
        scrolls = page.evaluate(
            "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        if right > page.viewport_size["width"] or scrolls:
            too_wide[path] = right

    assert too_wide == {}
