"""Check-in rounds: who is due, recorded once per person and round, then sent."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from members.models import Member, OutgoingEmail
from surveys.models import Invitation
from surveys.services.checkins import checkin_round_run, members_due_for_checkin
from tests.factories import MemberFactory
from tests.surveys.factories import InvitationFactory, long_ago

pytestmark = pytest.mark.django_db


def test_members_due_follow_their_cadence(checkin_survey):
    monthly_due = MemberFactory(checkin_cadence="monthly", joined_at=long_ago(200))
    InvitationFactory(survey=checkin_survey, member=monthly_due, round=1, created_at=long_ago(31))
    monthly_recent = MemberFactory(checkin_cadence="monthly", joined_at=long_ago(200))
    InvitationFactory(
        survey=checkin_survey, member=monthly_recent, round=1, created_at=long_ago(10)
    )
    quarterly_due = MemberFactory(checkin_cadence="quarterly", joined_at=long_ago(200))
    InvitationFactory(survey=checkin_survey, member=quarterly_due, round=1, created_at=long_ago(95))
    quarterly_recent = MemberFactory(checkin_cadence="quarterly", joined_at=long_ago(200))
    InvitationFactory(
        survey=checkin_survey, member=quarterly_recent, round=1, created_at=long_ago(60)
    )
    never_checked_in = MemberFactory(joined_at=long_ago(40))
    MemberFactory(joined_at=long_ago(5))  # first month: the welcome email is enough
    prospect = MemberFactory(status=Member.Status.PROSPECT, created_at=long_ago(60), joined_at=None)
    MemberFactory(checkin_cadence="paused", joined_at=long_ago(200))
    MemberFactory(status=Member.Status.LEFT, joined_at=long_ago(200))
    MemberFactory(status=Member.Status.LAPSED, joined_at=long_ago(200))
    MemberFactory(email_bounced_at=timezone.now(), joined_at=long_ago(200))

    due = set(members_due_for_checkin())

    assert due == {monthly_due, quarterly_due, never_checked_in, prospect}


def test_round_records_invitations_and_emails_once_even_when_run_twice(
    checkin_survey, django_capture_on_commit_callbacks
):
    people = MemberFactory.create_batch(3, joined_at=long_ago(60))

    with django_capture_on_commit_callbacks(execute=True):
        first = checkin_round_run()
    with django_capture_on_commit_callbacks(execute=True):
        second = checkin_round_run()

    assert (first.due, first.invited, first.queued) == (3, 3, 3)
    assert (second.due, second.invited, second.queued) == (0, 0, 0)
    assert Invitation.objects.filter(survey=checkin_survey).count() == 3
    assert OutgoingEmail.objects.filter(kind="checkin", state="sent").count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_checkin_email_carries_name_first_question_links_and_unsubscribe_headers(
    checkin_survey, django_capture_on_commit_callbacks, client
):
    member = MemberFactory(full_name="Rosa Quinn", joined_at=long_ago(60))

    with django_capture_on_commit_callbacks(execute=True):
        checkin_round_run()

    message = mail.outbox[0]
    assert message.subject == "Rosa Quinn, how is the community working for you?"
    assert "How valuable has the community been to you lately?" in message.body
    links = re.findall(r"(http://\S+/surveys/\d+/r/\S+/#answer-\d)", message.body)
    assert len(links) == 5
    # The answer is in the fragment only: what a browser sends, and a log keeps, has none.
    for part in (message.body, message.alternatives[0][0]):
        assert not re.search(r"/surveys/\d+/r/[^\s\"]*\?", part)
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<http://\S+/members/unsubscribe/\S+/>, <mailto:\S+>", unsubscribe)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Opening an option's link (as a mail scanner would) shows its part, stores nothing.
    page = client.get(links[3].replace("http://127.0.0.1:8000", "").split("#")[0])
    assert page.status_code == 200
    assert 'id="answer-4"' in page.content.decode()
    assert not Invitation.objects.get(member=member).completed
