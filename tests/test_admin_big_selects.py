"""No admin form lists every person or every workplace in a select (6,000 people and 2,000 workplaces at the
largest municipality's scale, issue 19): a field that picks one is an autocomplete or a raw id."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    ForeignKeyRawIdWidget,
    ManyToManyRawIdWidget,
)
from django.test import RequestFactory

from meetings.models import User, Workplace
from tests import factories

pytestmark = pytest.mark.django_db

SEARCHED = (AutocompleteSelect, AutocompleteSelectMultiple, ForeignKeyRawIdWidget, ManyToManyRawIdWidget)


def _big_selects(form_class, parent_fk=None) -> list[str]:
    found = []
    for name, field in form_class.base_fields.items():
        if name == parent_fk or not isinstance(field, forms.ModelChoiceField):
            continue
        if field.queryset.model not in (User, Workplace):
            continue
        widget = getattr(field.widget, "widget", field.widget)  # the admin wraps it to add "+" links
        if not isinstance(widget, SEARCHED):
            found.append(name)
    return found


def test_no_admin_add_form_selects_among_every_person_or_workplace():
    request = RequestFactory().get("/")
    request.user = factories.AdministratorFactory(is_superuser=True)
    offenders = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue
        label = f"{model._meta.label} ({type(model_admin).__name__})"
        offenders += [f"{label}.{name}" for name in _big_selects(model_admin.get_form(request))]
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            parent_fk = formset.fk.name if getattr(formset, "fk", None) else None
            offenders += [f"{label} {type(inline).__name__}.{n}" for n in _big_selects(formset.form, parent_fk)]
    assert offenders == []
