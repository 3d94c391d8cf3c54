import os
import shutil

import pytest
from celery._state import _set_task_join_will_block
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import override_settings
from django.utils import translation

from copsite.celery import app as celery_app
from tests import snapshot, template_db
from tests.workers import broker_down, worker_processes  # noqa: F401 -- fixtures for every module


def pytest_configure(config):
    """Parallel test processes (pytest-xdist, `-n`) share one Redis database: each keeps its cache
    keys and its broker's keys under a prefix of its own, so that one process's cache.clear() or
    queue purge never touches another's, and the real workers one starts never take another's
    tasks. pytest-django gives each its own test database; live servers and SMTP sinks take free
    ports. The worker subprocesses read the same prefixes from the environment."""
    process = os.environ.get("PYTEST_XDIST_WORKER", "main")
    os.environ["CACHE_KEY_PREFIX"] = f"test-{process}-cache"
    os.environ["CELERY_BROKER_KEY_PREFIX"] = f"test-{process}-broker:"
    settings.CACHES = {
        alias: {**options, "KEY_PREFIX": os.environ["CACHE_KEY_PREFIX"]}
        for alias, options in settings.CACHES.items()
    }
    celery_app.conf.broker_transport_options = {
        **celery_app.conf.broker_transport_options,
        "global_keyprefix": os.environ["CELERY_BROKER_KEY_PREFIX"],
    }
    if connection.vendor == "postgresql":
        if _controls_test_processes(config):
            template_db.start_build()
        else:
            template_db.use()


def pytest_unconfigure(config):
    if connection.vendor == "postgresql" and _controls_test_processes(config):
        template_db.drop()


def _controls_test_processes(config) -> bool:
    """pytest-xdist's controlling process (`-n 2`), which runs no test itself."""
    worker = "PYTEST_XDIST_WORKER" in os.environ
    return not worker and config.getoption("dist", "no") != "no"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Factories and logins hash passwords all the time; PBKDF2 is slow on purpose, and tests
    need no protection against brute force. Real worker subprocesses never hash a password."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _clean_cache():
    # allauth's rate limits live in the cache (Redis in `make test`); each test starts fresh
    # (clearing once before each is enough: what the last test leaves, nothing reads).
    cache.clear()


@pytest.fixture(autouse=True)
def _results_may_be_awaited():
    """Every test may wait on a task's result (`.apply().get()`). Celery marks the process as
    "inside a task" with a flag that is global, not per thread: eager tasks run at once by a
    live server's threads can leave it set (one saves the other's value and restores it last),
    and a later test's .get() then failed with "Never call result.get() within a task"."""
    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (English): the locale middleware leaves the
    last request's language (French, for a test that asked for it) active in the thread."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded resources go to a fresh folder per test, never into the project's var/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Before a test process creates its database: the template it copies must be ready."""
    template_db.wait()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, migrated; its rows are kept for transactional tests.

    Its commits do not wait for the disk (synchronous_commit off, for every connection: this
    process's, the live server's, the real workers'): a crash could lose the last commits of a
    database that is thrown away anyway, and nothing else changes (what other connections see,
    locks, constraints). Transactional tests commit at every save, a few milliseconds each."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return  # The suite is written for PostgreSQL (see the README); nothing to keep.
        with connection.cursor() as cursor:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            cursor.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
            cursor.execute("SET synchronous_commit = off")
        snapshot.take()
        TransactionTestCase._fixture_teardown = _back_to_the_migrated_rows


def _back_to_the_migrated_rows(test_case) -> None:
    """What a transactional test (live server, real workers, races) leaves is wiped and the
    migrated rows (sectors and topics in both languages, groups and permissions, community
    pages, the shipped survey templates) are put back, for the next one. It stands in for
    Django's flush, which emptied every table, and costs a tenth of it (tests/snapshot.py)."""
    snapshot.reset()


@pytest.fixture(autouse=True)
def _celery_eager():
    """Run tasks in-process unless a test starts a real worker (see tests that use one)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def chromium_path() -> str | None:
    """Debian's Chromium for the browser tests: its headless shell where it is installed (the
    build Playwright itself runs for headless tests: the same Blink, without the browser's
    window layer, about a third less CPU per page), else the browser itself."""
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium-headless-shell")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: install Debian's chromium package.")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
