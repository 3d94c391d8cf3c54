"""Links the portal puts in emails: absolute URLs, and sealed tokens that work without logging in.

Every emailed link is built here, so there is one way to make one (a salt per purpose, one
lifetime, one exception) and one source of absolute URLs (SITE_URL).

A token is opaque: its claims (member ids, invitation ids, email addresses) are encrypted and
authenticated with AES-GCM (the `cryptography` package) under a key derived from SECRET_KEY and
the purpose. Django's signing alone would leave them readable base64 JSON, and these URLs end up
in access logs, browser history and mail scanners' reports. A token names nothing in clear, not
even when it was made.
"""

import base64
import functools
import json
import os
import time
from datetime import timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.urls import reverse

# People act on old emails: a link stays usable for a long time. A purpose's own rule (a
# survey's closing date, a changed address) ends it sooner.
LINK_MAX_AGE = timedelta(days=400)

_NONCE_BYTES = 12  # AES-GCM's standard nonce; random per token (2**-32 collision bound holds)
_ISSUED = "_t"  # the claim holding the time a token was made, inside the ciphertext


class InvalidLink(Exception):
    """Tampered, unknown, expired or meant for something else: the caller answers 404."""


@functools.cache
def _key(secret: str, purpose: str) -> bytes:
    # One key per purpose, so a token made for one purpose cannot even be decrypted for another.
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"copsite.links", info=purpose.encode()
    ).derive(secret.encode())


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal(*, purpose: str, data: bytes) -> str:
    """`data` encrypted and authenticated for `purpose`, as URL-safe text."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(settings.SECRET_KEY, purpose)).encrypt(nonce, data, purpose.encode())
    return _b64encode(nonce + sealed)


def unseal(*, purpose: str, token: str) -> bytes:
    """What `seal` sealed for `purpose`, or InvalidLink. Old SECRET_KEY_FALLBACKS still open it."""
    try:
        raw = _b64decode(token)
    except (ValueError, UnicodeError):
        raise InvalidLink from None
    if len(raw) <= _NONCE_BYTES + 16:
        raise InvalidLink
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            return AESGCM(_key(secret, purpose)).decrypt(nonce, sealed, purpose.encode())
        except InvalidTag:
            continue
    raise InvalidLink


def link_token(*, purpose: str, claims: dict) -> str:
    """An opaque token carrying `claims`, valid only for `purpose`."""
    payload = json.dumps({**claims, _ISSUED: int(time.time())}, separators=(",", ":"))
    return seal(purpose=purpose, data=payload.encode())


def link_claims(*, purpose: str, token: str, required: frozenset | set) -> dict:
    """The claims of a token made for `purpose` within LINK_MAX_AGE, or InvalidLink."""
    try:
        claims = json.loads(unseal(purpose=purpose, token=token))
    except ValueError:
        raise InvalidLink from None
    if not isinstance(claims, dict) or not isinstance(claims.get(_ISSUED), int):
        raise InvalidLink
    if time.time() - claims.pop(_ISSUED) > LINK_MAX_AGE.total_seconds():
        raise InvalidLink
    if not required <= claims.keys():
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
    """The absolute link to a view whose last argument is a token.

    reverse() walks the URLconf on every call, and a check-in round writes three links into each
    of thousands of emails; the path around the token never changes, so it is reversed once.
    """
    path = _path_around_token(settings.ROOT_URLCONF, viewname, *args)
    return absolute_url(path.replace(_TOKEN_PLACEHOLDER, token, 1))
