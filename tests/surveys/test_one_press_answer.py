"""A check-in answered in one press: the email's option link opens the page at that answer's
part (`#answer-4`), with one Send button; opening it stores nothing; Send stores it, the rest of
the check-in optional, and completes the invitation. The answer travels only in the fragment,
which no server log sees."""

import re

import pytest
from django.urls import reverse

from surveys.models import Invitation, Response
from surveys.services.anonymity import held_responses_release_due
from surveys.services.invitations import invitation_token
from tests.surveys.factories import InvitationFactory, survey_with_questions

pytestmark = pytest.mark.django_db


def link(invitation):
    return reverse("surveys:answer", args=[invitation.survey_id, invitation_token(invitation)])


def submit_buttons(html: str) -> list[str]:
    """The form's Send buttons, not the footer's language switcher."""
    return re.findall(r'<button type="submit"(?![^>]*name="language")[^>]*>([^<]*)</button>', html)


@pytest.fixture(autouse=True)
def _release_at_once(settings):
    """These tests check what one press stores; anonymous batching has its own tests."""
    settings.SURVEY_ANONYMITY_BATCH = 1


def released():
    """The stored responses, once the holding area has released them."""
    held_responses_release_due()
    return list(Response.objects.all())


@pytest.fixture
def invitation():
    return InvitationFactory(survey=survey_with_questions(is_checkin=True))


def one_press_part(html: str, anchor: str) -> str:
    """The page's part for one option, the one an email link's fragment shows."""
    match = re.search(rf'<section [^>]*id="{anchor}".*?</section>', html, re.S)
    assert match, anchor
    return match.group(0)


def test_the_option_link_shows_the_chosen_answer_with_one_send_button(client, invitation):
    scale = invitation.survey.questions.get(kind="scale5")

    response = client.get(link(invitation))

    html = response.content.decode()
    part = one_press_part(html, "answer-5")
    assert response.status_code == 200
    assert "Your answer: <strong>5 – Very</strong>" in part
    assert submit_buttons(part) == ["Send"]
    assert f'name="one_press" value="{scale.pk}:5"' in part
    assert "Nothing is stored until you do." in part
    assert "Tell us more (optional" in html
    # One part per option of the email's question, each shown only at its own fragment.
    assert re.findall(r'id="(answer-\d+)"', html) == [f"answer-{n}" for n in range(1, 6)]
    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.completed is False


def test_one_press_stores_the_answer_and_completes_the_invitation(client, invitation):
    scale = invitation.survey.questions.get(kind="scale5")
    part = one_press_part(client.get(link(invitation)).content.decode(), "answer-4")
    # What the Send button posts: its own name and value, nothing typed.
    [(name, value)] = re.findall(r'<button type="submit" name="([^"]+)" value="([^"]*)"', part)

    response = client.post(link(invitation), {name: value})

    assert response.status_code == 302
    assert response.url.startswith(reverse("surveys:thanks", args=[invitation.survey_id]))
    [stored] = released()
    assert [(a.question_id, a.number) for a in stored.answers.all()] == [(scale.pk, 4)]
    assert stored.member is None  # an anonymous check-in stays anonymous
    invitation.refresh_from_db()
    assert invitation.completed is True


def test_a_link_from_before_fragments_is_sent_on_to_its_fragment(client, invitation):
    scale = invitation.survey.questions.get(kind="scale5")

    url = link(invitation)

    response = client.get(url, {f"q{scale.pk}": "4"})

    assert response.status_code == 302
    assert response.url == f"{url}#answer-4"
    assert Response.objects.count() == 0


def test_one_press_with_more_said_from_the_button_keeps_both(client, invitation):
    survey = invitation.survey
    scale = survey.questions.get(kind="scale5")
    text = survey.questions.get(kind="text")

    client.post(link(invitation), {"one_press": f"{scale.pk}:3", f"q{text.pk}": "Evenings."})

    [stored] = released()
    assert {(a.number, a.text) for a in stored.answers.all()} == {(None, "Evenings."), (3, "")}


def test_one_press_keeps_the_optional_answers_given(client, invitation):
    survey = invitation.survey
    scale = survey.questions.get(kind="scale5")
    text = survey.questions.get(kind="text")

    client.post(
        link(invitation),
        {"one_press": scale.pk, f"q{scale.pk}": "2", f"q{text.pk}": "More evening meetups."},
    )

    [stored] = released()
    assert {(a.number, a.text) for a in stored.answers.all()} == {
        (None, "More evening meetups."),
        (2, ""),
    }


def test_one_press_refuses_a_bad_optional_answer_beside_its_field(client, invitation):
    survey = invitation.survey
    scale = survey.questions.get(kind="scale5")
    single = survey.questions.get(kind="single")

    html = client.post(
        link(invitation), {"one_press": scale.pk, f"q{scale.pk}": "3", f"q{single.pk}": "other"}
    ).content.decode()

    assert "There is a problem" in html
    assert "Say what “other” means for you." in html
    assert '<details class="mb-4" open>' in html  # the field with the error is shown
    assert submit_buttons(html) == ["Send"]
    assert Response.objects.count() == 0


def test_an_option_that_is_not_one_opens_the_whole_check_in(client, invitation):
    scale = invitation.survey.questions.get(kind="scale5")

    response = client.get(link(invitation), {f"q{scale.pk}": "9"})
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="answer-9"' not in html
    assert submit_buttons(html)[-1] == "Send my answers"
    assert "(required)" in html


def test_one_press_naming_a_text_question_is_the_ordinary_form(client, invitation):
    survey = invitation.survey
    scale = survey.questions.get(kind="scale5")
    text = survey.questions.get(kind="text")

    html = client.post(
        link(invitation), {"one_press": text.pk, f"q{text.pk}": "Only words"}
    ).content.decode()

    # No answer chosen from the email: the check-in's required question is required again.
    assert f'href="#id_q{scale.pk}"' in html
    assert Response.objects.count() == 0


def test_the_link_after_answering_says_so_and_stores_nothing_more(client, invitation):
    scale = invitation.survey.questions.get(kind="scale5")
    client.post(link(invitation), {"one_press": scale.pk, f"q{scale.pk}": "4"})

    html = client.get(link(invitation), {f"q{scale.pk}": "1"}).content.decode()
    client.post(link(invitation), {"one_press": scale.pk, f"q{scale.pk}": "1"})

    assert "You have already answered this survey" in html
    assert len(released()) == 1
    assert Invitation.objects.get(pk=invitation.pk).completed is True


def test_one_press_works_for_a_choice_question(client):
    survey = survey_with_questions(is_checkin=True)
    invitation = InvitationFactory(survey=survey)
    # The choice question first: it is the one the email offers.
    survey.questions.filter(kind="scale5").update(position=9, required=False)
    single = survey.questions.get(kind="single")
    online = single.choices.get(label="Online")

    page = client.get(link(invitation)).content.decode()
    client.post(link(invitation), {"one_press": f"{single.pk}:{online.pk}"})

    assert "Your answer: <strong>Online</strong>" in one_press_part(page, f"answer-{online.pk}")
    [stored] = released()
    assert [a.choice_id for a in stored.answers.all()] == [online.pk]
