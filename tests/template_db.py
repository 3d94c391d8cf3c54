"""One migrated database for every parallel test process (pytest-xdist).

Each test process used to create its test database by running every migration, all of them at
once at the start of `make test` (about 8 s of CPU each). Instead the controlling process, idle
until its test processes start, migrates one template database, and each test process's database
is made as a copy of it (PostgreSQL's CREATE DATABASE … TEMPLATE, well under a second); Django's
migrate then finds nothing left to apply. The tests still run on the migrated schema and data.
"""

import os

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection

# The controller names the template here; its test processes inherit the environment.
ENV = "COPSITE_TEST_TEMPLATE"


def _server(**options):
    """A connection to the server's maintenance database, for CREATE and DROP DATABASE."""
    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        autocommit=True,
        **options,
    )


def build() -> None:
    """(Re)create the template, migrated from nothing, and name it for the test processes."""
    name = f"{connection.settings_dict['NAME']}_test_template"
    quoted = connection.ops.quote_name(name)
    with _server() as server:
        server.execute(f"DROP DATABASE IF EXISTS {quoted}")
        server.execute(f"CREATE DATABASE {quoted}")
    real_name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = name
    try:
        call_command("migrate", verbosity=0, interactive=False)
    finally:
        # No session may stay in the template while it is copied.
        connection.close()
        connection.settings_dict["NAME"] = real_name
    os.environ[ENV] = name


def use() -> None:
    """In a test process: make its test database as a copy of the controller's template."""
    name = os.environ.get(ENV)
    if name:
        settings.DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = name


def drop() -> None:
    name = os.environ.pop(ENV, None)
    if name:
        with _server() as server:
            server.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
