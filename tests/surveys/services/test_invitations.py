"""Invitations: who is invited and reminded, once; and the email links, where a GET changes
nothing and tampered, unknown, replayed, expired or foreign tokens get nowhere."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from members import links
from members.models import Member, OutgoingEmail
from surveys.models import HeldResponse, Invitation, Response
from surveys.services.invitations import (
    invitation_token,
    invitations_create,
    invitations_remind,
    survey_audience,
)
from tests.factories import MemberFactory, sector
from tests.surveys.factories import InvitationFactory, SurveyFactory, survey_with_questions

pytestmark = pytest.mark.django_db


def test_audience_by_status_and_sector_skips_bounced():
    survey = SurveyFactory(audience_statuses=["active", "prospect"])
    survey.audience_sectors.set([sector("health")])
    wanted = MemberFactory(sector=sector("health"))
    prospect = MemberFactory(sector=sector("health"), status=Member.Status.PROSPECT)
    MemberFactory(sector=sector("public"))
    MemberFactory(sector=sector("health"), status=Member.Status.LEFT)
    MemberFactory(sector=sector("health"), email_bounced_at=timezone.now())

    audience = set(survey_audience(survey=survey))

    assert audience == {wanted, prospect}


def test_invitations_create_invites_each_person_once_and_emails_once(
    django_capture_on_commit_callbacks,
):
    survey = SurveyFactory(title="Autumn check-in")
    members = MemberFactory.create_batch(3)

    with django_capture_on_commit_callbacks(execute=True):
        first = invitations_create(survey=survey)
    with django_capture_on_commit_callbacks(execute=True):
        second = invitations_create(survey=survey)

    assert (first, second) == (3, 0)
    assert Invitation.objects.filter(survey=survey).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    message = mail.outbox[0]
    assert message.subject == "Autumn check-in: a few minutes of your time"
    assert f"/surveys/{survey.pk}/r/" in message.body
    assert "It is anonymous" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/members/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_reminders_go_only_to_those_who_have_not_answered_with_gap_and_cap(
    django_capture_on_commit_callbacks, settings
):
    settings.SURVEY_REMINDER_MAX = 2
    settings.SURVEY_REMINDER_MIN_GAP_DAYS = 5
    survey = survey_with_questions()
    long_ago = timezone.now() - timedelta(days=6)
    waiting = InvitationFactory(survey=survey, sent_at=long_ago)
    InvitationFactory(survey=survey, sent_at=long_ago, completed=True)
    recent = InvitationFactory(survey=survey, sent_at=timezone.now())  # too recent, for now
    InvitationFactory(survey=survey, sent_at=long_ago, member__email_bounced_at=timezone.now())
    InvitationFactory(survey=survey, sent_at=long_ago, member__status="left")

    with django_capture_on_commit_callbacks(execute=True):
        first = invitations_remind(survey=survey)
        again_now = invitations_remind(survey=survey)
    later = timezone.now() + timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        second = invitations_remind(survey=survey, now=later)
    with django_capture_on_commit_callbacks(execute=True):
        third = invitations_remind(survey=survey, now=later + timedelta(days=6))
        capped = invitations_remind(survey=survey, now=later + timedelta(days=12))

    # first: only `waiting`; second: `waiting` again and `recent`, now old enough;
    # third: `recent` again (`waiting` has had its two); then both are capped.
    assert (first, again_now, second, third, capped) == (1, 0, 2, 1, 0)
    waiting.refresh_from_db()
    recent.refresh_from_db()
    assert (waiting.reminders_sent, recent.reminders_sent) == (2, 2)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([waiting.member.email] * 2 + [recent.member.email] * 2)
    assert mail.outbox[0].subject.startswith("Reminder: ")


def test_outbox_rows_for_invitations_have_survey_kind(django_capture_on_commit_callbacks):
    survey = SurveyFactory()
    MemberFactory()

    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(survey=survey)

    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["survey"]


# --- The link in the invitation --------------------------------------------------------------


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
    assert HeldResponse.objects.count() == 1  # anonymous: held until its batch fills


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

    get = client.get(url)
    post = client.post(url, valid_post(invitation))

    assert (get.status_code, post.status_code) == (404, 404)
    assert "Page not found" in get.content.decode()
    assert Response.objects.count() == 0


def test_token_of_a_deleted_or_renewed_invitation_is_404(client):
    invitation = InvitationFactory(survey=survey_with_questions())
    url = link(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(nonce="renewed")

    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


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

    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
