"""What every form of the portal shares: form-level errors tied to the fields they concern (WCAG 1.3.1, 3.3.1)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS


def non_field_errors_id(form) -> str:
    """The id of the box that shows a form's form-level errors (``templates/bootstrap5/errors.html``)."""
    prefix = getattr(form, "prefix", None)
    return f"{prefix}-non-field-errors" if prefix else "non-field-errors"


class TiedErrorsMixin:
    """A form whose form-level errors concern some of its fields ("answer at least one statement").

    After a failed clean those fields are marked invalid and described by the error box, so a screen reader
    announces the error on the field, and the page's error summary links to the first of them.
    """

    non_field_error_fields: tuple[str, ...] = ()

    def fields_concerned(self) -> list[str]:
        """The fields a form-level error concerns; by default ``non_field_error_fields``, else every field."""
        names = self.non_field_error_fields or tuple(self.fields)
        return [name for name in names if name in self.fields and not self.fields[name].widget.is_hidden]

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self.non_field_errors():
            return
        for name in self.fields_concerned():
            bound = self[name]
            described_by = [bound.aria_describedby or "", non_field_errors_id(self)]
            widget = self.fields[name].widget
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = " ".join(part for part in described_by if part)


def forms_with_errors(values) -> list:
    """The bound forms and formsets among ``values`` that failed validation, each once, in order."""
    found, seen = [], set()
    for value in values:
        if id(value) in seen:
            continue
        if isinstance(value, forms.BaseForm | forms.BaseFormSet) and value.is_bound and not value.is_valid():
            seen.add(id(value))
            found.append(value)
    return found


def error_links(form) -> list[dict]:
    """One entry per error of a failed form: the text to show and the id of the field (or box) it belongs to."""
    if isinstance(form, forms.BaseFormSet):
        links = [{"target": "", "text": str(error)} for error in form.non_form_errors()]
        for member in form.forms:
            links += error_links(member)
        return links
    links = []
    concerned = form.fields_concerned() if isinstance(form, TiedErrorsMixin) else []
    for error in form.non_field_errors():
        target = _field_target(form[concerned[0]]) if concerned else non_field_errors_id(form)
        links.append({"target": target, "text": str(error)})
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        target = non_field_errors_id(form) if bound.is_hidden else _field_target(bound)
        for error in errors:
            links.append({"target": target, "text": f"{bound.label}: {error}" if bound.label else str(error)})
    return links


def _field_target(bound) -> str:
    """The id a link to a field leads to: its input, or for a group of radios or checkboxes the first of them."""
    if bound.id_for_label:
        return bound.id_for_label
    first = next(iter(bound.subwidgets), None)
    return (first.id_for_label if first is not None else "") or bound.auto_id
