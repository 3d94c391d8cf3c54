"""Markdown written by people (coordinators, members) rendered to HTML that is safe to show.

It lives in members, the app every other app may import, so meetings and resources share one
sanitiser instead of each keeping its own.
"""

import threading

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

# No images: a picture from another site in what members read would tell that site who read it.
ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"img"}
URL_SCHEMES = {"http", "https", "mailto"}


_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    """This thread's Markdown converter. Building one loads its extensions, which profiled as
    most of rendering a short text; a converter is reused after reset(), but not shared
    between threads."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown_lib.Markdown(extensions=["sane_lists"], output_format="html")
        _local.converter = converter
    return converter


def markdown_to_html(text: str) -> SafeString:
    """Render Markdown and keep only safe HTML: no scripts, styles, event handlers, images or
    links other than http, https, mailto and relative ones."""
    html = _converter().reset().convert(text or "")
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, url_schemes=URL_SCHEMES)
    return mark_safe(cleaned)  # noqa: S308 -- sanitised by nh3 above  # nosec
