"""The error summary every page shows after a failed submit, and form-level errors tied to their fields."""

from django import forms
from django.template import Context, Template
from django.utils import translation

from core.forms import TiedErrorsMixin, error_links, non_field_errors_id


class _PeriodForm(forms.Form):
    title = forms.CharField(label="Title")
    note = forms.CharField(label="Note", required=False, help_text="Say more.")


class _AnyAnswerForm(TiedErrorsMixin, forms.Form):
    non_field_error_fields = ("first", "second")
    first = forms.CharField(label="First", required=False)
    second = forms.CharField(label="Second", required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("first") and not data.get("second"):
            raise forms.ValidationError("Answer at least one.")
        return data


def _render(source: str, **context) -> str:
    return Template("{% load portal_forms %}" + source).render(Context(context))


def test_a_failed_form_gives_one_link_per_field_error_naming_the_field():
    with translation.override("en"):
        form = _PeriodForm(data={})
        assert error_links(form) == [{"target": "id_title", "text": "Title: This field is required."}]


def test_a_valid_or_unbound_form_gives_no_error_links_to_the_page():
    rendered = _render(
        "{% page_form_errors as links %}{{ links|length }}", form=_PeriodForm(), other=_PeriodForm(data={"title": "x"})
    )
    assert rendered == "0"


def test_the_page_collects_the_errors_of_every_failed_form_once():
    form = _PeriodForm(data={})
    rendered = _render("{% page_form_errors as links %}{{ links|length }}", form=form, again=form)
    assert rendered == "1"


def test_a_form_level_error_marks_the_fields_it_concerns_invalid_and_described_by_the_error_box():
    form = _AnyAnswerForm(data={})
    assert not form.is_valid()
    html = str(form["first"])
    assert 'aria-invalid="true"' in html
    assert f'aria-describedby="{non_field_errors_id(form)}"' in html
    assert "aria-invalid" not in str(form["hidden"])


def test_a_form_level_error_links_to_the_first_field_it_concerns():
    form = _AnyAnswerForm(data={}, prefix="answers")
    assert error_links(form) == [{"target": "id_answers-first", "text": "Answer at least one."}]
    assert non_field_errors_id(form) == "answers-non-field-errors"


def test_a_form_level_error_keeps_the_help_text_in_the_description():
    class WithHelp(_AnyAnswerForm):
        first = forms.CharField(label="First", required=False, help_text="One word.")

    form = WithHelp(data={})
    form.is_valid()
    assert 'aria-describedby="id_first_helptext non-field-errors"' in str(form["first"])


def test_a_form_that_passes_leaves_its_fields_unmarked():
    form = _AnyAnswerForm(data={"first": "yes"})
    assert form.is_valid()
    assert "aria-invalid" not in str(form["first"])


def test_the_required_legend_shows_only_when_a_visible_field_must_be_filled_in():
    assert _render("{{ form|has_required_fields }}", form=_PeriodForm()) == "True"
    assert _render("{{ form|has_required_fields }}", form=_AnyAnswerForm()) == "False"
