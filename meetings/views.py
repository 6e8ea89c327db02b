from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from agreements.selectors import workplace_goals_for
from codex import selectors as codex_selectors

from . import selectors
from .forms import WorkplaceFilterForm
from .models import Committee, Workplace

PAGE_SIZE = 25


def home(request):
    if not request.user.is_authenticated:
        return render(request, "meetings/home_public.html")
    context = {"board": selectors.dashboard_for(request.user), "codex_banner": codex_selectors.banner_for(request.user)}
    return render(request, "meetings/dashboard.html", context)


@login_required
def committee_list(request):
    return render(request, "meetings/committee_list.html", {"committees": selectors.committee_list()})


@login_required
def committee_detail(request, slug):
    try:
        committee = selectors.committee_detail(slug)
    except Committee.DoesNotExist:
        raise Http404 from None
    return render(request, "meetings/committee_detail.html", {"committee": committee})


@login_required
def workplace_list(request):
    form = WorkplaceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    workplaces = selectors.workplace_list(
        committee=filters.get("committee"),
        kind=filters.get("kind"),
        district=filters.get("district"),
        text=filters.get("q") or "",
    )
    page = Paginator(workplaces, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # queries run here, not while the template renders
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "meetings/workplace_list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def workplace_detail(request, slug):
    try:
        workplace = selectors.workplace_detail(slug)
    except Workplace.DoesNotExist:
        raise Http404 from None
    context = {"workplace": workplace, "goal_agreements": workplace_goals_for(request.user, workplace)}
    return render(request, "meetings/workplace_detail.html", context)
