import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from members.models import OutgoingEmail
from surveys.models import Invitation, Survey
from surveys.services.answering import response_submit
from surveys.services.checkins import checkin_round_number
from surveys.services.copying import survey_copy
from tests.factories import MemberFactory, UserFactory, member_with_account
from tests.smtp_sink import SmtpServer
from tests.surveys.factories import InvitationFactory, SurveyFactory, survey_with_questions
from tests.workers import wait_until

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
    assert "City Librarians administration" in response.content.decode()


def test_staff_outside_coordinators_cannot_read_results(client):
    client.force_login(UserFactory(is_staff=True))
    survey = survey_with_questions()

    response = client.get(f"/admin/surveys/survey/{survey.pk}/results/")

    assert response.status_code == 403
    assert "How valuable?" not in response.content.decode()


def test_invite_action_first_shows_the_count_and_a_preview_and_sends_nothing(
    coordinator_client, django_capture_on_commit_callbacks
):
    survey = SurveyFactory(title="Autumn pulse", audience_statuses=["active"])
    MemberFactory.create_batch(2)
    MemberFactory(full_name="Lou Left", status="left")

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            "/admin/surveys/survey/",
            {"action": "invite_audience", "_selected_action": [survey.pk]},
        )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>2</strong> people will be emailed" in page
    assert 'value="Send 2 invitations"' in page
    assert "Autumn pulse: a few minutes of your time" in page  # the email's subject
    assert "Lou Left" not in page
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_invite_action_emails_the_audience_once(
    coordinator_client, django_capture_on_commit_callbacks
):
    survey = SurveyFactory(audience_statuses=["active"])
    members = MemberFactory.create_batch(2)
    MemberFactory(status="left")

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = coordinator_client.post(
                "/admin/surveys/survey/",
                {"action": "invite_audience", "_selected_action": [survey.pk], "confirm": "yes"},
                follow=True,
            )

    assert Invitation.objects.filter(survey=survey).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"“{survey}”: 0 invitations queued."]


def test_invite_preview_counts_who_the_invitation_service_emails(
    coordinator_client, django_capture_on_commit_callbacks
):
    survey = SurveyFactory(audience_statuses=["active"])
    already = MemberFactory()
    Invitation.objects.create(survey=survey, member=already, sent_at=timezone.now())
    MemberFactory.create_batch(3)

    preview = coordinator_client.post(
        "/admin/surveys/survey/", {"action": "invite_audience", "_selected_action": [survey.pk]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            "/admin/surveys/survey/",
            {"action": "invite_audience", "_selected_action": [survey.pk], "confirm": "yes"},
        )

    assert "<strong>3</strong> people will be emailed" in preview.content.decode()
    assert len(mail.outbox) == 3


def test_invite_action_on_a_draft_says_why_and_offers_nothing_to_send(coordinator_client):
    survey = SurveyFactory(title="Not ready", status=Survey.Status.DRAFT)
    MemberFactory()

    response = coordinator_client.post(
        "/admin/surveys/survey/", {"action": "invite_audience", "_selected_action": [survey.pk]}
    )

    page = response.content.decode()
    assert "a draft: schedule it first" in page
    assert "There is nothing to do." in page


def test_remind_action_previews_then_reminds_only_those_due(
    coordinator_client, django_capture_on_commit_callbacks
):
    survey = SurveyFactory()
    week_ago = timezone.now() - timedelta(days=7)
    due = InvitationFactory(survey=survey, sent_at=week_ago, member__full_name="Dana Due")
    InvitationFactory(survey=survey, sent_at=week_ago, completed=True)
    InvitationFactory(survey=survey, sent_at=timezone.now(), member__full_name="Newly Sent")

    preview = coordinator_client.post(
        "/admin/surveys/survey/", {"action": "send_reminders", "_selected_action": [survey.pk]}
    )
    sent_on_preview = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            "/admin/surveys/survey/",
            {"action": "send_reminders", "_selected_action": [survey.pk], "confirm": "yes"},
            follow=True,
        )

    page = preview.content.decode()
    assert "<strong>1</strong> person will be reminded" in page
    assert "Dana Due" in page
    assert "Newly Sent" not in page
    assert sent_on_preview == 0
    assert [m.to[0] for m in mail.outbox] == [due.member.email]
    assert [str(m) for m in response.context["messages"]] == [f"“{survey}”: 1 reminder queued."]


def test_copy_action_makes_a_draft_that_never_opens_and_opens_it_for_editing(
    coordinator_client,
):
    template = Survey.objects.get(title="Community check-in (template)")

    response = coordinator_client.post(
        "/admin/surveys/survey/", {"action": "copy_survey", "_selected_action": [template.pk]}
    )

    copy = Survey.objects.get(title="Community check-in")
    assert response.url == f"/admin/surveys/survey/{copy.pk}/change/"
    assert copy.status == Survey.Status.DRAFT
    assert not copy.is_open()
    assert list(Survey.objects.open()) == []
    assert copy.questions.count() == template.questions.count()


def test_copy_of_a_survey_is_titled_as_a_copy(coordinator_client):
    survey = SurveyFactory(title="Spring review")

    coordinator_client.post(
        "/admin/surveys/survey/", {"action": "copy_survey", "_selected_action": [survey.pk]}
    )

    assert Survey.objects.get(title="Spring review (copy)").status == Survey.Status.DRAFT


def test_survey_list_shows_templates_as_templates_not_as_dated_surveys(coordinator_client):
    SurveyFactory(title="Running now")

    response = coordinator_client.get("/admin/surveys/survey/")

    page = response.content.decode()
    model_admin = response.context["cl"].model_admin
    states = {s.title: model_admin.state(s) for s in response.context["cl"].result_list}
    assert states["Community check-in (template)"] == "Template"
    assert states["Running now"].startswith("Open until ")
    assert "1 Jan 2000" not in page


def test_new_survey_form_starts_as_a_draft(coordinator_client):
    response = coordinator_client.get("/admin/surveys/survey/add/")

    assert response.context["adminform"].form.initial["status"] == Survey.Status.DRAFT


def test_preview_shows_questions_for_members_and_non_members(coordinator_client):
    template = Survey.objects.get(title="Community review (template)")
    url = f"/admin/surveys/survey/{template.pk}/preview/"

    members_view = coordinator_client.get(url).content.decode()
    others_view = coordinator_client.get(url, {"as": "non_member"}).content.decode()

    assert "How much has the community influenced your practice?" in members_view
    assert "Why did you decide not to join?" not in members_view
    assert "Why did you decide not to join?" in others_view


def test_results_page_and_csv(
    coordinator_client, client, settings, django_capture_on_commit_callbacks
):
    settings.SURVEY_ANONYMITY_BATCH = 1  # the page's figures; batching has its own tests
    survey = survey_with_questions(title="Results survey")
    member = member_with_account()
    invitation = Invitation.objects.create(survey=survey, member=member)
    scale = survey.questions.get(kind="scale5")
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(invitation=invitation, answers=[(scale, None, 4, "")])

    page = coordinator_client.get(f"/admin/surveys/survey/{survey.pk}/results/")
    download = coordinator_client.get(f"/admin/surveys/survey/{survey.pk}/results.csv")

    html = page.content.decode()
    assert "100.0%" in html
    assert 'role="img"' in html
    assert "mean <strong>4.0</strong>" in html
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[1][3] == "4"  # response, round, sector, then the questions


# --- This round's check-in from the admin ---------------------------------------------------

CHECKIN_ROUND = "/admin/surveys/survey/checkin-round/"


@pytest.fixture
def checkin_survey():
    survey = survey_copy(
        survey=Survey.objects.get(title="Community check-in (template)"),
        title="Community check-in",
        opens_at=timezone.now() - timedelta(days=30),
        days_open=365,
    )
    return survey


def joined_long_ago(**kwargs):
    return MemberFactory(joined_at=timezone.now() - timedelta(days=60), **kwargs)


def test_checkin_round_dry_run_shows_how_many_and_who_and_writes_nothing(
    coordinator_client, checkin_survey
):
    joined_long_ago(full_name="Ada Due")
    joined_long_ago(full_name="Ben Due", status="prospect")
    joined_long_ago(full_name="Cy Paused", checkin_cadence="paused")
    MemberFactory(full_name="Di Newcomer")  # joined today: the welcome email comes first

    response = coordinator_client.get(CHECKIN_ROUND)

    page = response.content.decode()
    assert "<strong>2</strong> people (1 active member, 1 prospect)" in page
    assert "Ada Due" in page and "Ben Due" in page
    assert "Cy Paused" not in page and "Di Newcomer" not in page
    assert 'value="Send the check-in to 2 people"' in page
    assert Invitation.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_checkin_round_confirmed_sends_once_through_the_outbox(
    coordinator_client, checkin_survey, django_capture_on_commit_callbacks
):
    ada = joined_long_ago(full_name="Ada Due")
    round_number = checkin_round_number(timezone.now())

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = coordinator_client.post(CHECKIN_ROUND, {"round": round_number})

    assert response.url == "/admin/members/outgoingemail/?kind__exact=checkin"
    assert list(OutgoingEmail.objects.values_list("kind", "to_email", "state")) == [
        ("checkin", ada.email, "sent")
    ]
    assert [m.to[0] for m in mail.outbox] == [ada.email]
    messages = [str(m) for m in coordinator_client.get(response.url).context["messages"]]
    assert messages == [
        f"Round {round_number} of “Community check-in”: 1 person invited, "
        "1 email queued for sending.",
        f"Round {round_number} of “Community check-in”: 0 people invited, "
        "0 emails queued for sending.",
    ]


@pytest.mark.django_db(transaction=True)
def test_checkin_round_confirmed_with_workers_says_they_are_preparing_it_and_they_send_it(
    coordinator_client, checkin_survey, worker_processes
):
    smtp = SmtpServer()
    smtp.start()
    ada = joined_long_ago(full_name="Ada Due")
    worker_processes(smtp_port=smtp.port, queues=("mail",))
    round_number = checkin_round_number(timezone.now())
    try:
        response = coordinator_client.post(CHECKIN_ROUND, {"round": round_number})

        messages = [str(m) for m in coordinator_client.get(response.url).context["messages"]]
        assert messages == [
            f"Round {round_number} of “Community check-in”: 1 person due, whose invitation and "
            "email the workers are preparing."
        ]
        wait_until(lambda: smtp.sink.recipients() == [ada.email], what="Ada's check-in")
    finally:
        smtp.stop()


def test_checkin_round_confirmation_for_another_round_sends_nothing(
    coordinator_client, checkin_survey
):
    joined_long_ago()

    response = coordinator_client.post(CHECKIN_ROUND, {"round": "199901"}, follow=True)

    assert Invitation.objects.count() == 0
    assert "The round changed since the dry run" in response.content.decode()


def test_checkin_round_without_an_open_checkin_survey_says_what_to_do(coordinator_client):
    response = coordinator_client.get(CHECKIN_ROUND)

    assert "No check-in survey is open" in response.content.decode()


def test_checkin_round_refused_to_staff_outside_coordinators(client, checkin_survey):
    client.force_login(UserFactory(is_staff=True))
    joined_long_ago()

    assert client.get(CHECKIN_ROUND).status_code == 403
    assert client.post(CHECKIN_ROUND, {"round": "1"}).status_code == 403
    assert Invitation.objects.count() == 0


def test_survey_list_links_to_the_checkin_round(coordinator_client):
    page = coordinator_client.get("/admin/surveys/survey/").content.decode()

    assert f'href="{CHECKIN_ROUND}"' in page
