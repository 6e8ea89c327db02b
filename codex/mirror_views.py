"""The one page of the mirror questions, for every kind of occasion (the URL names the kind)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.registry import mirror_occasions

from . import mirror, services
from .errors import CodexError


@login_required
def mirror_answer(request, pk, *, kind):
    """Answer the codex's mirror questions after an occasion, anonymously, once."""
    occasion = mirror_occasions[kind]
    obj = occasion.get_for_user(request.user, pk)
    if not occasion.took_part(request.user, obj):
        raise Http404
    not_yet = occasion.not_yet(obj)
    if not_yet:
        messages.info(request, not_yet)
        return redirect(obj)
    key = occasion.key(obj)
    if mirror.has_answered(request.user, key):
        messages.info(request, occasion.answered)
        return redirect(obj)
    form = mirror.MirrorForm(request.POST if request.method == "POST" else None, questions=mirror.active_questions())
    if request.method == "POST" and form.is_valid():
        try:
            services.mirror_answers_record(person=request.user, occasion_key=key, scores=form.scores())
        except CodexError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your answers are anonymous."))
            return redirect(obj)
    context = {"occasion": obj, "lead": occasion.lead(obj), "intro": occasion.intro, "form": form}
    return render(request, "codex/mirror_form.html", context)
