"""`{{ path|absolute }}`: an email template's way to an absolute link, through members/links.py.

Emails cannot use relative links, and SITE_URL is the one source of the portal's address, so a
template never joins it to a path itself.
"""

from django import template

from members.links import absolute_url

register = template.Library()


@register.filter
def absolute(path: str) -> str:
    """The absolute link to a path of the portal, e.g. `{{ meeting.get_absolute_url|absolute }}`."""
    return absolute_url(path)
