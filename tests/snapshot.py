"""The freshly migrated test database's rows, kept once and put back after each transactional
test (live server, real workers, races), instead of Django's flush.

Django's flush truncates every table and then re-creates content types and permissions (new
ids); the next test would find no sectors, topics, groups, community pages or shipped survey
templates. Here each transactional test ends by deleting every table's rows and copying back
the rows the migrations left (PostgreSQL's binary COPY): exactly the migrated state, whatever a
later migration seeds, with nothing to keep in step, in a few tens of milliseconds where the
flush took a quarter of a second.
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


def reset() -> None:
    """Back to the migrated rows: empty every table and copy the kept rows in, in one
    transaction. DELETE, not TRUNCATE: a test leaves few rows, and TRUNCATE's new files
    (cascading to every table that refers to them) cost far more. Foreign keys are checked at
    the commit (Django makes them deferrable), so the order of the tables does not matter.
    Sequences go on from where they are, as after Django's flush."""
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            for table in _tables():
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- a quoted table name from Django's introspection
            for table, data in _rows.items():
                name = connection.ops.quote_name(table)
                with cursor.copy(f"COPY {name} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(data)
