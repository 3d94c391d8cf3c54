"""Full-text search reads a stored tsvector instead of computing one per matching row.

The index on the expression let PostgreSQL find matches, but ranking them (and rechecking the
bitmap) parsed every matching body again: a search matching a few hundred of 5,000 resources
took over half a second. A generated column is computed once per write. PostgreSQL only: the
SQLite default searches with icontains and gets neither.
"""

from django.db import migrations

SEARCH_DOCUMENT = """
    ALTER TABLE resources_resource ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    ) STORED;
    CREATE INDEX resource_search_gin ON resources_resource USING gin (search_document)
        WITH (fastupdate = off);
"""
# fastupdate off: new rows go straight into the index rather than a pending list that only
# VACUUM merges. Resources are written a few at a time, and with a pending list the planner
# (rightly) prices the index above a scan of the table until the next vacuum.
DROP_SEARCH_DOCUMENT = "ALTER TABLE resources_resource DROP COLUMN search_document;"


def add_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_DOCUMENT)


def drop_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SEARCH_DOCUMENT)  # drops its index too


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0002_editor_permissions"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="resource",
            name="resource_search_gin",
        ),
        migrations.RunPython(add_search_document, drop_search_document),
    ]
