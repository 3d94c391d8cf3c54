from django import template

from surveys.services.invitations import open_invitations_for

register = template.Library()


@register.inclusion_tag("surveys/_open_surveys.html")
def open_surveys_for(member):
    return {"invitations": list(open_invitations_for(member=member)[:10])}


@register.filter
def localized(content, field):
    """A survey's, question's or choice's text in the reader's language, as plain text (for
    the page's <title> and emails)."""
    return content.localized(field)


@register.filter
def localized_html(content, field):
    """As `localized`, for a page's body: English shown to a French reader carries lang="en"."""
    return content.localized_html(field)
