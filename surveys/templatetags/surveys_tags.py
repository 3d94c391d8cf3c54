from django import template

from surveys.services.invitations import open_invitations_for

register = template.Library()


@register.inclusion_tag("surveys/_open_surveys.html")
def open_surveys_for(member):
    return {"invitations": list(open_invitations_for(member=member)[:10])}
