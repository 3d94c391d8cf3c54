"""Email links: a GET changes nothing; tampered, unknown, replayed, expired or foreign tokens
get nowhere."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from members import links
from surveys.models import Invitation, Response
from surveys.services.invitations import invitation_token
from tests.surveys.factories import InvitationFactory, survey_with_questions

pytestmark = pytest.mark.django_db


def link(invitation, token=None):
    token = token or invitation_token(invitation)
    return reverse("surveys:answer", args=[invitation.survey_id, token])


def valid_post(invitation):
    scale = invitation.survey.questions.get(kind="scale5")
    return {f"q{scale.pk}": "5"}


def test_get_shows_the_survey_and_changes_nothing(client):
    invitation = InvitationFactory(survey=survey_with_questions())

    response = client.get(link(invitation))
    client.get(link(invitation))

    assert response.status_code == 200
    assert "This survey is anonymous." in response.content.decode()
    invitation.refresh_from_db()
    assert not invitation.completed
    assert Response.objects.count() == 0


def test_post_stores_once_and_replay_says_already_answered(client):
    invitation = InvitationFactory(survey=survey_with_questions())

    first = client.post(link(invitation), valid_post(invitation))
    replay_get = client.get(link(invitation))
    replay_post = client.post(link(invitation), valid_post(invitation))

    assert first.status_code == 302
    assert first.url.startswith(reverse("surveys:thanks", args=[invitation.survey_id]) + "?p=")
    assert "You have already answered this survey" in replay_get.content.decode()
    assert "You have already answered this survey" in replay_post.content.decode()
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature tampered
        lambda t: "x" + t,  # payload tampered
        lambda t: "not-a-token",
        lambda t: signing.dumps({"s": 1, "i": 1, "n": "x"}, salt="another.purpose"),
    ],
)
def test_tampered_or_foreign_purpose_token_is_404(client, mangle):
    invitation = InvitationFactory(survey=survey_with_questions())
    token = mangle(invitation_token(invitation))

    get = client.get(link(invitation, token))
    post = client.post(link(invitation, token), valid_post(invitation))

    assert (get.status_code, post.status_code) == (404, 404)
    assert "Page not found" in get.content.decode()
    assert Response.objects.count() == 0


def test_token_of_another_survey_is_404(client):
    invitation = InvitationFactory(survey=survey_with_questions())
    other = InvitationFactory(survey=survey_with_questions())

    url = reverse("surveys:answer", args=[other.survey_id, invitation_token(invitation)])

    assert client.get(url).status_code == 404
    assert client.post(url, valid_post(invitation)).status_code == 404


def test_token_of_a_deleted_or_renewed_invitation_is_404(client):
    invitation = InvitationFactory(survey=survey_with_questions())
    url = link(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(nonce="renewed")

    assert client.get(url).status_code == 404


def test_link_after_survey_closes_shows_closed_and_stores_nothing(client):
    invitation = InvitationFactory(survey=survey_with_questions())
    url = link(invitation)
    invitation.survey.closes_at = timezone.now() - timedelta(seconds=1)
    invitation.survey.save()

    get = client.get(url)
    post = client.post(url, valid_post(invitation))

    assert "This survey is closed" in get.content.decode()
    assert "This survey is closed" in post.content.decode()
    assert Response.objects.count() == 0


def test_expired_signature_is_404(client, monkeypatch):
    invitation = InvitationFactory(survey=survey_with_questions())
    url = link(invitation)
    monkeypatch.setattr(links, "LINK_MAX_AGE", timedelta(seconds=-1))

    assert client.get(url).status_code == 404
