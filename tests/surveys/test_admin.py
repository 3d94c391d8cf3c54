import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from surveys.models import Invitation, Survey
from surveys.services.answering import response_submit
from tests.factories import MemberFactory, UserFactory, member_with_account
from tests.surveys.factories import SurveyFactory, survey_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/surveys/survey/",
        "/admin/surveys/survey/add/",
        "/admin/meetings/meeting/",
        "/admin/meetings/meeting/add/",
        "/admin/members/member/",
    ],
)
def test_coordinators_group_can_work_in_the_admin(coordinator_client, url):
    response = coordinator_client.get(url)

    assert response.status_code == 200
    assert "Librarians CoP administration" in response.content.decode()


def test_staff_outside_coordinators_cannot_read_results(client):
    client.force_login(UserFactory(is_staff=True))
    survey = survey_with_questions()

    response = client.get(f"/admin/surveys/survey/{survey.pk}/results/")

    assert response.status_code == 403
    assert "How valuable?" not in response.content.decode()


def test_invite_action_emails_the_audience_once(
    coordinator_client, django_capture_on_commit_callbacks
):
    survey = SurveyFactory(audience_statuses=["active"])
    members = MemberFactory.create_batch(2)
    MemberFactory(status="left")

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            coordinator_client.post(
                "/admin/surveys/survey/",
                {"action": "invite_audience", "_selected_action": [survey.pk]},
            )

    assert Invitation.objects.filter(survey=survey).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)


def test_copy_action_runs_a_shipped_template(coordinator_client):
    template = Survey.objects.get(title="Community check-in (template)")

    coordinator_client.post(
        "/admin/surveys/survey/", {"action": "copy_survey", "_selected_action": [template.pk]}
    )

    copy = Survey.objects.get(title="Community check-in")
    assert copy.is_open()
    assert copy.questions.count() == template.questions.count()


def test_preview_shows_questions_for_members_and_non_members(coordinator_client):
    template = Survey.objects.get(title="Community review (template)")
    url = f"/admin/surveys/survey/{template.pk}/preview/"

    members_view = coordinator_client.get(url).content.decode()
    others_view = coordinator_client.get(url, {"as": "non_member"}).content.decode()

    assert "How much has the community influenced your practice?" in members_view
    assert "Why did you decide not to join?" not in members_view
    assert "Why did you decide not to join?" in others_view


def test_results_page_and_csv(coordinator_client, client):
    survey = survey_with_questions(title="Results survey")
    member = member_with_account()
    invitation = Invitation.objects.create(survey=survey, member=member)
    scale = survey.questions.get(kind="scale5")
    response_submit(invitation=invitation, answers=[(scale, None, 4, "")])

    page = coordinator_client.get(f"/admin/surveys/survey/{survey.pk}/results/")
    download = coordinator_client.get(f"/admin/surveys/survey/{survey.pk}/results.csv")

    html = page.content.decode()
    assert "100.0%" in html
    assert 'role="img"' in html
    assert "mean <strong>4.0</strong>" in html
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[1][4] == "4"
