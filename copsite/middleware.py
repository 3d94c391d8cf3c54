"""Site-wide request handling that belongs to no single app."""

import logging

from django.http import Http404
from django.views.defaults import page_not_found

logger = logging.getLogger(__name__)


class NotFoundPageMiddleware:
    """A view's "not found" shows the styled 404 page, with DEBUG on as with it off.

    Views answer "not found" for things that exist but are not the reader's to see (a draft
    meeting, a members-only resource, an expired email link). With DEBUG on, Django would show
    its technical 404 page there, so what a visitor meets cannot be seen in development. Only
    Http404 raised by a view comes here: a URL that matches no pattern still gets Django's debug
    page listing the patterns, and every other exception keeps its traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Http404):
            return None
        # The reason stays in the log for developers; the page never shows it.
        logger.info("Not found: %s (%s)", request.path, exception)
        return page_not_found(request, exception)
