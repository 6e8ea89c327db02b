"""The secretariat's list of notices the portal gave up delivering, with a button to try each again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import outbox
from .errors import DomainError
from .models import OutboxMessage


def _require_administrator(request) -> None:
    if not getattr(request.user, "is_administrator", False):
        raise Http404


@login_required
def outbox_dead_list(request):
    _require_administrator(request)
    page = Paginator(OutboxMessage.objects.dead().order_by("-dead_at", "-pk"), 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # queries run here, not while the template renders
    concerns = outbox.message_concerns(page.object_list)
    rows = [
        {"message": m, "handler": outbox.handler_label(m.handler), "concerns": concerns[m.pk]} for m in page.object_list
    ]
    return render(request, "core/outbox_dead_list.html", {"page": page, "rows": rows, "query": ""})


@login_required
@require_POST
def outbox_retry(request, pk):
    _require_administrator(request)
    message = get_object_or_404(OutboxMessage, pk=pk)
    try:
        outbox.outbox_retry(message=message, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The message is being sent again. It leaves the list when it has been delivered."))
    return redirect("meetings:outbox-dead-list")
