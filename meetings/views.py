from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core.registry import committee_panels, panels_for, workplace_panels

from . import selectors
from .forms import WorkplaceFilterForm
from .models import Committee, Workplace

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


@login_required
def workplace_list(request):
    form = WorkplaceFilterForm(request.GET or None)
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
    return render(request, "meetings/workplace_list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def workplace_detail(request, slug):
    try:
        workplace = selectors.workplace_detail(slug)
    except Workplace.DoesNotExist:
        raise Http404 from None
    # The floors above add their panels (the agreements' goals) through the registry: this floor cannot import them.
    context = {"workplace": workplace, "panels": panels_for(workplace_panels, request, workplace)}
    return render(request, "meetings/workplace_detail.html", context)
