"""System checks for production (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    """Every link in every email is SITE_URL plus a path (members/links.py); in production it
    must be the portal's public address, not the development default."""
    if settings.DEBUG or settings.SITE_URL_FROM_ENV:
        return []
    return [
        checks.Warning(
            f"SITE_URL is not set, so emails link to {settings.SITE_URL}.",
            hint="Set SITE_URL to the portal's public address, e.g. https://cop.example.org.",
            id="copsite.W001",
        )
    ]
