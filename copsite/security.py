"""Headers and input checks every response and request goes through.

- `SecurityHeadersMiddleware`: Permissions-Policy (no camera, microphone, location… for any
  page), and `Cache-Control: private` on every page that sets no caching of its own, so that a
  shared cache (a proxy, a CDN) never keeps one person's page to serve to another. Static files
  are served above it by WhiteNoise, with their own long-lived headers.
- `BadInputMiddleware`: a NUL byte in the path or the query string, or a number too large for
  the database or for a date, is a bad request (400), not a server error. Forms already refuse
  NUL in POSTed fields (Django's ProhibitNullCharactersValidator).
"""

import logging

from django.core.exceptions import SuspiciousOperation
from django.db import DataError
from django.utils.cache import patch_cache_control
from django.views.defaults import bad_request

logger = logging.getLogger(__name__)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response.headers:
            patch_cache_control(response, private=True)
        return response


class BadInput(SuspiciousOperation):
    pass


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request, BadInput("NUL byte in the request"))
        return self.get_response(request)

    def process_exception(self, request, exception):
        # A filter's number beyond what a date or the database can hold (?year=99999999999):
        # the input is wrong, not the server. Logged, so a real bug still shows.
        if isinstance(exception, (OverflowError, DataError)):
            logger.warning("Bad input on %s: %s", request.path, exception)
            return bad_request(request, BadInput(str(exception)))
        return None
