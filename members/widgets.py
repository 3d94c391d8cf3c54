"""A select that writes its HTML in Python instead of through Django's widget templates.

Profiled under load (bench/pages_load.py), the profile form spent most of its time rendering the
time-zone select: Django's template renders each of its ~430 options with two template includes
(the option, then its attributes), about 20 ms a page. This widget writes the same markup (same
attributes, groups, selected option, escaping) with format_html, about a quarter of the time,
and stays a plain <select>: accessible, and working without JavaScript.
"""

from django import forms
from django.utils.html import format_html, format_html_join


def _attribute(name, value):
    # As django/forms/widgets/attrs.html: `True` names the attribute alone.
    return format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)


class PlainSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        # As forms.Select: the first option whose value matches is selected; None is "".
        wanted = set(self.format_value(value))

        def option(option_value, label):
            option_value = "" if option_value is None else str(option_value)
            selected = option_value in wanted
            if selected:
                wanted.clear()
            return (option_value, " selected" if selected else "", label)

        def options(choices):
            return format_html_join(
                "\n",
                '<option value="{}"{}>{}</option>',
                (option(value, label) for value, label in choices),
            )

        parts = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(
                    format_html(
                        '<optgroup label="{}">\n{}\n</optgroup>', group_value, options(group_label)
                    )
                )
            else:
                parts.append(options([(group_value, group_label)]))
        # format_html escapes every name, value and label; attributes keep their order, and
        # `False` leaves one out, as Django's template does.
        attributes = self.build_attrs(self.attrs, attrs).items()
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            format_html_join(
                "", "{}", ((_attribute(*item),) for item in attributes if item[1] is not False)
            ),
            format_html_join("\n", "{}", ((part,) for part in parts)),
        )
