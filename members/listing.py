"""The shape every filtered list page shares: a django-filter form, a page of rows, and the
query string that page links keep."""

from django.core.paginator import Paginator
from django.db.models import Count, Window


class CountingPaginator(Paginator):
    """A paginator that reads a page's rows and the number of all rows in one query
    (`COUNT(*) OVER ()`), where Django's runs a COUNT and then the page's query.

    Profiled under load (bench/pages_load.py), the separate COUNT scanned every match a second
    time: for a search matching half the toolkit, a second pass of the full-text match and a
    round trip on every page. Where one query cannot tell (a page past the end, DISTINCT rows,
    orphans) it falls back to Django's way.
    """

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1  # as Django's get_page: not a number, the first page
        rows = self._rows_and_count(number)
        if rows is None:
            return super().get_page(number)
        return self._get_page(rows, number, self)

    def _rows_and_count(self, number: int) -> list | None:
        queryset = self.object_list
        if number < 1 or self.orphans or not hasattr(queryset, "query") or queryset.query.distinct:
            return None
        bottom = (number - 1) * self.per_page
        counted = queryset.annotate(_count_of_all=Window(Count("*")))
        rows = list(counted[bottom : bottom + self.per_page])
        if not rows:
            return None  # past the end, or nothing at all: Django's way finds the right page
        self.count = rows[0]._count_of_all
        return rows


def filtered_page(request, filterset_class, queryset, *, per_page: int) -> dict:
    """The template context of a filtered, paginated list.

    An invalid filter (an unknown sector, topic or kind) shows its error beside the field and
    lists nothing, rather than silently listing everything.
    """
    filterset = filterset_class(request.GET, queryset=queryset)
    rows = filterset.qs if filterset.is_valid() else queryset.none()
    page = CountingPaginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page, "query_string": query.urlencode()}
