"""What every app's admin shares: history is read-only in the admin.

Events, signatures, feedback and published records change only through the services, which record, audit and
notify; the admin shows them for lookup and search.
"""

from django.contrib import admin
from django.utils.translation import gettext as _


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for lookup and search; changed only through the services (so every change is recorded)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline:
    """An inline that shows history and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _label_row(form, index):
    """Name every field of a table row after its column and row: a tabular inline shows its labels only as column
    headers, so a screen reader (and axe: label, select-name) would otherwise meet nameless fields."""
    for field in form.fields.values():
        if field.widget.is_hidden:
            continue
        if index is None:
            name = _("%(label)s, new row") % {"label": field.label}
        else:
            name = _("%(label)s, row %(number)s") % {"label": field.label, "number": index + 1}
        field.widget.attrs["aria-label"] = name
        inner = getattr(field.widget, "widget", None)  # the admin's related-object wrapper
        if inner is not None:
            inner.attrs["aria-label"] = name


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose fields carry their column's name (and the row's number) as their accessible name."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                _label_row(form, index)

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet
