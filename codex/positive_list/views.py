"""Pages of the positive list. Anyone may read the lists and the items (the public pages show no person's name);
the secretariat, the committee's chair and an item's owner add, change and review. Thin: parse, authorise, call one
service, message, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetings.models import Committee

from ..errors import CodexError
from . import permissions as can
from . import selectors, services
from .forms import ListFilterForm, PolicyItemForm, ReviewForm, committee_of_choice, list_choices
from .models import PolicyItem, ReviewDecision
from .selectors import CITY_COUNCIL

PAGE_SIZE = 25
NOT_SAVED = _("The item is not saved. Correct the marked fields.")


def policy_list_index(request):
    return render(
        request,
        "codex/positive_list/list_index.html",
        {"lists": selectors.overview(), "may_add": can.may_add_anywhere(request.user)},
    )


def policy_list_detail(request, key):
    policy_list = selectors.policy_list_for(key)
    form = ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    show_removed = filters.get("vis") == ListFilterForm.SHOW_REMOVED
    criteria = {"kind": filters.get("kind", ""), "demand": filters.get("demand", ""), "text": filters.get("q", "")}
    rows = selectors.removed_rows if show_removed else selectors.in_force_rows
    counted = selectors.counts(policy_list, **criteria)
    paginator = Paginator(rows(policy_list, **criteria).select_related("committee"), PAGE_SIZE)
    # Both tabs' counts come from one query; the paginator need not count its tab again.
    paginator.count = counted["removed" if show_removed else "in_force"]
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()
    tab_query.pop("vis", None)
    return render(
        request,
        "codex/positive_list/list_detail.html",
        {
            "policy_list": policy_list,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
            "show_removed": show_removed,
            "count_in_force": counted["in_force"],
            "count_removed": counted["removed"],
            "horizon": selectors.notice_horizon(),
            "today": timezone.localdate(),
            "may_add": can.can_add(request.user, policy_list.committee),
            "filtered": any(criteria.values()),
        },
    )


def policy_item_detail(request, pk):
    item = get_object_or_404(PolicyItem.objects.select_related("committee", "owner_person"), pk=pk)
    reviews, events = selectors.item_history(item)
    signed_in = request.user.is_authenticated
    return render(
        request,
        "codex/positive_list/item_detail.html",
        {
            "item": item,
            "reviews": reviews,
            # The event log names people: only for those signed in (the public page shows the reviews).
            "events": events if signed_in else [],
            "signed_in": signed_in,
            "may_manage": can.can_manage(request.user, item),
            "list_key": item.committee.slug if item.committee_id else CITY_COUNCIL,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_item_create(request):
    if not can.may_add_anywhere(request.user):
        raise PermissionDenied
    lists = list_choices(request.user, Committee.objects.active().order_by("name"))
    initial = {"adopted_on": timezone.localdate(), "owner_kind": "committee", "policy_list": request.GET.get("liste")}
    form = PolicyItemForm(request.POST or None, lists=lists, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.policy_item_add(
                    actor=request.user,
                    committee=committee_of_choice(form.cleaned_data["policy_list"]),
                    **form.item_fields(),
                )
            except CodexError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("»%(title)s« is on the list.") % {"title": item.title})
                return redirect(item)
        messages.error(request, NOT_SAVED)
    return render(request, "codex/positive_list/item_form.html", {"form": form, "item": None})


def _manageable(request, pk) -> PolicyItem:
    item = get_object_or_404(PolicyItem.objects.select_related("committee"), pk=pk)
    if not can.can_manage(request.user, item):
        raise PermissionDenied
    return item


@login_required
@require_http_methods(["GET", "POST"])
def policy_item_edit(request, pk):
    item = _manageable(request, pk)
    initial = {name: getattr(item, name) for name in services.EDITABLE_FIELDS}
    form = PolicyItemForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.policy_item_edit(item=item, actor=request.user, **form.item_fields())
            except CodexError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The changes are saved and recorded in the item's history."))
                return redirect(item)
        messages.error(request, NOT_SAVED)
    return render(request, "codex/positive_list/item_form.html", {"form": form, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def policy_item_review(request, pk):
    item = _manageable(request, pk)
    form = ReviewForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.policy_item_review(item=item, actor=request.user, **form.cleaned_data)
            except CodexError as error:
                form.add_error(None, str(error))
            else:
                done = {
                    ReviewDecision.KEEP: _("The review is recorded: the item is kept."),
                    ReviewDecision.SIMPLIFY: _("The review is recorded: the item is simplified."),
                    ReviewDecision.ABOLISH: _("The review is recorded: the item is abolished and shown as removed."),
                }
                messages.success(request, done[form.cleaned_data["decision"]])
                return redirect(item)
        messages.error(request, _("The review is not saved. Correct the marked fields."))
    return render(request, "codex/positive_list/item_review.html", {"form": form, "item": item})
