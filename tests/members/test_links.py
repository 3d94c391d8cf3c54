"""Signed links in emails: bound to their purpose, expiring, one exception for every failure."""

from datetime import timedelta

import pytest
from django.test import override_settings

from members import links
from members.links import InvalidLink, link_claims, link_token


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
