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
        # As forms.Select: the first option whose value matches is selected; None is "".
        wanted = set(self.format_value(value))
        final_attrs = _attrs(self.build_attrs(self.attrs, attrs))
        html = [f'<select name="{conditional_escape(name)}"{final_attrs}>']

        def option(option_value, label):
            option_value = "" if option_value is None else str(option_value)
            selected = option_value in wanted
            if selected:
                wanted.clear()
            return (
                f'<option value="{conditional_escape(option_value)}"'
                f"{' selected' if selected else ''}>{conditional_escape(label)}</option>"
            )

        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                html.append(f'<optgroup label="{conditional_escape(group_value)}">')
                html.extend(option(*choice) for choice in group_label)
                html.append("</optgroup>")
            else:
                html.append(option(group_value, group_label))
        html.append("</select>")
        return mark_safe("\n".join(html))  # noqa: S308 -- every part above is escaped
