"""`PORT=8050 make run` sends links that open: in development SITE_URL follows PORT; in
production SITE_URL is the one source of absolute links, and check --deploy says when it is
missing. Each case is a fresh interpreter, since settings are read once."""

import secrets

import pytest

from tests.copsite.test_settings import PROJECT_ROOT, run

pytestmark = pytest.mark.skipif(
    (PROJECT_ROOT / ".env").exists(),
    reason="a local .env would leak into the settings these tests check",
)

PRINT_LINKS = """
import django
django.setup()
from django.conf import settings
from members.links import absolute_reverse, token_url
print(settings.SITE_URL)
print(absolute_reverse("members:my_preferences"))
print(token_url("members:preferences", token="abc"))
"""


def links(**env) -> list[str]:
    result = run(["-c", PRINT_LINKS], DJANGO_SETTINGS_MODULE="copsite.settings", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_development_links_follow_the_port():
    assert links(PORT="8050") == [
        "http://127.0.0.1:8050",
        "http://127.0.0.1:8050/members/me/preferences/",
        "http://127.0.0.1:8050/members/preferences/abc/",
    ]


def test_without_a_port_links_go_to_8000():
    assert links()[0] == "http://127.0.0.1:8000"


def test_site_url_wins_over_the_port():
    assert links(PORT="8050", SITE_URL="https://cop.example.org/")[:2] == [
        "https://cop.example.org",
        "https://cop.example.org/members/me/preferences/",
    ]


def test_check_deploy_warns_when_production_has_no_site_url():
    result = run(
        ["manage.py", "check", "--deploy"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS="cop.example.org",
    )

    assert "copsite.W001" in result.stdout + result.stderr
    assert "SITE_URL is not set, so emails link to http://127.0.0.1:8000." in (
        result.stdout + result.stderr
    )


def test_run_dev_hands_the_port_to_the_workers():
    script = (PROJECT_ROOT / "bin" / "run-dev").read_text()

    # The workers and beat render the emails: they must see the same PORT as the web server.
    assert "export PORT" in script.split("celery -A copsite worker")[0]
