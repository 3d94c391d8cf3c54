"""Versions of what pages cache: for each kind of data (members' records, the vocabulary,
resources, permissions), a random token kept in the cache that changes whenever that data
changes. What is cached from the data puts the token in its key, so a change makes every copy
stale at once without finding and deleting them.

It lives in members, the app every other app may import, so each kind's module (members/
versions.py, members/vocabulary.py, members/cached_permissions.py, resources/versions.py) keeps
only its key and the signals that change it.
"""

import uuid

from django.core.cache import cache
from django.db import transaction


def current_version(key: str) -> str:
    return cache.get_or_set(key, lambda: uuid.uuid4().hex, timeout=None)


def change_version(key: str) -> None:
    """A new version now, and again once the change is committed: a page read in between
    (seeing the old rows) may have cached what it read under the new version."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
