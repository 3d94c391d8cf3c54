"""The shape every filtered list page shares: a django-filter form, a page of rows, and the
query string that page links keep."""

from django.core.paginator import Paginator


def filtered_page(request, filterset_class, queryset, *, per_page: int) -> dict:
    """The template context of a filtered, paginated list.

    An invalid filter (an unknown sector, topic or kind) shows its error beside the field and
    lists nothing, rather than silently listing everything.
    """
    filterset = filterset_class(request.GET, queryset=queryset)
    rows = filterset.qs if filterset.is_valid() else queryset.none()
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page, "query_string": query.urlencode()}
