"""The community's two vocabularies, sectors and topics: short lists seeded in English and French
(members/migrations/0002 and 0015) that coordinators can extend in the admin."""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.cache_versions import change_version, current_version


def name_for_reader(obj) -> str:
    """A sector's or topic's name in the reader's language: the French name to a French reader
    when there is one, else the name. The two vocabularies are short and seeded in both languages
    (migration 0015), so one column per language is simpler than a table of translations."""
    if obj.name_fr and (get_language() or "").startswith("fr"):
        return obj.name_fr
    return obj.name


class Sector(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        app_label = "members"
        ordering = ["position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return name_for_reader(self)


class TopicQuerySet(models.QuerySet):
    def in_reader_order(self):
        """Alphabetical in the reader's language: French names sort differently from English."""
        if (get_language() or "").startswith("fr"):
            return self.order_by(Coalesce(NullIf("name_fr", Value("")), "name"))
        return self.order_by("name")


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        app_label = "members"
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return name_for_reader(self)


VOCABULARY_VERSION_KEY = "vocabulary-version"


def vocabulary_version() -> str:
    """Changes whenever a sector or topic is added, renamed or removed: part of the key of cached
    fragments that list them (filter forms, cards), so they never show a stale vocabulary."""
    return current_version(VOCABULARY_VERSION_KEY)


@receiver(post_save, sender=Sector)
@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Sector)
@receiver(post_delete, sender=Topic)
def _vocabulary_changed(**kwargs):
    change_version(VOCABULARY_VERSION_KEY)
