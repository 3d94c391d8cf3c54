from django import template

from members.markdown import markdown_to_html
from resources import services
from resources.models import MEETING_KINDS, Resource

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """An author's Markdown as safe HTML (scripts, handlers and javascript: links removed)."""
    return markdown_to_html(text)


@register.inclusion_tag("resources/_meeting_resources.html", takes_context=True)
def meeting_resources(context, meeting):
    """The published notes and slides of a meeting that the reader may see: one query.

    A template tag, so that meetings shows them without importing resources.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    is_member = services.sees_members_only(user)
    resources = (
        Resource.objects.visible_to(is_member=is_member)
        .for_listing()  # a title and a kind: not the long texts
        .filter(meeting=meeting, kind__in=MEETING_KINDS)
        .order_by("kind", "title")
    )
    return {"meeting_resources": list(resources)}
