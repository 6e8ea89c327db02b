"""Widgets that render long lists without a template per item (issue 19)."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A select of flat choices written in one pass: Django's own renders a template for every option, which a
    filter bar with hundreds of workplaces feels on every request. The markup is the same as Django's (the same
    attributes, one option selected); option groups are not supported."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attributes = {"name": name, **self.build_attrs(self.attrs, attrs)}
        rows = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = bool(chosen) and option_value in chosen
            if selected:
                chosen = set()  # only the first match is selected, as in Django's select
            rows.append((option_value, mark_safe(" selected") if selected else "", label))
        options = format_html_join("", '\n  <option value="{}"{}>{}</option>\n', rows)
        return format_html("<select{}>{}</select>", flatatt(attributes), options)
