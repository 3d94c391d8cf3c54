"""The shape every filtered list page shares: a django-filter form, a page of rows, and the
query string that page links keep."""

import hashlib

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Model

RANKING_SECONDS = 5 * 60
RANKING_LIMIT = 5000  # a longer list is not cached: read as usual, a page at a time


def filtered_page(
    request, filterset_class, queryset, *, per_page: int, ranking_version: str = ""
) -> dict:
    """The template context of a filtered, paginated list.

    An invalid filter (an unknown sector, topic or kind) shows its error beside the field and
    lists nothing, rather than silently listing everything.

    With `ranking_version` (what the rows' data is at, and who reads them: see the resources'
    list), the matching rows' ids, in order, are cached under it and the filter's values: paging
    through a search, or coming back to it, neither counts nor ranks its matches again, and the
    page's rows are read by id.
    """
    filterset = filterset_class(request.GET, queryset=queryset)
    number = request.GET.get("page")
    if not filterset.is_valid():
        page = Paginator(queryset.none(), per_page).get_page(number)
    elif ranking_version:
        page = _page_of_cached_ranking(filterset, queryset, ranking_version, per_page, number)
    else:
        page = Paginator(filterset.qs, per_page).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page, "query_string": query.urlencode()}


def _page_of_cached_ranking(filterset, queryset, version, per_page, number) -> Page:
    key = _ranking_key(version, filterset.form.cleaned_data)
    ids = cache.get(key)
    if ids is None:
        ids = list(filterset.qs.values_list("pk", flat=True)[: RANKING_LIMIT + 1])
        if len(ids) > RANKING_LIMIT:
            return Paginator(filterset.qs, per_page).get_page(number)
        cache.set(key, ids, RANKING_SECONDS)
    page = Paginator(ids, per_page).get_page(number)
    # Through the list's own queryset: only rows the reader may see, with what it selects.
    rows = queryset.in_bulk(page.object_list)
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


def _ranking_key(version: str, values: dict) -> str:
    """Every filter's value (the sort too) after the version. Hashed: a search's words are the
    reader's."""
    shown = sorted(
        (name, value.pk if isinstance(value, Model) else value) for name, value in values.items()
    )
    return "list-ranking:" + hashlib.sha256(f"{version}:{shown!r}".encode()).hexdigest()
