import pytest
from django.urls import reverse

from surveys.models import Response
from surveys.services.invitations import invitation_token
from tests.factories import member_with_account
from tests.surveys.factories import InvitationFactory, survey_with_questions

pytestmark = pytest.mark.django_db


def link(invitation):
    return reverse("surveys:answer", args=[invitation.survey_id, invitation_token(invitation)])


def test_missing_required_answer_shows_summary_and_keeps_other_answers(client):
    invitation = InvitationFactory(survey=survey_with_questions())
    text = invitation.survey.questions.get(kind="text")
    scale = invitation.survey.questions.get(kind="scale5")

    response = client.post(link(invitation), {f"q{text.pk}": "Kept <b>text</b>"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'href="#id_q{scale.pk}"' in html
    assert html.count("Answer this question.") == 2
    assert "Kept &lt;b&gt;text&lt;/b&gt;</textarea>" in html
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("scale5", "6", "Choose one of the options given."),
        ("scale10", "-1", "Choose one of the options given."),
        ("yesno", "maybe", "Choose one of the options given."),
        ("text", "x" * 2001, "at most 2000 characters"),
    ],
)
def test_bad_values_are_refused_beside_the_field(client, kind, value, message):
    invitation = InvitationFactory(survey=survey_with_questions())
    survey = invitation.survey
    scale = survey.questions.get(kind="scale5")
    target = survey.questions.get(kind=kind)
    data = {f"q{scale.pk}": "3", f"q{target.pk}": value}

    html = client.post(link(invitation), data).content.decode()

    assert message in html
    assert Response.objects.count() == 0


def test_choice_from_another_question_is_refused(client):
    invitation = InvitationFactory(survey=survey_with_questions())
    survey = invitation.survey
    scale = survey.questions.get(kind="scale5")
    single = survey.questions.get(kind="single")
    foreign = survey.questions.get(kind="multiple").choices.first()

    html = client.post(
        link(invitation), {f"q{scale.pk}": "3", f"q{single.pk}": str(foreign.pk)}
    ).content.decode()

    assert "Choose one of the options given." in html
    assert Response.objects.count() == 0


def test_other_without_text_is_refused(client):
    invitation = InvitationFactory(survey=survey_with_questions())
    scale = invitation.survey.questions.get(kind="scale5")
    single = invitation.survey.questions.get(kind="single")

    html = client.post(
        link(invitation), {f"q{scale.pk}": "3", f"q{single.pk}": "other"}
    ).content.decode()

    assert "Say what “other” means for you." in html
    assert Response.objects.count() == 0


def test_an_answer_in_the_query_is_not_taken_and_nothing_is_stored(client):
    """Answers travel in fragments (tests/surveys/test_one_press_answer.py), never in a query
    that access logs keep beside the person's link."""
    invitation = InvitationFactory(survey=survey_with_questions())
    scale = invitation.survey.questions.get(kind="scale5")

    html = client.get(link(invitation), {f"q{scale.pk}": "4"}).content.decode()

    assert "Your answer:" not in html
    assert f'value="4" id="id_q{scale.pk}_3" checked' not in html
    assert Response.objects.count() == 0


def test_named_survey_says_so(client):
    invitation = InvitationFactory(survey=survey_with_questions(is_anonymous=False))

    html = client.get(link(invitation)).content.decode()

    assert "This survey is not anonymous." in html
    assert "Your sector (optional)" not in html


def test_thank_you_page_links_to_email_preferences(client):
    invitation = InvitationFactory(survey=survey_with_questions())
    scale = invitation.survey.questions.get(kind="scale5")

    response = client.post(link(invitation), {f"q{scale.pk}": "5"}, follow=True)

    html = response.content.decode()
    assert "Thank you" in html
    assert "change which emails you get from us" in html


def test_member_sees_open_surveys_on_account_page_and_answers_there(client):
    member = member_with_account()
    invitation = InvitationFactory(
        survey=survey_with_questions(title="Winter pulse"), member=member
    )
    scale = invitation.survey.questions.get(kind="scale5")
    client.force_login(member.user)

    account = client.get(reverse("members:me")).content.decode()
    answer_url = reverse("surveys:answer_as_member", args=[invitation.survey_id])
    posted = client.post(answer_url, {f"q{scale.pk}": "2"})
    after = client.get(reverse("members:me")).content.decode()

    assert "Surveys waiting for your answer" in account
    assert f'href="{answer_url}"' in account
    assert posted.status_code == 302
    assert "Winter pulse" not in after
    invitation.refresh_from_db()
    assert invitation.completed


def test_member_not_invited_gets_404(client):
    member = member_with_account()
    survey = survey_with_questions()
    client.force_login(member.user)

    response = client.get(reverse("surveys:answer_as_member", args=[survey.pk]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert survey.title not in response.content.decode()


def test_my_surveys_page_lists_open_invitations(client):
    member = member_with_account()
    InvitationFactory(survey=survey_with_questions(title="Open one"), member=member)
    client.force_login(member.user)

    html = client.get(reverse("surveys:mine")).content.decode()

    assert "Open one" in html
