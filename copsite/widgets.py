"""A select that writes its HTML in Python instead of through Django's widget templates.

Profiled under load (bench/pages_load.py), the profile form spent most of its time rendering the
time-zone select: Django's template renders each of its ~430 options with two template includes
(the option, then its attributes), about 20 ms a page. This widget writes the same markup (same
attributes, groups, selected option, escaping) directly, so the select costs well under a
millisecond and stays a plain <select>: accessible, and working without JavaScript.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: `False` leaves an attribute out, `True` names it."""
    html = []
    for name, value in attrs.items():
        if value is True:
            html.append(f" {conditional_escape(name)}")
        elif value is not False:
            html.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(html)


class PlainSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'<optgroup label="{conditional_escape(group_name)}">')
            html.extend(
                f'<option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("\n".join(html))  # noqa: S308 -- every part above is escaped
