"""The shape every filtered list page shares: a django-filter form, a page of rows, and the
query string that page links keep."""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Model
from django.utils.functional import cached_property

COUNT_SECONDS = 5 * 60


def filtered_page(
    request, filterset_class, queryset, *, per_page: int, count_version: str = ""
) -> dict:
    """The template context of a filtered, paginated list.

    An invalid filter (an unknown sector, topic or kind) shows its error beside the field and
    lists nothing, rather than silently listing everything.

    With `count_version` (what the rows' data is at, and who reads them: see the resources'
    list), the total is cached under it and the filter's values, so paging through a search
    or coming back to it does not count its matches again.
    """
    filterset = filterset_class(request.GET, queryset=queryset)
    if filterset.is_valid():
        rows = filterset.qs
        count_key = _count_key(count_version, filterset.form.cleaned_data)
    else:
        rows, count_key = queryset.none(), ""
    page = CachedCountPaginator(rows, per_page, count_key=count_key).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page, "query_string": query.urlencode()}


def _count_key(version: str, values: dict) -> str:
    """The cache key of a filtered list's total: the version, then every filter's value (the
    sort does not change a total). Hashed: a search's words are the reader's."""
    if not version:
        return ""
    shown = sorted(
        (name, value.pk if isinstance(value, Model) else value)
        for name, value in values.items()
        if name != "sort"
    )
    return "list-count:" + hashlib.sha256(f"{version}:{shown!r}".encode()).hexdigest()


class CachedCountPaginator(Paginator):
    """A paginator that keeps its total under `count_key` (none: counted every time)."""

    def __init__(self, object_list, per_page, *, count_key: str = ""):
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if not self.count_key:
            return super().count
        total = cache.get(self.count_key)
        if total is None:
            total = super().count
            cache.set(self.count_key, total, COUNT_SECONDS)
        return total
