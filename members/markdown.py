"""Markdown written by people (coordinators, members) rendered to HTML that is safe to show.

It lives in members, the app every other app may import, so meetings and resources share one
sanitiser instead of each keeping its own.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe


def markdown_to_html(text: str) -> SafeString:
    """Render Markdown and keep only safe HTML: no scripts, styles, event handlers or
    `javascript:` links (nh3 allows http, https, mailto and relative links only)."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return mark_safe(nh3.clean(html))  # noqa: S308 -- sanitised by nh3 on the line itself
