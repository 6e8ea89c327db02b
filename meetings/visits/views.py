"""Pages for visits. Thin: parse, fetch-and-check, call one service, message, redirect."""

import datetime as dt
import hashlib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from agreements.selectors import workplace_goals_for
from codex.gate import require_codex_signed
from codex.mirror import has_answered
from codex.models import CodexPrinciple
from codex.selectors import current_version
from core.versioned_cache import model_version_keys, versioned_get_or_set, versioned_prefetch

from .. import feeds, ics
from ..errors import MeetingsError
from ..forms import kept_filter_bar
from ..models import (
    Blackout,
    District,
    User,
    Visit,
    VisitFeedback,
    VisitOffer,
    VisitParticipant,
    VisitSettings,
    VisitSlot,
    WaitlistEntry,
    Workplace,
    WorkplaceKind,
    WorkplaceTie,
)
from ..models.organisation import NAME_VERSION_KEYS, roles_version_keys
from ..transition_views import transition_page
from . import ical, selectors, services
from .exports import visits_csv
from .forms import (
    OutcomeForm,
    PoliticianFeedbackForm,
    ReasonForm,
    VisitAdminFilterForm,
    VisitBookForm,
    VisitFinderForm,
    VisitMoveForm,
    VisitOfferForm,
    VisitSettingsForm,
    WorkplaceFeedbackForm,
    WorkplaceTieForm,
    tie_workplace_picker,
)
from .mirror import VisitOccasion

PAGE_SIZE = 25
CALENDAR_DAYS = 28


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _visit_framework():
    """The codex's principles about visits, if the codex in force has them."""

    version = current_version()
    if version is None:
        return []
    words = Q(section__title__icontains="besøg") | Q(heading__icontains="besøg") | Q(section__title__icontains="visit")
    return list(CodexPrinciple.objects.filter(words, section__version=version).order_by("section__order", "order"))


# --- Politicians: find, look, book ----------------------------------------------------------------


@login_required
def visit_finder(request):
    """The finder. Below the introduction (the filter bar, the count, the rows and the pages) it is the same for
    everyone whose committees give the same workplaces (``selectors.finder_scope``), so that part is kept per query
    string (the pages' links repeat it) and language under the versions of what it reads (``selectors.
    FINDER_MODELS``) and today's date (the booking notice counts from today), until time alone changes it
    (``selectors.FinderPage``); "only workplaces I have not visited" is the person's own, so kept per person. Whether
    the person has visited a row is theirs: set per request where the kept rows leave a mark. One round trip to the
    cache, no query, when kept (issue 19)."""
    user = request.user
    query = request.GET.urlencode()
    person = user.pk if "not_visited" in request.GET else "all"
    digest = hashlib.sha256(query.encode()).hexdigest()
    key = f"finder:results2:{selectors.finder_scope(user)}:{person}:{translation.get_language()}:{digest}"
    versions = model_version_keys(*selectors.FINDER_MODELS)
    read = versioned_prefetch(list(dict.fromkeys([key, *versions, *selectors.visited_workplace_keys(user)])))
    visited = selectors.visited_workplace_ids(user, read=read)  # first: "not visited" reads it when built anew
    results = versioned_get_or_set(
        key,
        versions,
        lambda: _finder_results(request),
        also=timezone.localdate(),
        fresh=lambda value: timezone.now() < value["until"],
        read=read,
    )
    badge = format_html('<span class="badge text-bg-light border">{}</span>', _("visited by you"))
    table = _VISITED_MARK.sub(lambda mark: badge if int(mark[1]) in visited else "", results["table"])
    page = Paginator(range(results["count"]), PAGE_SIZE).page(results["number"])
    page.object_list = results["rows"]
    for row in page.object_list:
        row.visited_by_me = row.pk in visited
    return render(
        request,
        "meetings/visits/visit_finder.html",
        {
            # Only a query with something to correct needs the form itself: the page's error summary lists it.
            "form": VisitFinderForm(request.GET, user=user) if results["errors"] else None,
            "filter_bar": results["filter_bar"],
            "table": mark_safe(table),  # noqa: S308 - rendered by our own template, escaped there
            "page": page,
            "active_filters": results["active_filters"],
            "filters_open": results["filters_open"],
        },
    )


# Where a kept row of the finder shows "visited by you" to the person who has (``_visit_finder_table.html``).
_VISITED_MARK = re.compile(r"<!--visited:(\d+)-->")


def _finder_results(request) -> dict:
    """What the finder keeps: the filter bar and the table as finished HTML (links, text and the GET form's fields:
    no token, no message), the page's rows, and until when they hold."""
    form = VisitFinderForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = selectors.visit_finder_page(
        request.user,
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
        sort=filters.get("sort") or "fewest",
        committee=filters.get("committee"),
        kind=filters.get("kind"),
        district=filters.get("district"),
        text=filters.get("q") or "",
        not_visited=bool(filters.get("not_visited")),
        free_from=filters.get("free_from"),
        free_to=filters.get("free_to"),
    )
    page = found.page
    # The filters fold on a phone; they stay open while one is in use or the form has something to correct.
    active_filters = sum(1 for name, value in filters.items() if name != "sort" and value not in (None, "", False))
    errors = bool(form.is_bound and form.errors)
    return {
        "filter_bar": kept_filter_bar(form, name=f"finder:{form.committee_choice}"),
        "table": render_to_string(
            "meetings/visits/_visit_finder_table.html", {"page": page, "query": _query_without_page(request)}
        ),
        "rows": page.object_list,
        "count": page.paginator.count,
        "number": page.number,
        "active_filters": active_filters,
        "filters_open": bool(active_filters) or errors,
        "errors": errors,
        "until": found.until,
    }


@login_required
def visit_slot_list(request, slug):
    workplace = get_object_or_404(Workplace.objects.active().select_related("kind", "district"), slug=slug)
    try:
        first_day = dt.date.fromisoformat(request.GET.get("fra", ""))
    except ValueError:
        first_day = timezone.localdate()
    first_day = max(first_day, timezone.localdate())
    last_day = first_day + dt.timedelta(days=CALENDAR_DAYS - 1)
    days = selectors.open_slots_by_day(workplace, first_day=first_day, days=CALENDAR_DAYS, user=request.user)
    may_book = bool(set(request.user.roles.committee_ids) & set(services.responsible_committee_ids(workplace)))
    visit_settings = selectors.settings_for(workplace)
    # A month at the workplace's cap shows as full here, before anyone fills in the booking form.
    full = selectors.full_months(workplace, cap=visit_settings.monthly_cap, first_day=first_day, last_day=last_day)
    for slots in days.values():
        for slot in slots:
            slot.month_full = selectors.slot_in_full_month(slot, full)
    return render(
        request,
        "meetings/visits/visit_slot_list.html",
        {
            "workplace": workplace,
            "days": days,
            "first_day": first_day,
            "last_day": last_day,
            "next_day": first_day + dt.timedelta(days=CALENDAR_DAYS),
            "previous_day": first_day - dt.timedelta(days=CALENDAR_DAYS) if first_day > timezone.localdate() else None,
            "may_book": may_book,
            "settings": visit_settings,
            "full_months": sorted(full),
            "first_bookable": selectors.first_bookable_day(request.user, workplace),
            "waitlist_entry": selectors.waitlist_entry_for(request.user, workplace) if may_book else None,
            # A purpose brought along (a story's "I would like to see this") goes on to the booking form.
            "purpose": request.GET.get("purpose", "")[:2000],
        },
    )


@login_required
@require_codex_signed
def visit_create(request, slot_pk):
    slot = get_object_or_404(VisitSlot.objects.select_related("workplace", "offer"), pk=slot_pk)
    workplace = slot.workplace
    ties = services.ties_between(request.user, workplace)
    visit_settings = selectors.settings_for(workplace)
    full = selectors.full_months(workplace, cap=visit_settings.monthly_cap, first_day=slot.day, last_day=slot.day)
    month_full = selectors.slot_in_full_month(slot, full)
    form = VisitBookForm(
        request.POST or None,
        workplace=workplace,
        booker=request.user,
        has_ties=bool(ties),
        # A purpose brought along from a story ("I would like to see this"), for the politician to change or keep.
        initial={"purpose": request.GET.get("purpose", "")[:2000]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_book(
                slot=slot,
                booker=request.user,
                purpose=form.cleaned_data["purpose"],
                colleague=form.cleaned_data.get("colleague"),
                tie_seen=bool(form.cleaned_data.get("tie_seen")),
            )
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            if visit.status == Visit.Status.CONFIRMED:
                messages.success(request, _("Your visit is booked and confirmed. We have sent you a calendar entry."))
            else:
                messages.success(
                    request,
                    _("Your visit is booked. The workplace will confirm it; we have sent you a calendar entry."),
                )
            return redirect(visit)
    first_bookable = selectors.first_bookable_day(request.user, workplace)
    return render(
        request,
        "meetings/visits/visit_create.html",
        {
            "slot": slot,
            "workplace": workplace,
            "form": form,
            "ties": ties,
            "framework": _visit_framework(),
            "month_full": month_full,
            "monthly_cap": visit_settings.monthly_cap,
            "first_bookable": first_bookable,
            "inside_notice": first_bookable is not None and slot.day < first_bookable,
            "places_for_me": slot.places_for(request.user),
            "notice_days": visit_settings.booking_notice_days,
            "waitlist_entry": selectors.waitlist_entry_for(request.user, workplace),
        },
    )


@login_required
def visit_detail(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    feedback = list(visit.feedback.select_related("author"))
    can = selectors.visit_role(request.user, visit)
    context = {
        "visit": visit,
        "events": list(visit.events.select_related("actor")),
        "feedback": feedback,
        "can": can,
        # What the person has already done after the visit shows as done, not as a button that is then refused.
        "feedback_given": any(item.author_id == request.user.pk for item in feedback),
        "mirror_answered": can["can_give_feedback"] and has_answered(request.user, VisitOccasion().key(visit)),
        "goal_agreements": workplace_goals_for(request.user, visit.workplace, on=visit.slot.day),
    }
    return render(request, "meetings/visits/visit_detail.html", context)


def _transition(request, visit, **page):
    """Show a confirmation on GET; on POST call the service and go back to the visit."""
    return transition_page(
        request, visit, template="meetings/visits/visit_transition.html", refused=MeetingsError, **page
    )


@login_required
@require_codex_signed
def visit_confirm(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    if visit.workplace_id not in request.user.roles.led_workplace_ids:
        raise Http404
    return _transition(
        request,
        visit,
        service=lambda data: services.visit_confirm(visit=visit, actor=request.user),
        title=_("Confirm the visit"),
        explanation=_("The politicians get an e-mail with the confirmed calendar entry."),
        button=_("Confirm the visit"),
        success=_("The visit is confirmed."),
    )


@login_required
def visit_decline(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    if visit.workplace_id not in request.user.roles.led_workplace_ids:
        raise Http404
    form = ReasonForm(request.POST or None)
    return _transition(
        request,
        visit,
        form=form,
        service=lambda data: services.visit_decline(visit=visit, actor=request.user, reason=data["reason"]),
        title=_("Decline the visit"),
        explanation=_("Tell the politicians why, so they can choose another time."),
        button=_("Decline the visit"),
        success=_("The visit is declined and the politicians are told."),
        danger=True,
    )


@login_required
def visit_cancel(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    can = selectors.visit_role(request.user, visit)
    if not (can["is_participant"] or can["is_leader"]):
        raise Http404
    form = ReasonForm(request.POST or None, required=not can["is_participant"])
    return _transition(
        request,
        visit,
        form=form,
        service=lambda data: services.visit_cancel(visit=visit, actor=request.user, reason=data.get("reason", "")),
        title=_("Cancel the visit"),
        explanation=_("Everyone booked and the workplace are told, with an update for their calendars."),
        button=_("Cancel the visit"),
        success=_("The visit is cancelled."),
        danger=True,
    )


@login_required
@require_codex_signed
def visit_move(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    if not selectors.visit_role(request.user, visit)["is_participant"]:
        raise Http404
    slots = (
        VisitSlot.objects.open()
        .filter(workplace=visit.workplace, booked_count__lte=F("capacity") - visit.seats)
        .exclude(pk=visit.slot_id)
        .order_by("starts_at")
    )
    first_bookable = selectors.first_bookable_day(request.user, visit.workplace)
    if first_bookable is not None:  # times inside the booking notice are not offered
        slots = slots.filter(day__gte=first_bookable)
    form = VisitMoveForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_move(visit=visit, actor=request.user, slot=form.cleaned_data["slot"])
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The visit has moved. Everyone involved is told."))
            return redirect(visit)
    return render(request, "meetings/visits/visit_move.html", {"visit": visit, "form": form})


@login_required
def visit_outcome(request, pk):
    """After the visit: the leader or a politician on it says what happened (held, no-show, cancelled late)."""
    visit = selectors.get_visit_for_user(request.user, pk)
    can = selectors.visit_role(request.user, visit)
    if not (can["is_participant"] or can["is_leader"]):
        raise Http404
    form = OutcomeForm(request.POST or None)
    return _transition(
        request,
        visit,
        form=form,
        service=lambda data: services.visit_outcome_record(
            visit=visit, actor=request.user, outcome=data["outcome"], note=data.get("note", "")
        ),
        title=_("Confirm what happened"),
        explanation=_(
            "Only a visit confirmed as held counts as contact in the equal-access ledger, and feedback and the "
            "mirror questions open once it is confirmed. Once recorded, it is kept."
        ),
        button=_("Confirm"),
        success=_("Thank you. What happened is recorded."),
    )


@login_required
def visit_feedback(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    can = selectors.visit_role(request.user, visit)
    if not (can["is_participant"] or can["is_leader"]):
        raise Http404
    if visit.feedback.filter(author=request.user).exists():
        messages.info(request, _("You have already given feedback on this visit. Thank you."))
        return redirect(visit)
    form_class = PoliticianFeedbackForm if can["is_participant"] else WorkplaceFeedbackForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_feedback_give(
                visit=visit, author=request.user, text=form.cleaned_data["text"], rating=form.cleaned_data.get("rating")
            )
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect(visit)
    return render(request, "meetings/visits/visit_feedback.html", {"visit": visit, "form": form})


# --- The waiting list ------------------------------------------------------------------------------


@login_required
@require_POST
def waitlist_join(request, slug):
    workplace = get_object_or_404(Workplace.objects.active(), slug=slug)
    try:
        services.waitlist_join(workplace=workplace, person=request.user)
    except MeetingsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("You are on the waiting list. We will write to you when a time opens, and hold it for you.")
        )
    return redirect("meetings:visit-slot-list", slug=workplace.slug)


@login_required
def waitlist_list(request):
    return render(
        request, "meetings/visits/waitlist_list.html", {"entries": list(selectors.waitlist_entries(request.user))}
    )


@login_required
def waitlist_leave(request, pk):
    entry = get_object_or_404(WaitlistEntry.objects.in_line().select_related("workplace"), pk=pk, person=request.user)
    if request.method == "POST":
        try:
            services.waitlist_leave(entry=entry, actor=request.user)
        except MeetingsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("You are off the waiting list."))
        return redirect("meetings:waitlist-list")
    return render(request, "meetings/visits/waitlist_leave.html", {"entry": entry})


# --- Leaders: offer times ----------------------------------------------------------------------


@login_required
def visit_offer_index(request):
    workplaces = Workplace.objects.filter(pk__in=request.user.roles.led_workplace_ids).order_by("name")
    if len(workplaces) == 1:
        return redirect("meetings:visit-offer-list", slug=workplaces[0].slug)
    return render(request, "meetings/visits/visit_offer_index.html", {"workplaces": workplaces})


@login_required
def visit_offer_list(request, slug):
    language = translation.get_language()
    # The workplace with its settings' fields, and the lists and offers, in one round trip to the cache.
    head_key, head_versions = f"visits:leader-workplace:{slug}:{language}", model_version_keys(*_HEAD_MODELS)
    parts_key, parts_versions = (
        f"visits:offer-list:{slug}:{request.user.pk}:{language}",
        _offer_list_versions(request.user),
    )
    read = versioned_prefetch([head_key, *head_versions, parts_key, *parts_versions])
    head = versioned_get_or_set(head_key, head_versions, lambda: _offer_list_head(slug), read=read)
    if head is None or not selectors.may_manage_visits(request.user, head[0].pk, write=False):
        raise Http404
    workplace, settings_fields = head
    is_leader = selectors.may_manage_visits(request.user, workplace.pk)
    # The lists and the offers, per workplace, person (their feedback, their links) and language; the settings'
    # form tag (with its token) is outside them.
    parts = versioned_get_or_set(
        parts_key,
        parts_versions,
        lambda: _offer_list_parts(workplace, user=request.user, is_leader=is_leader),
        also=is_leader,
        fresh=lambda value: value["until"] is None or timezone.now() < value["until"],
        read=read,
    )
    return render(
        request,
        "meetings/visits/visit_offer_list.html",
        {
            "workplace": workplace,
            # rendered by our own templates (crispy's for the fields), escaped there
            "settings_fields": mark_safe(settings_fields) if is_leader else "",  # noqa: S308
            "is_leader": is_leader,
            "lists": mark_safe(parts["lists"]),  # noqa: S308
            "offers": mark_safe(parts["offers"]),  # noqa: S308
        },
    )


# What the page's head reads: the workplace (its kind and district) and its visit settings, shown as the settings
# form's fields (a third of the page's time when crispy writes them).
_HEAD_MODELS = (Workplace, WorkplaceKind, District, VisitSettings)


def _offer_list_head(slug: str) -> tuple[Workplace, str] | None:
    """The workplace of ``slug`` and its settings' fields as crispy writes them (no form tag, no token), or None for
    an unknown slug: the same for everyone who may see the page, kept per slug and language under ``_HEAD_MODELS``."""
    workplace = Workplace.objects.select_related("kind", "district").filter(slug=slug).first()
    if workplace is None:
        return None
    form = VisitSettingsForm(instance=selectors.settings_for(workplace))
    return workplace, render_to_string("meetings/visits/_visit_settings_fields.html", {"settings_form": form})


def _offer_list_versions(user) -> list[str]:
    """What the leader's page keeps shows: the workplace's visits, participants, feedback, offers, times and
    closures, and names (a new name replaces the feeds' version for everyone, a bulk write of people the roles')."""
    keys = model_version_keys(Visit, VisitParticipant, VisitFeedback, VisitOffer, VisitSlot, Blackout, Workplace)
    return [*keys, feeds.FEEDS_VERSION_KEY, *roles_version_keys(user.pk)]


def _offer_list_parts(workplace, *, user, is_leader: bool) -> dict:
    overview = selectors.leader_overview(workplace)
    # Read from the prefetched feedback: the past visits where this leader has had their say already.
    feedback_given = {v.pk for v in overview["past"] if any(f.author_id == user.pk for f in v.feedback.all())}
    context = {"is_leader": is_leader, "feedback_given": feedback_given, **overview}
    return {
        "lists": render_to_string("meetings/visits/_visit_offer_lists.html", context),
        "offers": render_to_string("meetings/visits/_visit_offers.html", context),
        "until": overview["until"],
    }


@login_required
@require_POST
def visit_settings_update(request, slug):
    workplace = selectors.get_workplace_for_leader(request.user, slug)
    form = VisitSettingsForm(request.POST, instance=selectors.settings_for(workplace))
    if form.is_valid():
        try:
            services.visit_settings_update(
                workplace=workplace,
                actor=request.user,
                auto_confirm=form.cleaned_data["auto_confirm"],
                monthly_cap=form.cleaned_data["monthly_cap"],
                booking_notice_days=form.cleaned_data["booking_notice_days"],
                cancel_notice_days=form.cleaned_data["cancel_notice_days"],
            )
        except MeetingsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The visit settings are saved."))
    else:
        messages.error(request, _("Please check the visit settings."))
    return redirect("meetings:visit-offer-list", slug=workplace.slug)


@login_required
@require_codex_signed
def visit_offer_create(request, slug):
    workplace = selectors.get_workplace_for_leader(request.user, slug)
    form = VisitOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            times, terms = form.offer()
            offer = services.visit_offer_create(workplace=workplace, actor=request.user, times=times, terms=terms)
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            slot_count = offer.slots.count()
            messages.success(
                request,
                ngettext(
                    "%(count)s time is now offered to the politicians.",
                    "%(count)s times are now offered to the politicians.",
                    slot_count,
                )
                % {"count": slot_count},
            )
            return redirect("meetings:visit-offer-list", slug=workplace.slug)
    return render(request, "meetings/visits/visit_offer_create.html", {"workplace": workplace, "form": form})


@login_required
def visit_offer_withdraw(request, pk):
    offer = selectors.get_offer_for_leader(request.user, pk)
    if request.method == "POST":
        try:
            count = services.visit_offer_withdraw(offer=offer, actor=request.user)
        except MeetingsError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext("%(count)s free time is withdrawn.", "%(count)s free times are withdrawn.", count)
                % {"count": count},
            )
        return redirect("meetings:visit-offer-list", slug=offer.workplace.slug)
    return render(request, "meetings/visits/visit_offer_withdraw.html", {"offer": offer})


# --- Ties ----------------------------------------------------------------------------------------


@login_required
def workplace_tie_list(request):
    form = WorkplaceTieForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.workplace_tie_declare(person=request.user, **form.tie())
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your tie is declared. It is shown to you when you book a visit there."))
            return redirect("meetings:workplace-tie-list")
    ties = WorkplaceTie.objects.filter(person=request.user).select_related("workplace")
    return render(
        request,
        "meetings/visits/workplace_tie_list.html",
        {"form": form, "ties": ties, "pick": form.shown_pick(), "matches": form.matches},
    )


@login_required
def workplace_tie_search(request):
    """The tie form's workplace field as one types: active workplaces' names as JSON (at most
    ``core.pickers.LIMIT``), for anyone signed in, like the form."""
    return tie_workplace_picker().response(request)


@login_required
def workplace_tie_delete(request, pk):
    tie = get_object_or_404(WorkplaceTie.objects.select_related("workplace"), pk=pk, person=request.user)
    if request.method == "POST":
        services.workplace_tie_remove(tie=tie, actor=request.user)
        messages.success(request, _("The tie is removed."))
        return redirect("meetings:workplace-tie-list")
    return render(request, "meetings/visits/workplace_tie_delete.html", {"tie": tie})


@login_required
def visit_ics(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    response = HttpResponse(ical.calendar_for([visit], name=visit.workplace.name), content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="besoeg-{visit.pk}.ics"'
    return response


# --- Administrators ---------------------------------------------------------------------------------


def _admin_visits(request):
    """The secretariat's visits, filtered, and the search fields' picks. A typed name that matches no single
    workplace or politician shows no visits (the field says which matched) rather than all of them."""
    if not request.user.roles.is_administrator:
        raise Http404
    form = VisitAdminFilterForm(request.GET)
    picks = form.picks(arbejdsplads=selectors.admin_workplace_picker(), person=selectors.admin_person_picker())
    qs = selectors.visits_with_details().order_by("-starts_at")
    if any(pick.text for pick in picks.values()):
        return qs.none(), form, picks
    if picks["arbejdsplads"].value:
        qs = qs.filter(workplace__slug=picks["arbejdsplads"].value)
    if picks["person"].value:
        qs = qs.with_person(User(pk=int(picks["person"].value)))
    status = form.filters().get("status")
    if status:
        qs = qs.filter(status=status)
    return qs, form, picks


def _pick_links(request, picks) -> dict[str, list[tuple[str, str]]]:
    """For a typed name that fits several: a link per match that keeps the other filters."""
    links = {}
    for name, pick in picks.items():
        links[name] = []
        for value, label in pick.matches:
            query = request.GET.copy()
            query.pop("page", None)
            query[name] = value
            query[VisitAdminFilterForm.TEXTS[name]] = label
            links[name].append((f"?{query.urlencode()}", label))
    return links


def _admin_table(request, qs) -> dict:
    """The secretariat's table and its pages as finished HTML (links and plain text: no form, no token), and the
    moment it goes out of date with time alone: a confirmed visit shown that ends shows as not confirmed."""
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # queries run here, not while the template renders
    # Each status's name translated once, not once a row (get_status_display hashes every choice on each call).
    labels = {value: str(label) for value, label in Visit.Status.choices}
    now = timezone.now()
    for visit in page.object_list:
        visit.status_label = labels.get(visit.status, visit.status)
    html = render_to_string(
        "meetings/visits/_visit_admin_table.html", {"page": page, "query": _query_without_page(request)}
    )
    ends = [v.ends_at for v in page.object_list if v.status == Visit.Status.CONFIRMED and v.ends_at > now]
    return {"html": html, "until": min(ends, default=None)}


def _admin_table_versions() -> list[str]:
    """What the secretariat's table shows: the visits, their participants, the workplaces (names, and the filter's
    slugs), and the people's names (a new name replaces the feeds' version for everyone, a bulk write of people the
    roles' one)."""
    return [*model_version_keys(Visit, VisitParticipant, Workplace), *NAME_VERSION_KEYS]


@login_required
def visit_admin_list(request):
    qs, form, picks = _admin_visits(request)
    # The same for every administrator: kept per query string (the pages' links repeat it), what its typed names
    # resolved to, and language.
    resolved = [(name, pick.value, pick.text) for name, pick in sorted(picks.items())]
    query = hashlib.sha256(repr((request.GET.urlencode(), resolved)).encode()).hexdigest()
    table = versioned_get_or_set(
        f"visits:admin-table:{translation.get_language()}:{query}",
        _admin_table_versions(),
        lambda: _admin_table(request, qs),
        fresh=lambda value: value["until"] is None or timezone.now() < value["until"],
    )
    return render(
        request,
        "meetings/visits/visit_admin_list.html",
        {
            "table": mark_safe(table["html"]),  # noqa: S308 - rendered by our own template, escaped there
            "form": form,
            "picks": picks,
            "pick_links": _pick_links(request, picks),
            "statuses": Visit.Status.choices,
            "status": request.GET.get("status", ""),
            "export_url": f"{reverse('meetings:visit-export')}?{_query_without_page(request)}",
        },
    )


@login_required
def visit_admin_workplace_search(request):
    """The workplace search field's answers as JSON (administrators only, like the list)."""
    if not request.user.roles.is_administrator:
        raise Http404
    return selectors.admin_workplace_picker().response(request)


@login_required
def visit_admin_person_search(request):
    """The politician search field's answers as JSON (administrators only, like the list)."""
    if not request.user.roles.is_administrator:
        raise Http404
    return selectors.admin_person_picker().response(request)


@login_required
def visit_export(request):
    return visits_csv(_admin_visits(request)[0])
