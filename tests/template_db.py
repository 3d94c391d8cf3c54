"""One migrated database for every parallel test process (pytest-xdist).

Each test process used to create its test database by running every migration, all of them at
once at the start of `make test` (about 8 s of CPU each). Instead the controlling process starts
one builder (`python -m tests.template_db`) that migrates a template database while the test
processes start and collect the tests, and each test process's database is made as a copy of it
(PostgreSQL's CREATE DATABASE … TEMPLATE, well under a second) once the builder says it is
ready; Django's migrate then finds nothing left to apply. The tests still run on the migrated
schema and data.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

# The controller names the template and the builder's status file here; its test processes
# inherit the environment.
ENV = "COPSITE_TEST_TEMPLATE"
STATUS_ENV = "COPSITE_TEST_TEMPLATE_STATUS"
READY = "ready"
ROOT = Path(__file__).resolve().parent.parent
_builder: subprocess.Popen | None = None


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


def start_build() -> None:
    """In the controller: name the template and start migrating it in a process of its own."""
    global _builder
    name = f"{connection.settings_dict['NAME']}_test_template"
    status = tempfile.NamedTemporaryFile(prefix="copsite-template-", delete=False)  # noqa: SIM115 -- removed in drop()
    status.close()
    os.environ[ENV] = name
    os.environ[STATUS_ENV] = status.name
    _builder = subprocess.Popen(  # noqa: S603 -- our own interpreter, fixed arguments
        [sys.executable, "-m", "tests.template_db", name, status.name], cwd=ROOT
    )


def _build(name: str, status: str) -> None:
    """In the builder: (re)create the template, migrated from nothing, then say it is ready."""
    from django.core.management import call_command

    quoted = connection.ops.quote_name(name)
    try:
        with _server() as server:
            server.execute(f"DROP DATABASE IF EXISTS {quoted}")
            server.execute(f"CREATE DATABASE {quoted}")
        connection.settings_dict["NAME"] = name
        call_command("migrate", verbosity=0, interactive=False)
        # No session may stay in the template while it is copied.
        connection.close()
    except BaseException as error:
        Path(status).write_text(f"failed: {error!r}")
        raise
    Path(status).write_text(READY)


def use() -> None:
    """In a test process: its test database will be a copy of the controller's template."""
    name = os.environ.get(ENV)
    if name:
        settings.DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = name


def wait(timeout: float = 600) -> None:
    """In a test process, before it creates its test database: until the template is ready."""
    status = os.environ.get(STATUS_ENV)
    if not os.environ.get(ENV) or not status:
        return
    deadline = time.monotonic() + timeout
    while (said := Path(status).read_text()) != READY:
        if said or time.monotonic() > deadline:
            pytest.exit(f"The template test database was not built: {said or 'timed out'}", 3)
        time.sleep(0.05)


def drop() -> None:
    name = os.environ.pop(ENV, None)
    status = os.environ.pop(STATUS_ENV, None)
    if _builder is not None:
        _builder.kill()  # Done by now, unless no test process needed it (a run stopped early).
        _builder.wait()
    if status:
        Path(status).unlink(missing_ok=True)
    if name:
        with _server() as server:
            server.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copsite.settings")
    django.setup()
    _build(*sys.argv[1:3])
