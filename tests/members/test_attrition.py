"""Attrition: at-risk members get a re-engagement check-in; no answer moves them to lapsed."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import EngagementEvent, Member, Reengagement
from members.services.attrition import attrition_run, members_at_risk, reengagement_token
from members.services.engagement import engagement_record
from surveys.services.checkins import members_due_for_checkin
from tests.factories import MemberFactory, member_with_account

pytestmark = pytest.mark.django_db


def ago(days):
    return timezone.now() - timedelta(days=days)


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


def page_url(member):
    attrition_run()
    check = Reengagement.objects.get(member=member)
    return reverse("members:reengagement", args=[reengagement_token(reengagement=check)])


def test_page_get_changes_nothing_and_offers_three_posts(client):
    quiet = MemberFactory(joined_at=ago(200))
    url = page_url(quiet)

    html = client.get(url).content.decode()

    assert len(re.findall(r'<button type="submit" name="answer"', html)) == 3
    assert Reengagement.objects.get(member=quiet).closed_at is None


def test_pause_stops_checkins_for_three_months(client):
    quiet = MemberFactory(joined_at=ago(200))

    client.post(page_url(quiet), {"answer": "pause"})

    quiet.refresh_from_db()
    assert quiet.checkins_paused_until == timezone.localdate() + timedelta(days=91)
    assert quiet not in members_due_for_checkin()
    assert quiet.status == Member.Status.ACTIVE


def test_leave_records_the_member_leaving(client):
    quiet = MemberFactory(joined_at=ago(200))

    html = client.post(page_url(quiet), {"answer": "leave"}).content.decode()

    quiet.refresh_from_db()
    assert quiet.status == Member.Status.LEFT
    assert "You have left the community" in html


def test_stay_keeps_them_and_counts_as_engagement(client):
    quiet = MemberFactory(joined_at=ago(200))

    client.post(page_url(quiet), {"answer": "stay"})

    assert list(members_at_risk()) == []
    assert Reengagement.objects.get(member=quiet).answer == "stay"


def test_bad_answer_or_token_changes_nothing(client):
    quiet = MemberFactory(joined_at=ago(200))
    url = page_url(quiet)

    bad_answer = client.post(url, {"answer": "explode"})
    bad_token = client.post(reverse("members:reengagement", args=["forged"]), {"answer": "leave"})

    assert "Choose one of the three buttons." in bad_answer.content.decode()
    assert bad_token.status_code == 404
    quiet.refresh_from_db()
    assert quiet.status == Member.Status.ACTIVE
    assert Reengagement.objects.get(member=quiet).closed_at is None


def test_logging_in_counts_as_engagement(client):
    member = member_with_account(joined_at=ago(200))

    client.post(
        reverse("account_login"),
        {"login": member.email, "password": "correct horse battery staple"},
    )

    assert list(EngagementEvent.objects.filter(member=member).values_list("kind", flat=True)) == [
        "login"
    ]
    assert list(members_at_risk()) == []
