from django import template

from members.markdown import markdown_to_html

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Render a coordinator's Markdown and keep only safe HTML (no scripts, styles or handlers)."""
    return markdown_to_html(text)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
