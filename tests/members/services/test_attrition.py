"""Attrition: at-risk members get a re-engagement check-in; no answer moves them to lapsed."""

import pytest
from django.core import mail

from members.models import EngagementEvent, Member, Reengagement
from members.services.attrition import attrition_run, members_at_risk
from members.services.engagement import engagement_record
from tests.factories import MemberFactory, ago, member_with_account

pytestmark = pytest.mark.django_db


def test_members_without_engagement_for_90_days_are_at_risk():
    quiet = MemberFactory(joined_at=ago(200))
    busy = MemberFactory(joined_at=ago(200))
    EngagementEvent.objects.create(member=busy, kind="attended", occurred_at=ago(10))
    logged_in = member_with_account(joined_at=ago(200))
    type(logged_in.user).objects.filter(pk=logged_in.user_id).update(last_login=ago(5))
    MemberFactory(joined_at=ago(30))  # new
    MemberFactory(joined_at=ago(200), status=Member.Status.LEFT)

    assert list(members_at_risk()) == [quiet]


def test_attrition_run_sends_one_reengagement_email_even_when_run_twice(
    django_capture_on_commit_callbacks,
):
    quiet = MemberFactory(full_name="Quiet Quinn", joined_at=ago(200))

    with django_capture_on_commit_callbacks(execute=True):
        first = attrition_run()
    with django_capture_on_commit_callbacks(execute=True):
        second = attrition_run()

    assert (first["invited"], second["invited"]) == (1, 0)
    assert Reengagement.objects.filter(member=quiet).count() == 1
    (message,) = mail.outbox
    assert message.subject == "Are you still with us, Quiet Quinn?"
    assert "/members/still-with-us/" in message.body
    assert "List-Unsubscribe" in message.extra_headers


def test_no_answer_after_30_more_days_lapses_with_history():
    quiet = MemberFactory(joined_at=ago(200))
    attrition_run(now=ago(31))

    result = attrition_run()

    quiet.refresh_from_db()
    assert result["lapsed"] == 1
    assert quiet.status == Member.Status.LAPSED
    change = quiet.status_changes.get()
    assert change.reason == "No answer to the re-engagement check-in for 30 days"
    assert Reengagement.objects.get(member=quiet).answer == "lapsed"


def test_any_engagement_clears_the_risk():
    quiet = MemberFactory(joined_at=ago(200))
    attrition_run(now=ago(31))

    engagement_record(member=quiet, kind="rsvp", source="meeting:1")
    result = attrition_run()

    quiet.refresh_from_db()
    assert result["lapsed"] == 0
    assert quiet.status == Member.Status.ACTIVE
    assert Reengagement.objects.get(member=quiet).answer == "engaged"
