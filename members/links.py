"""Links the portal puts in emails: absolute URLs, and signed tokens that work without logging in.

Every emailed link is built here, so there is one way to sign one (Django's signing, a salt per
purpose, one lifetime, one exception) and one source of absolute URLs (SITE_URL).
"""

import functools
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

# People act on old emails: a link stays usable for a long time. A purpose's own rule (a
# survey's closing date, a changed address) ends it sooner.
LINK_MAX_AGE = timedelta(days=400)


class InvalidLink(Exception):
    """Tampered, unknown, expired or meant for something else: the caller answers 404."""


def link_token(*, purpose: str, claims: dict, compress: bool = False) -> str:
    """A signed token carrying `claims`, valid only for `purpose` (its salt)."""
    return signing.dumps(claims, salt=purpose, compress=compress)


def link_claims(*, purpose: str, token: str, required: frozenset | set) -> dict:
    """The claims of a token signed for `purpose` within LINK_MAX_AGE, or InvalidLink."""
    try:
        claims = signing.loads(token, salt=purpose, max_age=LINK_MAX_AGE)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise InvalidLink from None
    if not isinstance(claims, dict) or not required <= claims.keys():
        raise InvalidLink
    return claims


def absolute_url(path: str) -> str:
    """An absolute link for an email: the one place SITE_URL is joined to a path."""
    return settings.SITE_URL + path


def absolute_reverse(viewname: str, *args) -> str:
    return absolute_url(reverse(viewname, args=args))


# Stands in for the token while the path is reversed once.
_TOKEN_PLACEHOLDER = "-token-"  # noqa: S105 -- not a secret: replaced by the real token


@functools.cache
def _path_around_token(urlconf: str, viewname: str, *args) -> str:
    return reverse(viewname, urlconf=urlconf, args=[*args, _TOKEN_PLACEHOLDER])


def token_url(viewname: str, *args, token: str) -> str:
    """The absolute link to a view whose last argument is a signed token.

    reverse() walks the URLconf on every call, and a check-in round writes three links into each
    of thousands of emails; the path around the token never changes, so it is reversed once.
    """
    path = _path_around_token(settings.ROOT_URLCONF, viewname, *args)
    return absolute_url(path.replace(_TOKEN_PLACEHOLDER, token, 1))
