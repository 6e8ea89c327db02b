"""The secretariat's page for importing the organisation from CSV or XLSX files."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import imports

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_field(label) -> forms.FileField:
    return forms.FileField(label=label, required=False, widget=forms.FileInput(attrs={"accept": ACCEPT}))


class OrganisationImportForm(forms.Form):
    committees = _file_field(gettext_lazy("Committees"))
    workplaces = _file_field(gettext_lazy("Workplaces"))
    people = _file_field(gettext_lazy("People"))
    blackouts = _file_field(gettext_lazy("Blackout periods"))
    history = _file_field(gettext_lazy("Past hostings"))
    invite = forms.BooleanField(
        label=gettext_lazy("Invite new people"),
        required=False,
        help_text=gettext_lazy("Send a set-password e-mail to every person the import creates."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in imports.FILES:  # built per request, so the help text is in the reader's language
            self.fields[kind].help_text = _("CSV (UTF-8) or XLSX with a header row. Columns: %(columns)s.") % {
                "columns": imports.column_summary(kind)
            }

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(kind) for kind in imports.FILES):
            raise forms.ValidationError(_("Choose at least one file to import."))
        return cleaned


@login_required
def organisation_import(request):
    if not request.user.is_administrator:
        raise PermissionDenied
    problems = []
    form = OrganisationImportForm(request.POST, request.FILES) if request.method == "POST" else OrganisationImportForm()
    if form.is_bound and form.is_valid():
        files = {kind: form.cleaned_data[kind] for kind in imports.FILES if form.cleaned_data[kind]}
        try:
            result = imports.organisation_import(**files, actor=request.user, invite=form.cleaned_data["invite"])
        except imports.OrganisationImportError as exc:
            problems = exc.problems
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Import finished. %(summary)s") % {"summary": result.summary()})
            return redirect("meetings:organisation-import")
    return render(request, "meetings/organisation_import.html", {"form": form, "problems": problems})
