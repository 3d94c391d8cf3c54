"""A Redis cache that fails open.

Redis is the cache and the broker. If it goes down, pages must still work: a cache miss costs
time, a crashed request costs the person. The one thing kept in this cache that matters, allauth's
rate limits, then stops limiting until Redis is back, which is the lesser harm.
"""

import logging
import re

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _warn(operation, exc):
    logger.warning("Cache unavailable (%s): %s", operation, exc)


class FailOpenRedisCache(RedisCache):
    def clear(self):
        """Delete this cache's keys, and only those. Django's clear() empties the whole Redis
        database (FLUSHDB), where the Celery broker keeps its queues too (one REDIS_URL)."""
        # Keys are "<KEY_PREFIX>:<version>:<key>" (Django's default KEY_FUNCTION); glob
        # characters in the prefix are matched literally.
        pattern = re.sub(r"([\\*?\[\]])", r"\\\1", self.key_prefix) + ":*"
        try:
            client = self._cache.get_client(write=True)
            batch = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) == 1000:
                    client.unlink(*batch)
                    batch = []
            if batch:
                client.unlink(*batch)
        except RedisError as exc:
            _warn("clear", exc)
            return False
        return True

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            _warn("get", exc)
            return default

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as exc:
            # "Added": callers that spin until they get a lock must not spin forever.
            _warn("add", exc)
            return True

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            _warn("set", exc)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as exc:
            _warn("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as exc:
            _warn("delete", exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            _warn("get_many", exc)
            return {}

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as exc:
            _warn("set_many", exc)
            return list(data)

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as exc:
            _warn("has_key", exc)
            return False
