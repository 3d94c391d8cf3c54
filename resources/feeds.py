from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from members.versions import members_version
from resources.models import Kind, Resource
from resources.versions import resources_version

FEED_ITEMS = 30
FEED_SECONDS = 10 * 60


class PublicResourcesFeed(Feed):
    """Newly published public resources. Members-only ones never appear: a feed has no login.

    Feed readers ask for it over and over, and it is the same for everyone: the document is
    kept per language and address under the resources' and the members' versions (an entry
    names its author), so a resource published, edited or archived, or an author renamed,
    shows in it at once.
    """

    feed_type = Atom1Feed
    link = reverse_lazy("resources:list")

    def __call__(self, request, *args, **kwargs):
        key = ":".join(
            [
                "resources:feed",
                translation.get_language() or "",
                f"{request.scheme}://{request.get_host()}",  # entries link to this address
                resources_version(),
                members_version(),
            ]
        )
        cached = cache.get(key)
        if cached is None:
            response = super().__call__(request, *args, **kwargs)
            cache.set(key, (response.content, dict(response.headers)), FEED_SECONDS)
            return response
        content, headers = cached
        return HttpResponse(content, headers=headers)

    def title(self):
        return gettext("New resources from the %(community)s") % {
            "community": settings.COMMUNITY_NAME
        }

    def subtitle(self):
        return gettext("Templates, case studies, practice stories and guides shared by librarians.")

    def items(self):
        return (
            Resource.objects.published()
            .public()
            .for_listing()  # an entry shows the summary, not the long texts
            .select_related("author")
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.full_name if item.author else None

    def item_categories(self, item):
        # Not get_kind_display(): it rebuilds a dict of the lazy labels on every call, which
        # profiled (bench/pages_load.py) as a fifth of the feed.
        return [str(Kind(item.kind).label)]
