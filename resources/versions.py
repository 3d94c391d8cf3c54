"""A version of the resources' records, for what is cached from them: it changes whenever a
resource, its topics or its sectors are saved, a resource is deleted, or a rating is given,
changed or removed (signals below).

The library's rankings (which resources a search or a filter finds, in order) are cached under
it, so a resource published, archived, edited, deleted or rated shows in its place at once.
Download counts (a bulk update) are in no ranking; rankings also expire after a few minutes.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from resources.models import Rating, Resource

VERSION_KEY = "resources:version"


def resources_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


@receiver(post_save, sender=Resource)
@receiver(post_delete, sender=Resource)
@receiver(m2m_changed, sender=Resource.topics.through)
@receiver(m2m_changed, sender=Resource.sectors.through)
@receiver(post_save, sender=Rating)  # the resource's average is then updated in bulk
@receiver(post_delete, sender=Rating)
def _resources_changed(**kwargs):
    cache.delete(VERSION_KEY)
    # Again once the change is committed: a page read in between (seeing the old rows) may
    # have cached its ranking under the new version.
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))
