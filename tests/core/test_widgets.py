"""PlainSelect writes the same select as Django's, without a template per option (issue 19)."""

import pytest
from django import forms
from django.test.html import parse_html

from core.widgets import PlainSelect

CHOICES = [("", "Alle arbejdspladser"), (3, "Æblegården"), (11, "Skolen <Nord> & co"), (17, "Børnehuset")]


@pytest.mark.parametrize("value", [None, "", "3", 11, "999", ["17"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_workplace"}, {"id": "x", "required": True, "aria-describedby": "h"}]
)
def test_plain_select_writes_what_djangos_select_writes(value, attrs):
    plain = PlainSelect(choices=CHOICES).render("workplace", value, attrs)
    django = forms.Select(choices=CHOICES).render("workplace", value, attrs)
    assert parse_html(plain) == parse_html(django)


def test_only_the_first_matching_option_is_selected():
    html = PlainSelect(choices=[("1", "A"), ("1", "B")]).render("x", "1")
    assert html.count(" selected") == 1
    assert "&lt;" in PlainSelect(choices=CHOICES).render("x", None)  # names are escaped
