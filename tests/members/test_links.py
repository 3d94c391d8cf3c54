"""Signed links in emails: bound to their purpose, expiring, one exception for every failure."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import override_settings

from members import links
from members.links import InvalidLink, link_claims, link_token

ROOT = Path(settings.BASE_DIR)


def test_a_token_gives_back_its_claims_for_its_own_purpose():
    token = link_token(purpose="tests.one", claims={"a": 1, "b": "x"})

    assert link_claims(purpose="tests.one", token=token, required={"a"}) == {"a": 1, "b": "x"}


@pytest.mark.parametrize(
    "purpose, required, token_of",
    [
        ("tests.other", {"a"}, lambda t: t),  # signed for another purpose
        ("tests.one", {"a", "c"}, lambda t: t),  # a claim is missing
        ("tests.one", {"a"}, lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB")),
        ("tests.one", {"a"}, lambda t: "not-a-token"),
    ],
)
def test_a_foreign_incomplete_or_tampered_token_is_an_invalid_link(purpose, required, token_of):
    token = link_token(purpose="tests.one", claims={"a": 1})

    with pytest.raises(InvalidLink):
        link_claims(purpose=purpose, token=token_of(token), required=required)


def test_an_expired_token_is_an_invalid_link(monkeypatch):
    token = link_token(purpose="tests.one", claims={"a": 1})
    monkeypatch.setattr(links, "LINK_MAX_AGE", timedelta(seconds=-1))

    with pytest.raises(InvalidLink):
        link_claims(purpose="tests.one", token=token, required={"a"})


@override_settings(SITE_URL="https://cop.example.org")
def test_absolute_links_start_with_the_site_url():
    assert links.absolute_reverse("meetings:list") == "https://cop.example.org/meetings/"
    assert links.token_url("members:preferences", token="abc") == (
        "https://cop.example.org/members/preferences/abc/"
    )


@override_settings(SITE_URL="https://cop.example.org")
def test_templates_make_absolute_links_with_the_absolute_filter():
    rendered = Template("{% load links %}{{ path|absolute }}").render(Context({"path": "/about/"}))

    assert rendered == "https://cop.example.org/about/"


# The ways an absolute link could be made elsewhere, each with where it is allowed.
OTHER_WAYS = {
    # Joining SITE_URL to a path by hand, in Python or in a template.
    re.compile(r"SITE_URL\s*\+|SITE_URL\}/|SITE_URL\s*%|settings\.SITE_URL\s*,"): set(),
    re.compile(r"\{\{\s*site_url"): set(),
    re.compile(r"\bsite_url\b\s*[:=]|[\"']site_url[\"']"): set(),
    # The request's host: differs from SITE_URL behind a proxy, and absent in a worker.
    re.compile(r"build_absolute_uri"): set(),
    # A hard-coded address of the portal.
    re.compile(r"https?://(127\.0\.0\.1|localhost)[:/]"): {"copsite/settings.py"},
}


def app_files():
    for app in ("members", "meetings", "surveys", "resources", "announcements", "copsite"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path
    for suffix in ("*.html", "*.txt"):
        yield from sorted((ROOT / "templates").rglob(suffix))


def test_absolute_links_are_made_one_way_only():
    # members/links.py is the one place SITE_URL meets a path; templates use its filter.
    found = []
    for path in app_files():
        name = str(path.relative_to(ROOT))
        if name == "members/links.py":
            continue
        text = path.read_text()
        for pattern, allowed in OTHER_WAYS.items():
            if name not in allowed:
                found += [f"{name}: {m.group(0)}" for m in pattern.finditer(text)]

    assert found == []
