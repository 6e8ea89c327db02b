"""The secretariat's audit log page and its export. Administrators only; everyone else is told nothing exists."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from core.audit import audit_record
from core.exports import csv_streaming_response
from core.models import AuditEntry
from core.pickers import Pick

from . import export, selectors
from .forms import AuditFilterForm
from .selectors import AuditFilters

PAGE_SIZE = 50


def _require_administrator(request) -> None:
    if not request.user.roles.is_administrator:
        raise Http404


def _filters(request) -> tuple[AuditFilterForm, AuditFilters | None, str, Pick]:
    """The form, the valid filters (None when the form has errors or a typed name fits no single person), the query
    string without the page, and the person's pick."""
    form = AuditFilterForm(request.GET or None)
    if not request.GET:
        return form, AuditFilters(), "", Pick()
    valid = form.is_valid()
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    person = form.person_pick(selectors.actor_picker())
    if not valid or person.text:
        return form, None, query, person
    return form, form.filters(person), query, person


def _person_links(request, person: Pick) -> list[tuple[str, str]]:
    """For a typed name that fits several people: a link per match that keeps the other filters."""
    links = []
    for value, label in person.matches:
        query = request.GET.copy()
        query.pop("page", None)
        query["person"] = value
        query["person_navn"] = label
        links.append((f"?{query.urlencode()}", label))
    return links


@login_required
def entry_list(request):
    _require_administrator(request)
    form, filters, query, person = _filters(request)
    page = None
    heading_object = None
    if filters is not None:
        page = Paginator(selectors.entries(filters), PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.rows(list(page.object_list))
        if filters.object_type:
            heading_object = selectors.describe_object(filters.object_type, filters.object_id)
    return render(
        request,
        "auditlog/entry_list.html",
        {
            "form": form,
            "filters": filters,
            "person": person,
            "person_links": _person_links(request, person),
            "page": page,
            "query": query,
            "heading_object": heading_object,
            "export_url": f"{reverse('auditlog:entry-export')}{'?' + query if query else ''}",
        },
    )


@login_required
def actor_search(request):
    """The person search field's answers as JSON: the people who have entries in the log (administrators only,
    like the log itself; at most ``core.pickers.LIMIT`` names)."""
    _require_administrator(request)
    return selectors.actor_picker().response(request)


@login_required
def entry_export(request):
    _require_administrator(request)
    if request.method != "GET":  # the export writes its own audit entry: only a plain GET does
        return HttpResponseNotAllowed(["GET"])
    _form, filters, _query, _person = _filters(request)
    # Filters with errors give an empty file, never the whole log.
    qs = selectors.entries(filters) if filters is not None else AuditEntry.objects.none()
    # Exporting the log is itself logged: who took which part of it out of the portal.
    audit_record(
        actor=request.user,
        action="audit.exported",
        object_type="audit",
        object_id="",
        data={"filters": filters.as_data() if filters is not None else {}, "rows": qs.count()},
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return csv_streaming_response(f"revisionslog-{stamp}.csv", export.lines(qs, language=translation.get_language()))
