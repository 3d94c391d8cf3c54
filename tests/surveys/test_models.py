"""A survey's status: templates and drafts never open, whatever their dates say."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from surveys.models import Survey
from tests.surveys.factories import SurveyFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("status", "is_open"),
    [(Survey.Status.SCHEDULED, True), (Survey.Status.DRAFT, False), ("template", False)],
)
def test_only_scheduled_surveys_open_between_their_dates(status, is_open):
    survey = SurveyFactory(status=status)

    assert survey.is_open() is is_open
    assert list(Survey.objects.open().filter(pk=survey.pk)) == ([survey] if is_open else [])


def test_shipped_templates_are_marked_as_templates():
    titles = set(Survey.objects.filter(status="template").values_list("title", flat=True))

    assert titles == {"Community check-in (template)", "Community review (template)"}


def test_state_label_says_template_draft_opens_open_or_closed():
    now = datetime(2026, 11, 10, 12, tzinfo=LONDON)
    opens, closes = datetime(2026, 11, 1, tzinfo=LONDON), datetime(2026, 12, 1, tzinfo=LONDON)
    survey = Survey(opens_at=opens, closes_at=closes)

    with timezone.override(LONDON):
        assert survey.state_label(now - timedelta(days=20)) == "Opens 1 Nov 2026"
        assert survey.state_label(now) == "Open until 1 Dec 2026"
        assert survey.state_label(now + timedelta(days=30)) == "Closed 1 Dec 2026"
        survey.status = Survey.Status.DRAFT
        assert survey.state_label(now) == "Draft"
