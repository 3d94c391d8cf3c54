"""A version of the resources' records, for what is cached from them: it changes whenever a
resource, its topics or its sectors are saved, a resource is deleted, or a rating is given,
changed or removed (signals below).

The library's rankings (which resources a search or a filter finds, in order) are cached under
it, so a resource published, archived, edited, deleted or rated shows in its place at once.
Download counts (a bulk update) are in no ranking; rankings also expire after a few minutes.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from members.cache_versions import change_version, current_version
from resources.models import Rating, Resource

VERSION_KEY = "resources:version"


def resources_version() -> str:
    return current_version(VERSION_KEY)


@receiver(post_save, sender=Resource)
@receiver(post_delete, sender=Resource)
@receiver(m2m_changed, sender=Resource.topics.through)
@receiver(m2m_changed, sender=Resource.sectors.through)
@receiver(post_save, sender=Rating)  # the resource's average is then updated in bulk
@receiver(post_delete, sender=Rating)
def _resources_changed(**kwargs):
    change_version(VERSION_KEY)
