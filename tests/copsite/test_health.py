"""/healthz: the state of the database and the broker, 200 while the database answers."""

from contextlib import contextmanager

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.urls import reverse

from copsite.celery import app as celery_app
from tests.factories import member_with_account

pytestmark = pytest.mark.django_db

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # port 1: nothing listens, the connection is refused


@pytest.fixture
def broker_unreachable():
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = UNREACHABLE_BROKER
    yield
    celery_app.conf.broker_url = previous


@pytest.fixture
def database_unreachable():
    with unreachable_database():
        yield


@contextmanager
def unreachable_database():
    """Point the default alias at a database server that is not there, for this thread only.

    No mock: the view runs its real query through a real DatabaseWrapper whose settings name a
    closed port (PostgreSQL) or a file in a directory that does not exist (SQLite), so the driver
    itself fails to connect. `connections[alias] = wrapper` swaps the wrapper only in this thread's
    connection handler; the test's own connection (and its transaction) is put back untouched.
    """
    original = connections["default"]
    settings_dict = {**original.settings_dict}
    if original.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    backend = load_backend(settings_dict["ENGINE"])
    unreachable = backend.DatabaseWrapper(settings_dict, alias="default")
    connections["default"] = unreachable
    try:
        yield
    finally:
        unreachable.close()
        connections["default"] = original


def test_healthz_all_up_answers_ok(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_broker_unreachable_still_answers_200(client, broker_unreachable):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")
    assert body["status"] == "ok"


def test_healthz_database_unreachable_answers_503(client, database_unreachable):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["database"].startswith("error: OperationalError")
    assert body["broker"] == "ok"
    assert body["status"] == "unavailable"


def test_healthz_asked_with_a_login_session_while_the_database_is_down_answers_503(client):
    # A browser that logged in earlier sends its session cookie to /healthz too; loading that
    # session needs the database, which the probe is there to report as down.
    client.force_login(member_with_account().user)
    assert client.get(reverse("healthz")).status_code == 200

    with unreachable_database():
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_healthz_post_not_allowed(client):
    response = client.post(reverse("healthz"))

    assert response.status_code == 405
    assert response["Allow"] == "GET"
