"""Template tags for the forms of every page: the error summary at the top and the form-level error box's id."""

from django import template

from core.forms import error_links, forms_with_errors, non_field_errors_id

register = template.Library()


@register.simple_tag(takes_context=True)
def page_form_errors(context) -> list[dict]:
    """Every error of every form on the page that failed validation, as links for the error summary.

    The base template calls it once: a failed submit puts "Error:" in the title and an error summary at the top.
    """
    values = []
    for layer in context.dicts:
        values.extend(layer.values())
    links = []
    for form in forms_with_errors(values):
        links.extend(error_links(form))
    return links


@register.filter
def nonfield_errors_id(form) -> str:
    return non_field_errors_id(form)


@register.filter
def has_required_fields(form) -> bool:
    """Whether a form shows a field that must be filled in (then it explains the asterisk)."""
    return any(field.field.required for field in form.visible_fields())
