from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from members.models import EngagementEvent, Member, OutgoingEmail
from surveys.forms import AnswerForm
from surveys.models import Answer, Invitation, Question, Response, Survey
from surveys.services.answering import AlreadyAnswered, SurveyClosed, response_submit
from surveys.services.copying import survey_copy
from surveys.services.invitations import invitations_create, invitations_remind, survey_audience
from tests.factories import MemberFactory, sector
from tests.surveys.factories import InvitationFactory, SurveyFactory, survey_with_questions

pytestmark = pytest.mark.django_db


def answers_for(survey, member=None, **data):
    questions = survey.questions.for_respondent(member)
    form = AnswerForm(data, questions=questions)
    assert form.is_valid(), form.errors
    return form.answers()


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


def test_response_submit_stores_answers_and_completes_invitation():
    survey = survey_with_questions(is_anonymous=False)
    invitation = InvitationFactory(survey=survey)
    q = {question.kind: question for question in survey.questions.all()}
    online = q["single"].choices.get(label="Online")
    talks = q["multiple"].choices.get(label="Talks")

    response = response_submit(
        invitation=invitation,
        answers=answers_for(
            survey,
            **{
                f"q{q['scale5'].pk}": "4",
                f"q{q['single'].pk}": str(online.pk),
                f"q{q['multiple'].pk}": [str(talks.pk)],
                f"q{q['text'].pk}": " Hi ",
                f"q{q['yesno'].pk}": "yes",
                f"q{q['scale10'].pk}": "9",
            },
        ),
    )

    invitation.refresh_from_db()
    assert invitation.completed
    assert response.member == invitation.member
    assert response.sector == invitation.member.sector
    stored = {(a.question.kind, a.choice_id, a.number, a.text) for a in response.answers.all()}
    assert stored == {
        ("scale5", None, 4, ""),
        ("single", online.pk, None, ""),
        ("multiple", talks.pk, None, ""),
        ("text", None, None, "Hi"),
        ("yesno", None, 1, ""),
        ("scale10", None, 9, ""),
    }
    event = EngagementEvent.objects.get(member=invitation.member)
    assert (event.kind, event.source) == ("responded", f"survey:{survey.pk}")


def test_response_submit_twice_is_refused_and_stores_nothing_more():
    survey = survey_with_questions()
    invitation = InvitationFactory(survey=survey)
    scale = survey.questions.get(kind="scale5")
    answers = answers_for(survey, **{f"q{scale.pk}": "3"})
    response_submit(invitation=invitation, answers=answers)

    with pytest.raises(AlreadyAnswered):
        response_submit(invitation=invitation, answers=answers)

    assert Response.objects.count() == 1
    assert Answer.objects.count() == 1


def test_response_submit_after_closing_is_refused():
    survey = survey_with_questions()
    invitation = InvitationFactory(survey=survey)
    scale = survey.questions.get(kind="scale5")
    answers = answers_for(survey, **{f"q{scale.pk}": "3"})
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    invitation.refresh_from_db()

    with pytest.raises(SurveyClosed):
        response_submit(invitation=invitation, answers=answers)

    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert not invitation.completed


def test_response_submit_refuses_a_choice_of_another_survey():
    survey = survey_with_questions()
    other = survey_with_questions()
    invitation = InvitationFactory(survey=survey)
    foreign_choice = other.questions.get(kind="single").choices.first()
    question = survey.questions.get(kind="single")

    with pytest.raises(ValueError):
        response_submit(invitation=invitation, answers=[(question, foreign_choice.pk, None, "")])

    assert Response.objects.count() == 0


def test_questions_for_members_and_non_members_differ():
    survey = SurveyFactory()
    Question.objects.create(survey=survey, kind="text", text="Everyone")
    Question.objects.create(survey=survey, kind="text", text="Members", audience="members")
    Question.objects.create(survey=survey, kind="text", text="Others", audience="non_members")

    member_view = [q.text for q in survey.questions.for_respondent(MemberFactory())]
    prospect = MemberFactory(status=Member.Status.PROSPECT)
    prospect_view = [q.text for q in survey.questions.for_respondent(prospect)]

    assert member_view == ["Everyone", "Members"]
    assert prospect_view == ["Everyone", "Others"]


def test_survey_copy_of_shipped_template_copies_questions_and_choices():
    template = Survey.objects.get(title="Community review (template)")

    copy = survey_copy(survey=template)

    assert copy.title == "Community review"
    assert copy.is_open()
    assert [q.text for q in copy.questions.all()] == [q.text for q in template.questions.all()]
    assert copy.questions.get(text__startswith="Why did you decide").choices.count() == 6
    assert template.questions.count() == 12


def test_outbox_rows_for_invitations_have_survey_kind(django_capture_on_commit_callbacks):
    survey = SurveyFactory()
    MemberFactory()

    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(survey=survey)

    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["survey"]
