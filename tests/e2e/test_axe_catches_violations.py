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
