"""A personal check-in from the at-risk list: signed by the coordinator, once, through the
outbox, and never against the person's own choices."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from members.models import Member, OutgoingEmail, Reengagement
from members.services.attrition import (
    PersonalCheckinRefused,
    attrition_run,
    members_at_risk,
    personal_checkin_send,
)
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def coordinator():
    return UserFactory(email="casey@example.org", first_name="Casey", last_name="Coordinator")


def test_personal_checkin_is_signed_sent_through_the_outbox_and_answerable(
    coordinator, client, django_capture_on_commit_callbacks
):
    quiet = MemberFactory(full_name="Quinn Quiet", joined_at=ago(200))

    with django_capture_on_commit_callbacks(execute=True):
        reengagement = personal_checkin_send(member=quiet, sent_by=coordinator)

    assert (reengagement.member, reengagement.sent_by) == (quiet, coordinator)
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.state, email.to_email) == ("checkin", "sent", quiet.email)
    (message,) = mail.outbox
    assert message.subject.startswith("Quinn Quiet, how are things? (Casey Coordinator")
    assert message.extra_headers["Reply-To"] == "casey@example.org"
    assert "List-Unsubscribe" in message.extra_headers
    assert "Casey Coordinator\nfor the coordinators" in message.body
    link = re.search(r"(http://\S+/members/still-with-us/\S+)", message.body).group(1)
    assert client.get(link).status_code == 200


def test_personal_checkin_counts_as_the_reengagement_so_the_daily_run_sends_no_second(
    coordinator,
):
    quiet = MemberFactory(joined_at=ago(200))
    personal_checkin_send(member=quiet, sent_by=coordinator)

    assert list(members_at_risk()) == []
    assert attrition_run()["invited"] == 0


def test_second_personal_checkin_before_an_answer_is_refused(coordinator):
    quiet = MemberFactory(full_name="Quinn Quiet", joined_at=ago(200))
    personal_checkin_send(member=quiet, sent_by=coordinator)

    with pytest.raises(PersonalCheckinRefused, match="already sent a check-in"):
        personal_checkin_send(member=quiet, sent_by=coordinator)

    assert Reengagement.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.parametrize(
    ("person", "reason"),
    [
        ({"checkin_cadence": "paused"}, "has paused check-ins"),
        ({"checkins_paused_until": timezone.localdate() + timedelta(days=30)}, "paused"),
        ({"email_bounced_at": timezone.now()}, "bounces"),
        ({"status": Member.Status.LAPSED}, "is not an active member"),
    ],
    ids=["paused", "paused-for-now", "bounced", "lapsed"],
)
def test_personal_checkin_respects_the_persons_choices(coordinator, person, reason):
    member = MemberFactory(joined_at=ago(200), **person)

    with pytest.raises(PersonalCheckinRefused, match=reason):
        personal_checkin_send(member=member, sent_by=coordinator)

    assert OutgoingEmail.objects.count() == 0
