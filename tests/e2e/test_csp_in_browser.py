"""The strict Content-Security-Policy holds in a real browser: no page, htmx swap or admin page
needs anything it forbids (Chromium reports every refusal as a securitypolicyviolation event)."""

import pytest
from playwright.sync_api import expect

from meetings.models import Registration
from tests.e2e.test_meetings_journey import log_in
from tests.factories import UserFactory, member_with_account
from tests.meetings.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_pages_htmx_and_the_admin_run_under_the_policy(page, live_server):
    page.add_init_script(RECORD_VIOLATIONS)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    member = member_with_account()
    meeting = MeetingFactory(title="Open stacks")
    log_in(page, live_server, member.user)

    for path in ["/", "/meetings/", "/resources/", "/members/me/"]:
        page.goto(live_server.url + path)
        assert violations(page) == [], path
    page.goto(live_server.url + meeting.get_absolute_url())
    page.get_by_role("button", name="Register").click()  # an htmx swap in place
    expect(page.get_by_text("You are going")).to_be_visible()
    assert violations(page) == []
    assert Registration.objects.get(meeting=meeting).member == member

    log_in(page, live_server, UserFactory(is_staff=True, is_superuser=True))
    for path in ["/admin/", "/admin/meetings/meeting/", f"/admin/meetings/meeting/{meeting.pk}/"]:
        page.goto(live_server.url + path)
        assert violations(page) == [], path
    assert refused == []

    # The recorder itself works: an inline style attribute is refused and reported.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any(v.startswith("style-src") for v in violations(page))
