"""A French member's check-in, from the email to the thank-you page, in French and accessible:
the shipped check-in's question and options, the one-press page, the anonymity promise."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Invitation, Survey
from surveys.services.checkins import checkin_round_run
from surveys.services.copying import survey_copy
from tests.a11y import assert_accessible
from tests.factories import MemberFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _release_at_once(settings):
    settings.SURVEY_ANONYMITY_BATCH = 1


def shipped_checkin_template() -> Survey:
    """The shipped check-in template, in both languages. A live-server test empties the tables
    after it: then its migrations put it back."""
    if not Survey.objects.filter(title="Community check-in (template)").exists():
        importlib.import_module("surveys.migrations.0002_shipped_templates").ship(apps, None)
        importlib.import_module("surveys.migrations.0008_shipped_templates_in_french").translate(
            apps, None
        )
    return Survey.objects.get(title="Community check-in (template)")


def test_french_member_answers_the_checkin_in_french(page, live_server, settings):
    settings.SITE_URL = live_server.url
    survey = survey_copy(
        survey=shipped_checkin_template(),
        title="Community check-in",
        title_fr="Prise de nouvelles de la communauté",
        opens_at=timezone.now() - timedelta(days=1),
    )
    member = MemberFactory(language="fr-ca", joined_at=timezone.now() - timedelta(days=60))
    checkin_round_run()
    [email] = [message for message in mail.outbox if message.to == [member.email]]
    assert "Ces derniers temps, dans quelle mesure la communauté" in email.body
    link = re.search(r"^  5 – Très utile: (\S+)$", email.body, re.M).group(1)
    page.set_extra_http_headers({"Accept-Language": "fr-CA"})

    page.goto(link)

    expect(page.get_by_role("heading", level=1)).to_have_text("Prise de nouvelles de la communauté")
    expect(page.get_by_text("Votre réponse\u00a0: 5 – Très utile")).to_be_visible()
    expect(page.get_by_text("Ce sondage est anonyme.")).to_be_visible()
    assert page.get_by_role("button").all_inner_texts() == ["Envoyer"]
    assert_accessible(page)

    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci")
    assert_accessible(page)
    assert Invitation.objects.get(member=member, survey=survey).completed is True
