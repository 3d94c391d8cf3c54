"""axe-core checks for browser tests: zero WCAG 2.x A/AA violations on every page visited."""

from weakref import WeakSet

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe-core details every node only for the result types asked for (one node each for the
# others): the violations are all a test reads, and asking for them alone takes about half the
# time of a full report.
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
_axe = Axe()
# axe-core's colour-contrast check walks every text's ancestors looking for a ::before or
# ::after that might paint behind it, and where it finds one it gives up: the text is
# "incomplete" (for a person to review), never a violation. These tests read violations only,
# so that walk could only ever hide a contrast failure; told to ignore pseudo-elements, axe
# measures those texts too (tests/e2e/test_axe_catches_violations.py).
# (axe.configure replaces a check's options whole: the others must be handed back with it, or
# the check fails on every text and reports nothing.)
CONFIGURE = """(() => {
  const defaults = axe._audit.checks["color-contrast"].options;
  axe.configure({checks: [{id: "color-contrast", options: {...defaults, ignorePseudo: true}}]});
})();"""
_script = f"{_axe.axe_script}\n{CONFIGURE}"
# Browser contexts that load axe-core into each new page themselves.
_loading_axe = WeakSet()
RUN = "options => typeof window.axe === 'object' ? window.axe.run(options) : null"


def axe_check(page):
    """axe-core's results for the page as it is now.

    axe-core (570 KB of script) is handed to the page's browser context once, as a script
    every new page of it runs first, instead of being sent over to each page checked: the
    browser keeps it compiled, and a check costs about a third less."""
    if page.context not in _loading_axe:
        page.context.add_init_script(_script)
        _loading_axe.add(page.context)
    results = page.evaluate(RUN, OPTIONS)
    if results is None:  # a page opened before its context loaded axe-core
        page.evaluate(_script)
        results = page.evaluate(RUN, OPTIONS)
    return AxeResults(results)


def assert_accessible(page) -> None:
    results = axe_check(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
