"""A visitor finds who runs the community: the footer of every page leads to its about,
contact, privacy, conduct and accessibility pages, in English or French, and signup links the
privacy notice the person agrees to."""

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible

pytestmark = pytest.mark.browser

FOOTER_LINKS = {
    "About": "About the community",
    "Contact": "Contact the coordinators",
    "Privacy notice": "Privacy notice",
    "Code of conduct": "Code of conduct",
    "Accessibility": "Accessibility statement",
}
FRENCH_TITLES = {
    "/about/": "À propos de la communauté",
    "/contact/": "Nous joindre",
    "/privacy/": "Avis de confidentialité",
    "/code-of-conduct/": "Code de conduite",
    "/accessibility/": "Déclaration d'accessibilité",
}


def test_footer_leads_to_each_community_page(page, live_server):
    for link, title in FOOTER_LINKS.items():
        page.goto(live_server.url + "/meetings/")
        footer = page.get_by_role("contentinfo")
        footer.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        assert_accessible(page)


def test_community_pages_in_french_for_a_french_browser(browser, live_server):
    context = browser.new_context(locale="fr-CA")
    page = context.new_page()
    for path, title in FRENCH_TITLES.items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        assert page.evaluate("document.documentElement.lang") == "fr-ca"
        assert_accessible(page)
    context.close()


def test_signup_links_the_privacy_notice_it_asks_agreement_to(page, live_server):
    page.goto(live_server.url + "/accounts/signup/")
    consent = page.get_by_role("checkbox", name="I have read the privacy notice")
    expect(consent).not_to_be_checked()

    page.get_by_role("link", name="privacy notice", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(page.get_by_text("anti-spam law (CASL)")).to_be_visible()
