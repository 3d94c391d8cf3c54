"""axe-core checks for browser tests: zero WCAG 2.x A/AA violations on every page visited."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe-core details every node only for the result types asked for (one node each for the
# others): the violations are all a test reads, and asking for them alone takes about half the
# time of a full report.
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
_axe = Axe()


def axe_check(page):
    """axe-core's results for the page as it is now."""
    return _axe.run(page, options=OPTIONS)


def assert_accessible(page) -> None:
    results = axe_check(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
