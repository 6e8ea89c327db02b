import hashlib

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from core.registry import committee_panels, panels_for, workplace_panels
from core.versioned_cache import model_version_keys, versioned_get_or_set

from . import selectors
from .forms import WorkplaceFilterForm, kept_filter_bar
from .models import Blackout, Committee, District, Workplace, WorkplaceKind, WorkplaceRole
from .models.organisation import NAME_VERSION_KEYS

PAGE_SIZE = 25


@login_required
def committee_list(request):
    return render(request, "meetings/committee_list.html", {"committees": selectors.committee_list()})


@login_required
def committee_detail(request, slug):
    try:
        committee = selectors.committee_detail(slug)
    except Committee.DoesNotExist:
        raise Http404 from None
    # As on a workplace's page: the floors above (the rotation's meetings) add their panels through the registry.
    context = {"committee": committee, "panels": panels_for(committee_panels, request, committee)}
    return render(request, "meetings/committee_detail.html", context)


# What a page of the workplace list reads (its rows, their kinds, districts and committees, and the filter bar's
# choices): a write to any of these replaces every kept page of the list.
_LIST_MODELS = (Workplace, Committee, WorkplaceKind, District)


@login_required
def workplace_list(request):
    """The part below the heading (the filter bar, the count, a page of rows) is the same for everyone and follows
    from the query string alone: kept per query string and language under the versions of what it reads, so a kept
    page reads neither the filter's choices nor a row (issue 19). A filter that fails validation is built on each
    request: the page's error summary reads the form."""
    failed = {}

    def compute() -> str | None:
        form = WorkplaceFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            failed["form"] = form
            return None
        return render_to_string("meetings/_workplace_list_body.html", _workplace_list_context(request, form))

    query = sorted((key, tuple(values)) for key, values in request.GET.lists())
    digest = hashlib.sha256(repr(query).encode()).hexdigest()[:32]
    body = versioned_get_or_set(
        f"workplace-list1:{get_language()}:{digest}", model_version_keys(*_LIST_MODELS), compute
    )
    if body is None:
        form = failed.get("form") or WorkplaceFilterForm(request.GET or None)
        context = _workplace_list_context(request, form)
        body = render_to_string("meetings/_workplace_list_body.html", context)
        return render(request, "meetings/workplace_list.html", {"form": form, "body": body})
    return render(request, "meetings/workplace_list.html", {"body": body})


def _workplace_list_context(request, form: WorkplaceFilterForm) -> dict:
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.workplace_list_page(
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
        committee=filters.get("committee"),
        kind=filters.get("kind"),
        district=filters.get("district"),
        text=filters.get("q") or "",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,  # the page's error summary reads it
        "filter_bar": kept_filter_bar(form, name=f"workplaces:{form.committee_choice}"),
        "page": page,
        "query": query.urlencode(),
    }


# What the workplace page's facts read: a write to any of these replaces the kept facts; the names of its leader and
# trio change the feeds' version for everyone (a saved name) or the roles' (a bulk write of people, an erasure).
_FACTS_MODELS = (Workplace, Committee, WorkplaceRole, WorkplaceKind, District, Blackout)


def workplace_facts(slug: str) -> tuple[Workplace, str]:
    """The workplace (with what the panels read prefetched) and its page's facts, people and closures as HTML: the
    same for everyone who may see the page, so kept per workplace and language under the versions of every model
    they read, and for today (current roles and coming closures change at midnight; issue 19). No query on a hit.
    ``Workplace.DoesNotExist`` for an unknown slug."""

    def compute():
        workplace = selectors.workplace_detail(slug)
        return workplace, render_to_string("meetings/_workplace_facts.html", {"workplace": workplace})

    return versioned_get_or_set(
        f"workplace-facts1:{slug}:{get_language()}",
        [*model_version_keys(*_FACTS_MODELS), *NAME_VERSION_KEYS],
        compute,
        also=timezone.localdate(),
    )


@login_required
def workplace_detail(request, slug):
    try:
        workplace, facts = workplace_facts(slug)
    except Workplace.DoesNotExist:
        raise Http404 from None
    # The floors above add their panels (the agreements' goals) through the registry: this floor cannot import them.
    context = {"workplace": workplace, "facts": facts, "panels": panels_for(workplace_panels, request, workplace)}
    return render(request, "meetings/workplace_detail.html", context)
