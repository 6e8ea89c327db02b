from django import forms
from django.utils.translation import gettext_lazy as _

from . import labels
from .selectors import AuditFilters


def _action_choices():
    choices = [("", _("All actions"))]
    for area, items in labels.action_choices():
        code_area = items[0][0].split(".", 1)[0]
        choices.append((area, [(f"{code_area}.*", _("All: %(area)s") % {"area": area}), *items]))
    return choices


def _type_choices():
    return [("", _("All kinds")), *((code, label) for code, label in labels.OBJECT_TYPES.items())]


class AuditFilterForm(forms.Form):
    """The page's filters, read from the query string (GET), so a filtered view is a link to share or bookmark."""

    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=200,
        help_text=_("A name, or part of one."),
    )
    action = forms.ChoiceField(label=_("Action"), required=False, choices=_action_choices)
    type = forms.ChoiceField(label=_("Kind of object"), required=False, choices=_type_choices)
    id = forms.CharField(
        label=_("Object number"), required=False, max_length=64, help_text=_("With a kind: one object's history.")
    )
    fra = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    til = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_id(self):
        value = (self.cleaned_data.get("id") or "").strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("Write the object's number with digits only."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til") and data["fra"] > data["til"]:
            self.add_error("til", _("The period must end on or after the day it starts."))
        if data.get("id") and not data.get("type"):
            self.add_error("type", _("Choose the kind of object the number belongs to."))
        return data

    def filters(self) -> AuditFilters:
        """The valid filters; none when the form has errors (the page then shows the errors, not every entry)."""
        data = self.cleaned_data
        return AuditFilters(
            person=(data.get("person") or "").strip(),
            action=data.get("action") or "",
            object_type=data.get("type") or "",
            object_id=data.get("id") or "",
            date_from=data.get("fra"),
            date_to=data.get("til"),
        )
