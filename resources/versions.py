"""A version of the resources' records, for what is cached from them: it changes whenever a
resource, its topics or its sectors are saved, or a resource is deleted (signals below).

The library's totals (how many resources a search or a filter finds) are cached under it, so a
resource published, archived, edited or deleted counts at once. What changes through bulk
updates (ratings, download counts) is not part of a total; totals also expire after a few
minutes.
"""

import uuid

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from resources.models import Resource

VERSION_KEY = "resources:version"


def resources_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


@receiver(post_save, sender=Resource)
@receiver(post_delete, sender=Resource)
@receiver(m2m_changed, sender=Resource.topics.through)
@receiver(m2m_changed, sender=Resource.sectors.through)
def _resources_changed(**kwargs):
    cache.delete(VERSION_KEY)
