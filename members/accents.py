"""Searches that ignore accents as well as case: "Helene" finds Hélène, "Hélène" finds Helene,
"quebec" finds Québec. For the directory's search and the admin's.

On PostgreSQL, Django's `unaccent` lookup (django.contrib.postgres) over the unaccent extension
(members migration 0018), applied to both the column and the words; the SQLite default ignores
case only. The resources' full-text search unaccents in its own text search configurations
(resources/search.py).
"""

from django.db import connection


def accent_blind(field: str) -> str:
    """The lookup path for "`field` contains the words, whatever their accents and case", for
    filter() and for search_fields."""
    if connection.vendor == "postgresql":
        return f"{field}__unaccent__icontains"
    return f"{field}__icontains"
