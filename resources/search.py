"""Full-text search of resources: on PostgreSQL a stored, weighted tsvector with a GIN index, in
English and French and blind to accents; a plain icontains search on the embedded SQLite default."""

import operator
import re
from functools import reduce

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.backends.ddl_references import Statement
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

# The text search configurations migration 0007 creates (each drops both languages' stop words,
# unaccents, then stems). Named, so the stored column's expression is immutable (PostgreSQL
# requires it). A resource is indexed in both and a search reads both: neither the author nor the
# reader says which language they use.
SEARCH_CONFIGS = ("copsite_english", "copsite_french")
# Common French words missing from PostgreSQL's French stop list ("le" and "la" are on it, "les"
# is not): left in a search, a resource would have to contain them. Dropped from the reader's
# words outside quoted phrases (inside one, a word keeps the phrase's spacing).
MORE_STOP_WORDS = ("les", "cette", "cet", "leurs")
_MORE_STOP_WORD = re.compile(rf"(?<!\S)(?:{'|'.join(MORE_STOP_WORDS)})(?!\S)", re.IGNORECASE)
SEARCH_INDEX_NAME = "resource_search_gin"


class PostgreSQLGinIndex(GinIndex):
    """A GIN index that exists on PostgreSQL only (migration 0001 uses it; 0003 replaced it).

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


def search_document(queryset: QuerySet) -> RawSQL:
    """The stored tsvector (title A, summary B, body C) that migrations 0003 and 0007 add on
    PostgreSQL.

    Django does not manage the column: a generated column cannot be declared in a way the
    SQLite default also accepts, so the model leaves it out and queries name it here.
    """
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    column = f"{table}.search_document"
    return RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611 -- the model's table name, no input  # nosec B611


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Resources matching the words, annotated with `rank` (higher is more relevant)."""
    if uses_full_text_search():
        words = _without_more_stop_words(text)
        query = reduce(
            operator.or_,
            (
                SearchQuery(words, config=config, search_type="websearch")
                for config in SEARCH_CONFIGS
            ),
        )
        document = search_document(queryset)
        return (
            queryset.annotate(search=document)
            .filter(search=query)
            .annotate(rank=SearchRank(document, query))
        )
    matches = Q()
    for word in text.split()[:10]:
        matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    # Without full-text ranking, the newest match counts as the most relevant.
    return queryset.filter(matches).annotate(rank=F("pk"))


def _without_more_stop_words(text: str) -> str:
    parts = text.split('"')  # the even ones are outside quotes
    parts[::2] = [_MORE_STOP_WORD.sub("", part) for part in parts[::2]]
    return '"'.join(parts)
