"""Fixtures shared by the check-in round's tests (the service and the send_checkins command)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import Survey
from surveys.services.copying import survey_copy


@pytest.fixture
def checkin_survey():
    return survey_copy(
        survey=Survey.objects.get(title="Community check-in (template)"),
        title="Community check-in",
        title_fr="Prise de nouvelles de la communauté",
        opens_at=timezone.now() - timedelta(days=400),
        days_open=800,
    )
