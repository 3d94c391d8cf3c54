"""A test-only urlconf: the real site plus views that fail, to see the styled error pages."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from copsite.urls import handler500  # noqa: F401 -- the site's own 500 handler
from copsite.urls import urlpatterns as site_urlpatterns


class DeliberateError(Exception):
    pass


def raises_error(request):
    raise DeliberateError("boom")


def raises_permission_denied(request):
    raise PermissionDenied


urlpatterns = [
    path("test-errors/500/", raises_error),
    path("test-errors/403/", raises_permission_denied),
    *site_urlpatterns,
]
