"""How re-engagements ended, over the period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from copsite.dashboard.at_risk import reengagement_outcomes
from members.models import Reengagement
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_reengagement_outcomes_count_those_closed_in_the_period():
    now = timezone.now()
    for answer, closed_days_ago in [("stay", 10), ("stay", 20), ("lapsed", 5), ("leave", 400)]:
        Reengagement.objects.create(
            member=MemberFactory(),
            sent_at=now - timedelta(days=closed_days_ago + 5),
            closed_at=now - timedelta(days=closed_days_ago),
            answer=answer,
        )
    Reengagement.objects.create(member=MemberFactory(), sent_at=now)  # still open

    table = reengagement_outcomes(months=6, now=now)

    assert dict(table.rows) == {
        "Stay": 2,
        "Pause check-ins for three months": 0,
        "Leave the community": 0,
        "Took part again": 0,
        "No answer: lapsed": 1,
    }
