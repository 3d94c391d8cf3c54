"""Surveys in Canadian French: the shipped check-in's questions, the pages a French reader sees
(the one-press check-in, the anonymity promise, the thank-you page, errors) and the emails a
French member gets. English readers and members keep the English."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import translation

from surveys.models import Choice, Question, Survey
from surveys.services.anonymity import held_responses_release_due
from surveys.services.checkins import checkin_round_run
from surveys.services.invitations import invitation_token, invitations_create
from tests.factories import MemberFactory, UserFactory, sector
from tests.surveys.factories import InvitationFactory, answer, long_ago, survey_with_questions

pytestmark = pytest.mark.django_db

FRENCH = {"accept-language": "fr-CA"}


@pytest.fixture(autouse=True)
def _community_language_afterwards():
    """A French request leaves French active in the thread (LocaleMiddleware never resets
    it): later tests that render outside a request expect the community's language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def link(invitation):
    return reverse("surveys:answer", args=[invitation.survey_id, invitation_token(invitation)])


@pytest.fixture(autouse=True)
def _release_at_once(settings):
    settings.SURVEY_ANONYMITY_BATCH = 1


def test_shipped_templates_have_every_text_in_french():
    templates = Survey.objects.filter(status=Survey.Status.TEMPLATE)
    questions = Question.objects.filter(survey__in=templates)
    choices = Choice.objects.filter(question__in=questions)

    assert sorted(templates.values_list("title_fr", flat=True)) == [
        "Bilan de la communauté (modèle)",
        "Prise de nouvelles de la communauté (modèle)",
    ]
    assert list(questions.filter(text_fr="").values_list("text", flat=True)) == []
    assert list(choices.filter(label_fr="").values_list("label", flat=True)) == []
    scale = questions.get(text="How valuable has the community been to you lately?")
    assert (scale.text_fr, scale.low_label_fr, scale.high_label_fr) == (
        "Ces derniers temps, dans quelle mesure la communauté vous a-t-elle été utile?",
        "Pas du tout",
        "Très utile",
    )


def test_check_in_page_in_french_shows_french_questions_and_promise(client, checkin_survey):
    invitation = InvitationFactory(survey=checkin_survey)

    html = client.get(link(invitation), headers=FRENCH).content.decode()

    assert "<h1>Prise de nouvelles de la communauté</h1>" in html
    assert "<strong>Ce sondage est anonyme.</strong>" in html
    assert "De quoi aimeriez-vous avoir davantage?" in html
    assert "Rencontres informelles" in html
    assert "5 – Très utile" in html
    assert "Envoyer mes réponses" in html
    assert "Informal meetups" not in html


def test_same_page_without_a_language_stays_english(client, checkin_survey):
    invitation = InvitationFactory(survey=checkin_survey)

    html = client.get(link(invitation)).content.decode()

    assert "<h1>Community check-in</h1>" in html
    assert "What would you like more of?" in html
    assert "Send my answers" in html


def test_english_only_survey_is_marked_english_for_a_french_reader(client):
    invitation = InvitationFactory(survey=survey_with_questions(title="Spring feedback"))

    html = client.get(link(invitation), headers=FRENCH).content.decode()

    assert '<h1><span lang="en">Spring feedback</span></h1>' in html
    assert '<span lang="en">Which format?</span>' in html
    assert '<span lang="en">In person</span>' in html
    assert '5 – <span lang="en">Very</span>' in html
    # The page's own words are French all the same.
    assert "Envoyer mes réponses" in html


def test_one_press_check_in_in_french(client, checkin_survey):
    invitation = InvitationFactory(survey=checkin_survey)
    scale = checkin_survey.questions.get(kind="scale5")

    html = client.get(link(invitation), headers=FRENCH).content.decode()

    # The part an email's option link (#answer-5) shows, with its one Send button.
    part = re.search(r'<section [^>]*id="answer-5".*?</section>', html, re.S).group(0)
    assert f">{scale.text_fr}</h2>" in part
    assert "Votre réponse\u00a0: <strong>5 – Très utile</strong>" in part
    assert "Rien n’est enregistré avant." in part
    assert "Les questions ci-dessous sont facultatives\u00a0:" in part
    assert ">Choisir une autre réponse</a>" in part
    assert re.findall(r'<button type="submit"[^>]*>([^<]*)</button>', part) == ["Envoyer"]
    assert "Dites-nous-en plus (facultatif" in html
    assert ">Envoyer mes réponses</button>" in html


def test_missing_answer_error_in_french(client):
    invitation = InvitationFactory(survey=survey_with_questions())

    response = client.post(link(invitation), {}, headers=FRENCH)

    assert "Répondez à cette question." in response.content.decode()


def test_thank_you_page_in_french(client, checkin_survey):
    invitation = InvitationFactory(survey=checkin_survey)
    scale = checkin_survey.questions.get(kind="scale5")
    answer = client.post(
        link(invitation), {"one_press": scale.pk, f"q{scale.pk}": "4"}, headers=FRENCH
    )

    html = client.get(answer["Location"], headers=FRENCH).content.decode()

    assert "<h1>Merci</h1>" in html
    assert "Vos réponses à «\u00a0Prise de nouvelles de la communauté\u00a0» ont bien été" in html
    assert "Comme ce sondage est anonyme, vos réponses restent scellées" in html


def test_invitation_email_in_each_members_language(django_capture_on_commit_callbacks):
    survey = survey_with_questions(title="Spring feedback", title_fr="Bilan du printemps")
    MemberFactory(full_name="Élise Roy", language="fr-ca", status="active")
    MemberFactory(full_name="Ann Lee", language="en-ca", status="active")

    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(survey=survey)

    by_name = {m.body.split(",")[0]: m for m in mail.outbox}
    french, english = by_name["Bonjour Élise Roy"], by_name["Hello Ann Lee"]
    # Subjects are written on one line; French keeps its no-break space before the colon.
    assert french.subject == "Bilan du printemps\u00a0: quelques minutes de votre temps"
    assert "Il est anonyme\u00a0: personne ne peut savoir quelles réponses sont les vôtres." in (
        french.body
    )
    assert english.subject == "Spring feedback: a few minutes of your time"


def test_checkin_email_in_french_for_a_french_member(
    checkin_survey, django_capture_on_commit_callbacks
):
    MemberFactory(full_name="Élise Roy", language="fr-ca", joined_at=long_ago(60))
    MemberFactory(full_name="Ann Lee", language="en-ca", joined_at=long_ago(60))
    language_before = translation.get_language()

    with django_capture_on_commit_callbacks(execute=True):
        checkin_round_run()

    by_subject = {m.subject: m for m in mail.outbox}
    french = by_subject["Élise Roy, comment la communauté vous est-elle utile ces temps-ci?"]
    english = by_subject["Ann Lee, how is the community working for you?"]
    assert "Ces derniers temps, dans quelle mesure la communauté" in french.body
    # Each option links to its part of the page by a #fragment, labelled in the person's language.
    assert re.search(r"5 – Très utile: http\S+#answer-5\n", french.body)
    assert re.search(r"5 – Very valuable: http\S+#answer-5\n", english.body)
    # Each email's language is its own: the round leaves the active language as it found it.
    assert translation.get_language() == language_before


def test_copying_keeps_the_french(checkin_survey):
    question = checkin_survey.questions.get(kind="scale5")

    assert checkin_survey.title_fr == "Prise de nouvelles de la communauté"
    assert question.text_fr.startswith("Ces derniers temps")
    assert question.choices.count() == 0


@pytest.fixture
def coordinator_client(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    client.force_login(user)
    return client


def test_coordinators_edit_the_french_beside_the_english(coordinator_client):
    survey = survey_with_questions(title="Spring feedback")
    url = reverse("admin:surveys_survey_change", args=[survey.pk])
    inline = coordinator_client.get(url).context["inline_admin_formsets"][0].formset
    # The survey's own fields; its questions are left as they are (no inline forms sent).
    data = {
        "title": "Spring feedback",
        "title_fr": "Bilan du printemps",
        "introduction": survey.introduction,
        "status": survey.status,
        "opens_at_0": survey.opens_at.strftime("%Y-%m-%d"),
        "opens_at_1": "00:00:00",
        "closes_at_0": survey.closes_at.strftime("%Y-%m-%d"),
        "closes_at_1": "00:00:00",
        "audience_statuses": "[]",
        "is_anonymous": "on",
        f"{inline.prefix}-TOTAL_FORMS": "0",
        f"{inline.prefix}-INITIAL_FORMS": "0",
    }

    response = coordinator_client.post(url, data)

    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title_fr == "Bilan du printemps"
    html = coordinator_client.get(url).content.decode()
    assert 'name="questions-0-text_fr"' in html
    with translation.override("fr-ca"):
        assert str(survey) == "Bilan du printemps"


def test_results_and_check_in_round_pages_in_french(coordinator_client, checkin_survey):
    results = reverse("admin:surveys_survey_results", args=[checkin_survey.pk])
    round_page = reverse("admin:surveys_survey_checkin_round")

    results_html = coordinator_client.get(results, headers=FRENCH).content.decode()
    round_html = coordinator_client.get(round_page, headers=FRENCH).content.decode()

    assert "Télécharger les réponses en chiffrier (CSV)" in results_html
    assert "1. Ces derniers temps, dans quelle mesure la communauté" in results_html
    assert "Ceci est une <strong>simulation</strong>" in round_html
    assert "Lancer l’envoi de prise de nouvelles de ce mois-ci" in round_html


def test_results_say_in_french_why_sector_groups_are_hidden(coordinator_client, settings):
    settings.SURVEY_ANONYMITY_BATCH = 100  # one batch, so that its sectors are not blanked
    survey = survey_with_questions()
    for value in [5, 5, 4, 4, 2]:
        answer(survey, scale=value, declared=sector("health"))
    for value in [1, 2, 3, 4]:
        answer(survey, scale=value, declared=sector("school"))
    settings.SURVEY_ANONYMITY_BATCH = 4
    held_responses_release_due()
    url = reverse("admin:surveys_survey_results", args=[survey.pk])

    french = coordinator_client.get(url, headers=FRENCH).content.decode()
    english = coordinator_client.get(url).content.decode()

    # Health's five alone would give school's four away by subtraction: both are hidden.
    assert (
        "2 groupes de secteur ne sont pas affichés, pour protéger l'anonymat\u00a0: un groupe "
        "comptant moins de 5 personnes répondantes, ou un groupe qui permettrait d'en déduire "
        "un tel à partir du total."
    ) in french
    assert (
        "2 sector groups are not shown, to protect anonymity: a group with fewer than 5 "
        "respondents, or one that would let such a group be worked out from the total."
    ) in english
