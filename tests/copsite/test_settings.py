"""Settings come from the environment: production refuses a weak secret, development needs none.

Each test starts a fresh interpreter, because settings are read once at import.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    (PROJECT_ROOT / ".env").exists(),
    reason="a local .env would leak into the 'no environment' settings these tests check",
)


def clean_env(**values) -> dict:
    """Only what a process needs to run, plus `values`: none of the portal's variables."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(values)
    return env


def run(args, **env_values) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own interpreter and arguments
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=clean_env(**env_values),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_without_secret_key_refuses_to_start():
    result = run(["manage.py", "check", "--deploy"], DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG=0" in (
        result.stderr
    )


def test_check_deploy_with_weak_secret_key_refuses_to_start():
    result = run(["manage.py", "check", "--deploy"], DJANGO_DEBUG="0", DJANGO_SECRET_KEY="short")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_check_deploy_with_production_env_has_no_issues():
    result = run(
        ["manage.py", "check", "--deploy"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        DJANGO_ALLOWED_HOSTS="cop.example.org",
        SITE_URL="https://cop.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from copsite.celery import app
print(json.dumps({
    "debug": settings.DEBUG,
    "db_engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "broker": app.conf.broker_url,
    "broker_folder": settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in"),
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "conn_health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "email_backend": settings.EMAIL_BACKEND,
    "cache_backend": settings.CACHES["default"]["BACKEND"],
}))
"""


def test_settings_without_env_fall_back_to_embedded_defaults():
    result = run(["-c", PRINT_SETTINGS], DJANGO_SETTINGS_MODULE="copsite.settings")

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "debug": True,
        "db_engine": "django.db.backends.sqlite3",
        "db_name": str(PROJECT_ROOT / "var" / "db.sqlite3"),
        "broker": "filesystem://localhost/",
        "broker_folder": str(PROJECT_ROOT / "var" / "broker"),
        "conn_max_age": 60,
        "conn_health_checks": True,
        # consolemail:// prints each message as one readable block (members/outbox/console.py).
        "email_backend": "members.outbox.console.ReadableConsoleEmailBackend",
        "cache_backend": "django.core.cache.backends.locmem.LocMemCache",
    }
    assert (PROJECT_ROOT / "var" / "broker" / "processed").is_dir()


def test_settings_with_env_use_postgres_and_redis():
    result = run(
        ["-c", PRINT_SETTINGS],
        DJANGO_SETTINGS_MODULE="copsite.settings",
        DATABASE_URL="postgres://cop@db.example.org:5432/cop",
        REDIS_URL="redis://redis.example.org:6379/1",
        EMAIL_URL="smtp://mail.example.org:587",
    )

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db_engine"] == "django.db.backends.postgresql"
    assert values["db_name"] == "cop"
    assert values["broker"] == "redis://redis.example.org:6379/1"
    assert values["broker_folder"] is None
    assert (values["conn_max_age"], values["conn_health_checks"]) == (60, True)
    assert values["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["cache_backend"] == "copsite.cache.FailOpenRedisCache"
