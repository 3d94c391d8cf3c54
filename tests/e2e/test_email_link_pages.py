"""Pages reached from email links, without logging in: usable and accessible."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Member, Reengagement
from members.outbox.bulk import unsubscribe_token
from members.services.attrition import attrition_run, reengagement_token
from tests.a11y import assert_accessible
from tests.factories import MemberFactory

pytestmark = pytest.mark.browser


def test_unsubscribe_and_reengagement_pages_by_keyboard(page, live_server):
    member = MemberFactory(full_name="Sol Quiet", joined_at=timezone.now() - timedelta(days=200))
    attrition_run()
    check = Reengagement.objects.get(member=member)

    page.goto(
        live_server.url + f"/members/unsubscribe/{unsubscribe_token(member=member, kind='digest')}/"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert_accessible(page)

    page.goto(live_server.url + f"/members/still-with-us/{reengagement_token(reengagement=check)}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Are you still with us")
    assert_accessible(page)
    page.get_by_role("button", name="Pause check-ins for three months").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(page)

    member.refresh_from_db()
    assert member.wants_digest is False
    assert member.checkins_paused_until is not None
    assert member.status == Member.Status.ACTIVE
