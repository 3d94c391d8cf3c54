"""Demo data that reads like a real community: each meeting described as what it is, socials
named for their season, answers that fit their questions, and consent recorded for everyone."""

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from meetings.demo_copy import DEMO_MEETINGS, demo_title
from meetings.models import Meeting
from members.contact import consent_recorded
from members.models import Member
from surveys.demo import GENERAL_ANSWERS, TEXT_ANSWERS
from surveys.models import Answer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "day", "expected"),
    [
        ("{season} social", date(2026, 12, 10), "End-of-year social"),
        ("{season} social", date(2027, 1, 20), "Winter social"),
        (
            "{season} social at the Botanic Gardens",
            date(2026, 7, 2),
            "Summer social at the Botanic Gardens",
        ),
        ("{season} social", date(2026, 10, 2), "Autumn social"),
        ("Case study clinic", date(2026, 1, 5), "Case study clinic"),
    ],
)
def test_socials_are_named_for_their_season(title, day, expected):
    assert demo_title(title, day) == expected


def test_each_demo_meeting_is_described_as_what_it_is():
    for demo in DEMO_MEETINGS:
        text = f"{demo.summary} {demo.description}"
        assert not re.search(r"\bA [aeiou]", text), demo.title
        if demo.hours >= 2:
            assert "an hour" not in text.lower() and "one hour" not in text.lower(), demo.title
    assert len({demo.description for demo in DEMO_MEETINGS}) == len(DEMO_MEETINGS)


def test_seeded_community_reads_well_and_has_consent_for_everyone():
    call_command("seed_demo", members=15, prospects=5, stdout=StringIO())

    summaries = list(Meeting.objects.values_list("summary", flat=True))
    assert summaries and not any(re.search(r"\bA [aeiou]", s) for s in summaries)
    descriptions = Meeting.objects.filter(ends_at__gt=F("starts_at") + timedelta(hours=1))
    assert not descriptions.filter(description__icontains="an informal hour").exists()
    assert Member.objects.filter(email_consent="").count() == 0
    prospects = Member.objects.filter(status="prospect")
    assert set(prospects.values_list("email_consent", flat=True)) == {"implied"}
    # Every demo prospect's implied consent still holds, so check-ins reach them after seeding.
    holds = prospects.filter(consent_recorded(today=timezone.localdate()))
    assert holds.count() == prospects.count()
    for answer in Answer.objects.exclude(text="").select_related("question"):
        assert answer.text in TEXT_ANSWERS.get(answer.question.text, GENERAL_ANSWERS)
