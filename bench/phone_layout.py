"""Measure: where things land on a small phone (375 × 667 px), as a visitor and as a member.

Run against a portal with the demo data, e.g. `make run` in one terminal, then
    .venv/bin/python bench/phone_layout.py [--url http://127.0.0.1:8000]
It prints, for the meetings, resources and member lists, the top of the first result (the
screen is 667 px tall), the header's height, and on a meeting's page the top of the
registration box and of the description. With no portal at the address it says so and stops
(so that `make bench` passes without one). tests/e2e/test_phone_layout.py asserts the bounds.
"""

import argparse
import shutil
import sys
import urllib.request

from playwright.sync_api import sync_playwright

PHONE = {"width": 375, "height": 667}
LISTS = [
    ("meetings", "/meetings/", ".meeting-card"),
    ("resources", "/resources/", "main ul.list-unstyled > li"),
    ("members", "/members/", ".member-card"),
]


def top(page, selector):
    box = page.locator(selector).first.bounding_box() if page.locator(selector).count() else None
    return round(box["y"]) if box else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", default="member@example.org")
    parser.add_argument("--password", default="librarians-demo")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    try:
        urllib.request.urlopen(base + "/healthz", timeout=5)  # noqa: S310 -- a URL given by the person running it
    except OSError:
        print(f"No portal answers at {base}; start one with `make run` and run this again.")
        return 0
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    print(f"{'who':<8} {'page':<22} {'first result top':>16} {'header height':>14}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for who in ("visitor", "member"):
            context = browser.new_context(viewport=PHONE, is_mobile=True)
            page = context.new_page()
            if who == "member":
                page.goto(base + "/accounts/login/")
                page.fill("#id_login", args.email)
                page.fill("#id_password", args.password)
                page.click("main button[type=submit]")
                page.wait_for_load_state()
            for name, path, selector in LISTS:
                page.goto(base + path)
                header = round(page.locator("header").bounding_box()["height"])
                print(f"{who:<8} {name:<22} {top(page, selector)!s:>16} {header:>14}")
            page.goto(base + "/meetings/")
            if page.locator(".meeting-card a").count():
                page.locator(".meeting-card a").first.click()
                page.wait_for_load_state()
                print(
                    f"{who:<8} {'meeting: register box':<22} {top(page, '#rsvp')!s:>16}\n"
                    f"{who:<8} {'meeting: description':<22} "
                    f"{top(page, '.meeting-description')!s:>16}"
                )
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
