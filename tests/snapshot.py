"""The freshly migrated test database's rows, kept once and put back after each flush.

Django empties every table after a transactional test (live server, real workers, races), so
the next one would find no sectors, topics, groups, community pages or shipped survey
templates. Running the data migrations' functions again took about half a second per test;
copying back the rows the migrations left (PostgreSQL's binary COPY, a few milliseconds) gives
exactly the migrated state, whatever a later migration seeds, with nothing to keep in step.
"""

from django.db import connection, transaction

_rows: dict[str, bytes] = {}


def _tables() -> list[str]:
    return connection.introspection.django_table_names(only_existing=True, include_views=False)


def take() -> None:
    """Keep every non-empty table's rows, once, right after the test database is created."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        for table in _tables():
            name = connection.ops.quote_name(table)
            with cursor.copy(f"COPY {name} TO STDOUT (FORMAT binary)") as copy:
                data = b"".join(bytes(block) for block in copy)
            # A binary COPY of an empty table is still a header and a trailer.
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {name})")  # noqa: S608 -- a quoted table name from Django's introspection
            if cursor.fetchone()[0]:
                _rows[table] = data


def restore() -> None:
    """Put the migrated rows back: empty those tables (the flush's post_migrate signal has
    just recreated content types and permissions, with new ids) and copy the kept rows in.
    DELETE, not TRUNCATE: these tables are small, and TRUNCATE's new files (cascading to
    every table that refers to them) cost far more. Foreign keys are checked at the commit
    (Django makes them deferrable), so the order of the tables does not matter."""
    if not _rows:
        return
    quoted = {table: connection.ops.quote_name(table) for table in _rows}
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            for name in quoted.values():
                cursor.execute(f"DELETE FROM {name}")  # noqa: S608 -- a quoted table name from Django's introspection
            for table, data in _rows.items():
                with cursor.copy(f"COPY {quoted[table]} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(data)
            # The next row each table hands out follows the copied ones.
            for table in _rows:
                for sequence in connection.introspection.get_sequences(cursor, table):
                    column = connection.ops.quote_name(sequence["column"])
                    last = f"coalesce(max({column}), 1), max({column}) IS NOT NULL"
                    cursor.execute(
                        f"SELECT setval(%s, {last}) FROM {quoted[table]}",  # noqa: S608 -- quoted identifiers from Django's introspection
                        [sequence["name"]],
                    )
