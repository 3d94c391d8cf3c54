import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Render a coordinator's Markdown and keep only safe HTML (no scripts, styles or handlers)."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return mark_safe(nh3.clean(html))  # noqa: S308 -- sanitised by nh3 on the line itself


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
