"""The secretariat's page for importing the organisation from CSV or XLSX files.

An import that would give people who already have an account more rights stops and lists each raise. The files
are kept for an hour in the cache (bound to the administrator who chose them), so confirming does not mean
choosing them again; the confirmation names the exact list that was shown (its fingerprint), and the import is
checked once more when it is confirmed.
"""

import re
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import TiedErrorsMixin

from . import imports

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_field(label) -> forms.FileField:
    return forms.FileField(label=label, required=False, widget=forms.FileInput(attrs={"accept": ACCEPT}))


class OrganisationImportForm(TiedErrorsMixin, forms.Form):
    non_field_error_fields = tuple(imports.FILES)

    committees = _file_field(gettext_lazy("Committees"))
    workplaces = _file_field(gettext_lazy("Workplaces"))
    people = _file_field(gettext_lazy("People"))
    blackouts = _file_field(gettext_lazy("Blackout periods"))
    history = _file_field(gettext_lazy("Past hostings"))
    venues = _file_field(gettext_lazy("Venues"))
    invite = forms.BooleanField(
        label=gettext_lazy("Invite new people"),
        required=False,
        help_text=gettext_lazy("Send a set-password e-mail to every person the import creates."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in imports.FILES:  # built per request, so the help text is in the reader's language
            self.fields[kind].help_text = _(
                "CSV (separated by semicolons or commas, as Excel saves it) or XLSX, with a header row. "
                "Columns: %(columns)s."
            ) % {"columns": imports.column_summary(kind)}

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(kind) for kind in imports.FILES):
            raise forms.ValidationError(_("Choose at least one file to import."))
        return cleaned


class RaisesConfirmForm(forms.Form):
    stash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm_raises = forms.BooleanField(
        label=gettext_lazy("I have checked each raise: these people shall have these rights."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the raises, or go back.")},
    )


STASH_SECONDS = 3600
STASH_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what secrets.token_urlsafe gives; nothing else reaches the cache


def _stash_key(user, token: str) -> str:
    return f"organisation-import:{user.pk}:{token}"


@login_required
def organisation_import(request):
    if not request.user.is_administrator:
        raise PermissionDenied
    if request.method == "POST" and "stash" in request.POST:
        return _confirm_raises(request)
    problems, files = [], []
    form = OrganisationImportForm(request.POST, request.FILES) if request.method == "POST" else OrganisationImportForm()
    if form.is_bound and form.is_valid():
        files = {kind: form.cleaned_data[kind] for kind in imports.FILES if form.cleaned_data[kind]}
        try:
            result = imports.organisation_import(**files, actor=request.user, invite=form.cleaned_data["invite"])
        except imports.RightsRaiseNotConfirmed as exc:
            # Keep the files (bound to this administrator) so that confirming does not mean choosing them again.
            token = secrets.token_urlsafe(24)
            stashed = {
                "files": {kind: _read(upload) for kind, upload in files.items()},
                "invite": form.cleaned_data["invite"],
                "refused": exc,
            }
            cache.set(_stash_key(request.user, token), stashed, STASH_SECONDS)
            messages.warning(request, str(exc))
            confirm_form = RaisesConfirmForm(initial={"stash": token, "fingerprint": exc.fingerprint})
            return _render(request, refused=exc, confirm_form=confirm_form)
        except imports.OrganisationImportError as exc:
            problems, files = exc.problems, exc.files
            messages.error(request, str(exc))
        else:
            _finished(request, result)
            return redirect("meetings:organisation-import")
    return _render(request, form=form, problems=problems, files=files)


def _finished(request, result) -> None:
    messages.success(request, _("Import finished. %(summary)s") % {"summary": result.summary()})
    if result.files:  # "people.csv: Read as CSV separated by semicolons, character set Windows-1252."
        messages.info(request, " ".join(str(read) for read in result.files))


def _confirm_raises(request):
    """The second step: the administrator ticked that the listed raises are meant. The import runs again on the
    kept files and applies only when the raises are still exactly those that were shown."""
    confirm_form = RaisesConfirmForm(request.POST)
    token = request.POST.get("stash", "")
    key = _stash_key(request.user, token)
    stashed = cache.get(key) if STASH_TOKEN.fullmatch(token) else None
    if stashed is None:
        messages.error(request, _("The files are no longer kept (an hour has passed). Choose them again."))
        return redirect("meetings:organisation-import")
    if not confirm_form.is_valid():
        return _render(request, refused=stashed["refused"], confirm_form=confirm_form)
    try:
        result = imports.organisation_import(
            **stashed["files"],
            actor=request.user,
            invite=stashed["invite"],
            confirm_raises=True,
            confirmed_fingerprint=confirm_form.cleaned_data["fingerprint"],
        )
    except imports.RightsRaiseNotConfirmed as exc:  # the portal changed since the list was shown
        cache.set(key, {**stashed, "refused": exc}, STASH_SECONDS)
        messages.warning(request, _("The raises have changed since you checked them. Check them again."))
        confirm_form = RaisesConfirmForm(initial={"stash": token, "fingerprint": exc.fingerprint})
        return _render(request, refused=exc, confirm_form=confirm_form)
    except imports.OrganisationImportError as exc:
        cache.delete(key)
        messages.error(request, str(exc))
        return _render(request, problems=exc.problems, files=exc.files)
    cache.delete(key)
    _finished(request, result)
    return redirect("meetings:organisation-import")


def _read(upload) -> tuple[str, bytes]:
    upload.seek(0)
    return upload.name, upload.read()


def _render(request, *, form=None, problems=(), files=(), refused=None, confirm_form=None):
    return render(
        request,
        "meetings/organisation_import.html",
        {
            "form": form or OrganisationImportForm(),
            "problems": problems,
            "files": files,
            "refused": refused,
            "confirm_form": confirm_form,
        },
    )
