"""Full-text search of resources: PostgreSQL's weighted search with a GIN index, and a plain
icontains search on the embedded SQLite default."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.backends.ddl_references import Statement
from django.db.models import F, Q, QuerySet

# The same expression is indexed and searched, so PostgreSQL can use the index; the text search
# configuration is named, which makes the expression immutable (an index needs that).
SEARCH_CONFIG = "english"
SEARCH_INDEX_NAME = "resource_search_gin"


def search_vector() -> SearchVector:
    """Weighted: a word in the title counts more than one in the summary, then the body."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


class PostgreSQLGinIndex(GinIndex):
    """A GIN index that exists on PostgreSQL only.

    The embedded SQLite default has no GIN indexes (and searches with icontains); there the index
    is a no-op, also when SQLite rebuilds the table in a later migration.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("SELECT 1")
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("SELECT 1")
        return super().remove_sql(model, schema_editor, **kwargs)


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Resources matching the words, annotated with `rank` (higher is more relevant)."""
    if uses_full_text_search():
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        vector = search_vector()
        return (
            queryset.annotate(search=vector)
            .filter(search=query)
            .annotate(rank=SearchRank(vector, query))
        )
    matches = Q()
    for word in text.split()[:10]:
        matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    # Without full-text ranking, the newest match counts as the most relevant.
    return queryset.filter(matches).annotate(rank=F("pk"))
