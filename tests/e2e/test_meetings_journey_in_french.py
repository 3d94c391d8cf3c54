"""A French-speaking member registers for a meeting in place and cancels, every page in French
and accessible; the confirmation email follows the language they chose."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Format, Kind, Registration
from tests.a11y import assert_accessible
from tests.e2e.test_meetings_journey import log_in
from tests.factories import member_with_account
from tests.meetings.factories import MeetingFactory, emails_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_french_member_registers_and_cancels_in_french(page, live_server):
    member = member_with_account(full_name="Chloé Roy", language="fr-ca")
    soon = timezone.now() + timedelta(days=10)
    meeting = MeetingFactory(
        title="Atelier Zotero",
        kind=Kind.WORKSHOP,
        format=Format.ONLINE,
        capacity=12,
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        description="Apportez votre portable.",
    )
    page.set_extra_http_headers({"Accept-Language": "fr-CA"})
    log_in(page, live_server, member.user)

    page.goto(live_server.url + "/meetings/")
    page.get_by_role("heading", level=1, name="Rencontres à venir").wait_for()
    assert page.get_by_text("0 place prise sur 12").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Atelier Zotero").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}")
    assert page.get_by_role("heading", name="À propos de cette rencontre").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="S'inscrire").click()
    page.get_by_text("Vous y serez.").wait_for()
    assert Registration.objects.get(member=member).status == "going"
    assert_accessible(page)
    [confirmation] = emails_to(member)
    assert confirmation.subject == "Inscription confirmée\u00a0: Atelier Zotero"

    page.get_by_role("link", name="Annuler mon inscription").click()
    page.get_by_role("heading", name="Annuler votre place?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    page.get_by_text("Votre inscription est annulée.").wait_for()
    assert Registration.objects.get(member=member).status == "cancelled"
    assert_accessible(page)
