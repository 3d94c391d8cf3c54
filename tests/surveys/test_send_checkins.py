"""The send_checkins command: a dry run, progress and totals, and what to do without a survey."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from members.models import OutgoingEmail
from surveys.models import Invitation
from tests.factories import MemberFactory
from tests.surveys.factories import long_ago

pytestmark = pytest.mark.django_db


def test_send_checkins_dry_run_writes_nothing(checkin_survey):
    MemberFactory.create_batch(2, joined_at=long_ago(60))
    out = StringIO()

    call_command("send_checkins", "--dry-run", stdout=out)

    assert "2 people due" in out.getvalue()
    assert "Dry run: nothing was written or sent." in out.getvalue()
    assert Invitation.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_send_checkins_command_reports_progress_and_totals(
    checkin_survey, django_capture_on_commit_callbacks
):
    MemberFactory.create_batch(2, joined_at=long_ago(60))
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_checkins", stdout=out)

    assert "people scheduled: 2/2" in out.getvalue()
    assert "Invited 2; 2 emails queued for the workers." in out.getvalue()
    assert len(mail.outbox) == 2


def test_no_open_checkin_survey_says_what_to_do():
    MemberFactory(joined_at=long_ago(60))
    out = StringIO()

    call_command("send_checkins", stdout=out)

    assert "No check-in survey is open" in out.getvalue()
    assert Invitation.objects.count() == 0
