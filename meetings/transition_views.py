"""The page of one step of a workflow (confirm a visit, submit an agreement, …), shared by the apps that have one.

A GET shows what the step does and asks to confirm it; the change is a POST. A refusal (the app's domain error,
already translated) is shown one way everywhere: with nothing to fill in, as a message on the object's page, where
the person is sent back; with a form, on the form above its fields, keeping what was typed. Django only: it can
move to the floor below the apps as it is.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect, render


def transition_page(
    request,
    obj: models.Model,
    *,
    template: str,
    service: Callable[[dict], object],
    refused: type[Exception] | tuple[type[Exception], ...],
    title: str,
    explanation: str,
    button: str,
    success: str,
    form: forms.Form | None = None,
    danger: bool = False,
    allowed: bool = True,
):
    """Confirm on GET; on POST call ``service`` with the form's cleaned data (or ``{}``) and go back to ``obj``.
    The template gets the object under its model's name (``visit``, ``agreement``) and the shared
    ``includes/_transition_form.html`` draws the form.

    ``allowed`` is the caller's per-object check of who may take the step: without it, 403 on GET and POST alike,
    so a person who may see the object is not shown a confirmation they cannot use. The service still refuses
    on its own (it is the rule); this only keeps the page honest."""
    if not allowed:
        raise PermissionDenied
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            service(form.cleaned_data if form is not None else {})
        except refused as error:
            if form is None:
                messages.error(request, str(error))
                return redirect(obj)
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(obj)
    context = {
        obj._meta.model_name: obj,
        "object": obj,
        "form": form,
        "title": title,
        "explanation": explanation,
        "button": button,
        "danger": danger,
    }
    return render(request, template, context)
