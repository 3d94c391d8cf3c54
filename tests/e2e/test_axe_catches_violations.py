"""The accessibility check itself: with the options every browser test uses (WCAG tags, the
violations alone), axe-core still finds and names what is wrong on a page."""

import pytest

from tests.a11y import axe_check

pytestmark = pytest.mark.browser


def test_axe_reports_an_image_without_text_and_an_unlabelled_field(page):
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>'
        '<h1>Broken</h1><img src="data:,"><input type="text"></main></body></html>'
    )

    results = axe_check(page)

    found = {violation["id"] for violation in results.response["violations"]}
    assert {"image-alt", "label"} <= found


def test_axe_reports_faint_text_even_beside_a_decorated_pseudo_element(page):
    """Left to its defaults, axe gives up on a text whose ancestor paints a ::before (it calls
    it "incomplete", which these tests do not read); told to ignore pseudo-elements, as every
    browser test does, it measures the text and reports the failure."""
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Faint</title><style>'
        ".card{position:relative;padding:1rem}"
        ".card::before{content:'';position:absolute;inset:0;background:#fff}"
        ".faint{position:relative;color:#ccc}"
        '</style></head><body><main><h1>Faint</h1><div class="card">'
        '<p class="faint">Light grey on white</p></div></main></body></html>'
    )

    results = axe_check(page)

    found = {violation["id"] for violation in results.response["violations"]}
    assert "color-contrast" in found
