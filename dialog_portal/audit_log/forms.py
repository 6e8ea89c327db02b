from django import forms
from django.utils.translation import gettext_lazy as _

from core.pickers import Pick, Picker

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

    # The person is searched as one types (core/pickers.py): ``person`` is the chosen person's number (links use
    # it alone), ``person_navn`` the name in the search field. An old link with a name in ``person`` still works.
    person = forms.CharField(label=_("Person"), required=False, max_length=200)
    person_navn = forms.CharField(
        label=_("Person"), required=False, max_length=200, help_text=_("Type part of the name and choose.")
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

    def _current(self, name: str) -> str:
        value = self[name].value()
        return "" if value is None else str(value)

    def action_groups(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        """The action select's groups for the hand-written filter bar: (area, [(code, label, selected)])."""
        current = self._current("action")
        return [
            (area, [(code, label, code == current) for code, label in items])
            for area, items in self.fields["action"].choices[1:]
        ]

    def type_options(self) -> list[tuple[str, str, bool]]:
        current = self._current("type")
        return [(code, label, code == current) for code, label in self.fields["type"].choices]

    def person_pick(self, picker: Picker) -> Pick:
        """The person chosen or typed, resolved by ``picker``: a number from a link is taken as it is; a typed name
        is looked up (one match is chosen, several are listed to choose from, none is said)."""
        value = (self.cleaned_data.get("person") or "").strip() if hasattr(self, "cleaned_data") else ""
        if "person_navn" in self.errors:
            return Pick(text=str(self.data.get("person_navn", "")))
        if "person_navn" not in self.data:
            if value and not value.isdigit():  # an old link or bookmark with a name
                return picker.resolve(value="", text=value)
            return picker.resolve(value=value, text=None)
        return picker.resolve(value=value if value.isdigit() else "", text=self.cleaned_data.get("person_navn", ""))

    def filters(self, person: Pick | None = None) -> AuditFilters:
        """The valid filters; none when the form has errors (the page then shows the errors, not every entry).
        ``person`` is the resolved pick; without one the typed number or name is used as it is (the export)."""
        data = self.cleaned_data
        return AuditFilters(
            person=person.value if person is not None else (data.get("person") or "").strip(),
            action=data.get("action") or "",
            object_type=data.get("type") or "",
            object_id=data.get("id") or "",
            date_from=data.get("fra"),
            date_to=data.get("til"),
        )
