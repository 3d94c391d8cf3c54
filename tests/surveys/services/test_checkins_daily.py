"""The daily entry point: attrition first, then the round, and nobody gets two check-ins on one
morning or a check-in they unsubscribed from."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from members.contact import member_unsubscribe
from members.models import OutgoingEmail, Reengagement
from surveys.models import Invitation, Survey
from surveys.services.checkins import checkins_daily_run
from surveys.services.copying import survey_copy
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkin_survey():
    return survey_copy(
        survey=Survey.objects.get(title="Community check-in (template)"),
        title="Community check-in",
        opens_at=timezone.now() - timedelta(days=400),
        days_open=800,
    )


def ago(days):
    return timezone.now() - timedelta(days=days)


def test_someone_who_unsubscribed_from_checkins_gets_no_reengagement_email(
    checkin_survey, django_capture_on_commit_callbacks
):
    quiet = MemberFactory(joined_at=ago(200))
    member_unsubscribe(member=quiet, kind=OutgoingEmail.Kind.CHECKIN)

    with django_capture_on_commit_callbacks(execute=True):
        report = checkins_daily_run()

    assert (report.attrition["invited"], report.round.invited) == (0, 0)
    assert Reengagement.objects.count() == 0
    assert mail.outbox == []


def test_a_member_at_risk_and_due_a_checkin_gets_only_the_reengagement_email(
    checkin_survey, django_capture_on_commit_callbacks
):
    at_risk = MemberFactory(full_name="Quiet Quinn", joined_at=ago(200))
    due_only = MemberFactory(full_name="Busy Bea", joined_at=ago(200))
    due_only.engagement_events.create(kind="attended", occurred_at=ago(10))

    with django_capture_on_commit_callbacks(execute=True):
        report = checkins_daily_run()

    assert (report.attrition["invited"], report.round.invited) == (1, 1)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (at_risk.email, "Are you still with us, Quiet Quinn?"),
            (due_only.email, "Busy Bea, how is the community working for you?"),
        ]
    )
    assert list(Invitation.objects.values_list("member_id", flat=True)) == [due_only.pk]


def test_the_open_reengagement_keeps_the_member_out_of_later_rounds_too(checkin_survey):
    at_risk = MemberFactory(joined_at=ago(200))
    checkins_daily_run(now=ago(2))

    report = checkins_daily_run()

    assert report.round.invited == 0
    assert not Invitation.objects.filter(member=at_risk).exists()


def test_a_dry_run_counts_both_and_writes_nothing(checkin_survey):
    MemberFactory(joined_at=ago(200))  # at risk
    due_only = MemberFactory(joined_at=ago(200))
    due_only.engagement_events.create(kind="attended", occurred_at=ago(10))
    out = StringIO()

    call_command("send_checkins", "--dry-run", stdout=out)

    assert "Re-engagement check-ins due: 1." in out.getvalue()
    assert "1 people due." in out.getvalue()
    assert Reengagement.objects.count() == 0
    assert Invitation.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
