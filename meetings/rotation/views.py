"""Pages of the annual rotation. Thin: parse, authorize, call one service, message, redirect."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.selectors import workplace_goals_for
from codex.gate import require_codex_signed
from codex.mirror import has_answered
from core import dates
from core.exports import csv_response
from core.registry import meeting_panels, panels_for, public_plan_panels
from core.versioned_cache import versioned_get_or_set

from .. import feeds, ics
from ..errors import MeetingsError
from ..models import (
    Committee,
    HostingWish,
    LedgerSnapshot,
    Meeting,
    MeetingDate,
    PlannedMeeting,
    PlanningRun,
    RotationPlan,
    Workplace,
)
from . import inputs as inputs_file
from . import selectors, services
from .forms import (
    CancellationForm,
    GuestMoveForm,
    HostingWishesForm,
    HostSwapForm,
    MeetingDateForm,
    MeetingEditForm,
    MeetingOutcomeForm,
    MinutesForm,
    PresentationForm,
    ReplanForm,
)
from .ical import meetings_calendar

LEDGER_PAGE_SIZE = 50
# The public feed holds the meetings of the last year (from midnight) and everything ahead.
PUBLIC_FEED_PAST_DAYS = 365


def _admin(request) -> None:
    if not request.user.roles.is_administrator:
        raise Http404


def _committee(slug: str) -> Committee:
    return get_object_or_404(Committee, slug=slug)


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


# --- The secretariat: dates, planning, review, publishing -------------------------------------------------------


@login_required
def rotation_index(request):
    _admin(request)
    this_year = timezone.localdate().year
    years = [this_year, this_year + 1]
    return render(
        request,
        "meetings/rotation/rotation_index.html",
        {"rows": selectors.rotation_overview(years), "years": years, "withdrawals": selectors.open_cancellations()},
    )


HISTORY_PAGE_SIZE = 25


@login_required
def rotation_year(request, slug, year):
    _admin(request)
    year = _year(year)
    read = selectors.review_read(slug, year)  # one round trip to the cache for all that follows
    head = selectors.review_head(slug, year, read)
    if head is None:
        raise Http404
    committee, plan, dates = head
    # The plan, its fairness and its hosting history are read only when their cached fragment is missing.
    review = selectors.YearReview(plan, year, request.GET.get("page"), HISTORY_PAGE_SIZE, read)
    return render(
        request,
        "meetings/rotation/rotation_year.html",
        {
            "committee": committee,
            "year": year,
            "dates": dates,
            "plan": plan,
            "review": review,
            "review_key": review.fragment_key(),
            "run_url": selectors.unfinished_run_url(committee, year, read),
        },
    )


def _back_to_year(committee: Committee, year: int):
    return redirect("meetings:rotation-year", slug=committee.slug, year=year)


@login_required
@require_POST
def meeting_dates_generate(request, slug, year):
    _admin(request)
    committee = _committee(slug)
    try:
        created = services.meeting_dates_generate(committee=committee, year=_year(year), actor=request.user)
    except MeetingsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s dates proposed from the committee's pattern.") % {"count": len(created)})
    return _back_to_year(committee, year)


@login_required
def meeting_date_edit(request, slug, year, pk=None):
    _admin(request)
    committee = _committee(slug)
    instance = get_object_or_404(MeetingDate, pk=pk, committee=committee) if pk else None
    initial = (
        {"date": instance.date, "start": instance.start, "minutes": instance.minutes}
        if instance
        else {"start": committee.meeting_start, "minutes": committee.meeting_minutes}
    )
    form = MeetingDateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_date_save(committee=committee, actor=request.user, instance=instance, **form.cleaned_data)
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The date is saved."))
            return _back_to_year(committee, form.cleaned_data["date"].year)
    return render(
        request,
        "meetings/rotation/meeting_date_form.html",
        {"committee": committee, "year": year, "form": form, "instance": instance},
    )


@login_required
def meeting_date_delete(request, slug, year, pk):
    _admin(request)
    committee = _committee(slug)
    instance = get_object_or_404(MeetingDate, pk=pk, committee=committee)
    if request.method == "POST":
        try:
            services.meeting_date_delete(meeting_date=instance, actor=request.user)
        except MeetingsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The date is removed."))
        return _back_to_year(committee, year)
    return render(
        request,
        "meetings/rotation/confirm.html",
        {
            "title": _("Remove the date %(day)s?") % {"day": dates.when(instance.date, "weekday_day_month")},
            "explanation": _("Plan the year again afterwards, so the plan follows the dates."),
            "button": _("Remove the date"),
            "danger": True,
            "back": reverse("meetings:rotation-year", args=[committee.slug, year]),
        },
    )


@login_required
@require_POST
def planning_start(request, slug, year):
    _admin(request)
    committee = _committee(slug)
    try:
        run = services.planning_run_start(committee=committee, year=_year(year), actor=request.user)
    except MeetingsError as error:
        messages.error(request, str(error))
        return _back_to_year(committee, year)
    return redirect(run)


def _planning_run_for(request, pk) -> PlanningRun:
    _admin(request)
    return get_object_or_404(PlanningRun.objects.select_related("committee", "plan"), pk=pk)


@login_required
def planning_run(request, pk):
    run = _planning_run_for(request, pk)
    return render(request, "meetings/rotation/planning_run.html", {"run": run, "status": selectors.run_status(run)})


@login_required
def planning_run_status(request, pk):
    """The run's progress as JSON, for the page's poller (static/js/planning_run.js). Like every signed-in page it
    is never cached (the middleware's Cache-Control)."""
    return JsonResponse(selectors.run_status(_planning_run_for(request, pk)))


def _draft_row(request, plan_pk, planned_pk) -> PlannedMeeting:
    _admin(request)
    return get_object_or_404(
        PlannedMeeting.objects.select_related("plan__committee", "host"), pk=planned_pk, plan_id=plan_pk
    )


@login_required
def host_swap(request, plan_pk, planned_pk):
    planned = _draft_row(request, plan_pk, planned_pk)
    plan = planned.plan
    form = HostSwapForm(request.POST or None, committee=plan.committee, exclude=planned.host)
    if request.method == "POST" and form.is_valid():
        try:
            services.rotation_host_swap(
                planned=planned, host=form.cleaned_data["host"], actor=request.user, reason=form.cleaned_data["reason"]
            )
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The host is changed and the fairness figures are updated."))
            return redirect(plan)
    return render(request, "meetings/rotation/host_swap.html", {"planned": planned, "plan": plan, "form": form})


@login_required
def guest_move(request, plan_pk):
    _admin(request)
    plan = get_object_or_404(RotationPlan.objects.select_related("committee"), pk=plan_pk)
    form = GuestMoveForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.rotation_guest_move(
                plan=plan,
                workplace=form.cleaned_data["workplace"],
                to=form.cleaned_data["to"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The guest is moved and the fairness figures are updated."))
            return redirect(plan)
    return render(request, "meetings/rotation/guest_move.html", {"plan": plan, "form": form})


@login_required
def plan_publish(request, plan_pk):
    _admin(request)
    plan = get_object_or_404(RotationPlan.objects.select_related("committee"), pk=plan_pk)
    if request.method == "POST":
        try:
            meetings = services.rotation_plan_publish(plan=plan, actor=request.user)
        except MeetingsError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The plan is published: %(count)s meetings. Everyone involved is told.") % {"count": len(meetings)},
            )
        return redirect(plan)
    return render(
        request,
        "meetings/rotation/confirm.html",
        {
            "title": _("Publish the %(year)s plan of %(committee)s?")
            % {"year": plan.year, "committee": plan.committee},
            "explanation": _(
                "Publishing creates the meetings and the invitations and tells the committee, the hosts and the "
                "guests. Afterwards the plan is not changed; single meetings are moved or re-planned from their "
                "own pages."
            ),
            "button": _("Publish the plan"),
            "back": plan.get_absolute_url(),
            "broken": plan.broken_rules,
        },
    )


# --- A published meeting ------------------------------------------------------------------------------------------


@login_required
def meeting_detail(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    can = selectors.meeting_role(request.user, meeting)
    open_request = next((r for r in meeting.cancellation_requests.all() if r.status == "open"), None)
    return render(
        request,
        "meetings/rotation/meeting_detail.html",
        {
            "meeting": meeting,
            "can": can,
            "open_request": open_request,
            "events": list(meeting.events.select_related("actor")),
            "goal_agreements": (
                workplace_goals_for(request.user, meeting.host, on=meeting.local_date) if meeting.host else []
            ),
            "answered": has_answered(request.user, f"meeting:{meeting.pk}"),
            # Other features on this floor (the hearings' matters) add their panels through the registry.
            "panels": panels_for(meeting_panels, request, meeting),
        },
    )


@login_required
def meeting_edit(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _admin(request)
    local = timezone.localtime(meeting.starts_at)
    initial = {
        "date": local.date(),
        "start": local.time(),
        "minutes": int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
        "agenda_url": meeting.agenda_url,
        "programme": meeting.programme,
    }
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data)
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting is saved. If its time changed, everyone invited is told."))
            return redirect(meeting)
    return render(request, "meetings/rotation/meeting_form.html", {"meeting": meeting, "form": form})


def _meeting_text_form(request, pk, *, form_class, initial_field, service, success, title):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = form_class(request.POST or None, initial={initial_field: getattr(meeting, initial_field)})
    if request.method == "POST" and form.is_valid():
        try:
            service(meeting=meeting, actor=request.user, **form.cleaned_data)
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(meeting)
    return render(
        request, "meetings/rotation/meeting_text_form.html", {"meeting": meeting, "form": form, "title": title}
    )


@login_required
@require_codex_signed
def meeting_presentation(request, pk):
    return _meeting_text_form(
        request,
        pk,
        form_class=PresentationForm,
        initial_field="presentation",
        service=services.meeting_presentation_update,
        success=_("Thank you. The committee can read what you will present."),
        title=_("What will you present?"),
    )


@login_required
def meeting_minutes(request, pk):
    return _meeting_text_form(
        request,
        pk,
        form_class=MinutesForm,
        initial_field="minutes",
        service=services.meeting_minutes_record,
        success=_("The minutes are saved."),
        title=_("Minutes of the on-site dialogue"),
    )


@login_required
def meeting_outcome(request, pk):
    """After the meeting: the host's leader, the chair or the secretariat says what happened and which guests came."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if not services.may_confirm_meeting(request.user, meeting):
        raise PermissionDenied
    guests = Workplace.objects.filter(meeting_invitations__meeting=meeting).order_by("name")
    form = MeetingOutcomeForm(request.POST or None, guests=guests)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_outcome_record(
                meeting=meeting,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                attended_ids=[w.pk for w in form.cleaned_data.get("attended", [])],
                note=form.cleaned_data["note"],
            )
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. What happened is recorded."))
            return redirect(meeting)
    return render(
        request,
        "meetings/rotation/meeting_text_form.html",
        {
            "meeting": meeting,
            "form": form,
            "title": _("Confirm what happened"),
            "intro": _(
                "Only a meeting confirmed as held counts as contact in the equal-access ledger, for the host and for "
                "the guests who took part, and the minutes and the mirror questions open once it is confirmed. Once "
                "recorded, it is kept."
            ),
        },
    )


@login_required
def meeting_cancellation(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = CancellationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancellation_request(
                meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The secretariat has your request and will find the next host in line."))
            return redirect(meeting)
    return render(
        request,
        "meetings/rotation/meeting_text_form.html",
        {
            "meeting": meeting,
            "form": form,
            "title": _("Ask to hand the meeting on"),
            "intro": _(
                "If your workplace cannot host after all, the secretariat gives the date to the next workplace in "
                "line. Your workplace keeps its place in the queue."
            ),
        },
    )


@login_required
def meeting_replan(request, pk):
    """The confirmation page shows who is next in line and whose invitations change before the POST does it."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    _admin(request)
    form = ReplanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data["expected_host"] or None
        try:
            replanned = services.meeting_replan(
                meeting=meeting, actor=request.user, note=form.cleaned_data["note"], expected_host_id=expected
            )
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            if replanned.host:
                messages.success(
                    request,
                    _("%(host)s now hosts the meeting. Everyone affected is told.") % {"host": replanned.host.name},
                )
            else:
                messages.warning(request, _("No workplace can host on this date, so the meeting is cancelled."))
            return redirect(replanned)
    try:
        proposal = services.meeting_replan_proposal(meeting=meeting)
    except MeetingsError as error:
        messages.error(request, str(error))
        return redirect(meeting)
    if request.method == "POST":
        # Show the proposal as it is now, whatever the stale page had sent.
        form.data = {**form.data.dict(), "expected_host": proposal.new_host.pk if proposal.new_host else 0}
    else:
        form.initial["expected_host"] = proposal.new_host.pk if proposal.new_host else 0
    open_request = next((r for r in meeting.cancellation_requests.all() if r.status == "open"), None)
    return render(
        request,
        "meetings/rotation/meeting_replan.html",
        {"meeting": meeting, "form": form, "proposal": proposal, "open_request": open_request},
    )


@login_required
def meeting_ics(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    response = HttpResponse(meetings_calendar([meeting], name=meeting.committee.name), content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="moede-{meeting.pk}.ics"'
    return response


# --- Public -------------------------------------------------------------------------------------------------------


def public_plan_index(request):
    return render(request, "meetings/rotation/public_index.html", {"committees": selectors.public_committees()})


def public_plan(request, slug, year):
    year = _year(year)
    # The committee, the plan's table and the other features' panels, the same for everyone, in one round trip.
    read = selectors.public_plan_read(slug, year)
    committee = selectors.public_plan_committee(slug, read)
    if committee is None:
        raise Http404
    # Rendered (escaped) HTML, a SafeString, or "" for a year without a published plan; the same for everyone.
    plan = versioned_get_or_set(
        selectors.public_plan_cache_key(slug, year),
        selectors.public_plan_version_keys(),
        lambda: _public_plan_table(committee, year),
        timeout=selectors.PUBLIC_PLAN_CACHE_SECONDS,
        read=read,
    )
    if not plan:
        raise Http404
    # Other features on this floor (the hearings' public matters) add their panels through the registry.
    panels = versioned_get_or_set(
        selectors.public_plan_panels_key(slug, year),
        selectors.public_plan_panel_version_keys(),
        lambda: [html for panel in public_plan_panels.values() if (html := panel.render(request, committee, year))],
        timeout=selectors.PUBLIC_PLAN_CACHE_SECONDS,
        read=read,
    )
    return render(
        request,
        "meetings/rotation/public_plan.html",
        {"committee": committee, "year": year, "plan": plan, "panels": panels},
    )


def _public_plan_table(committee: Committee, year: int) -> str:
    meetings = selectors.public_meetings(committee, year)
    if not meetings:
        return ""
    return render_to_string(
        "meetings/rotation/_public_plan.html",
        {
            "committee": committee,
            "year": year,
            "meetings": meetings,
            "record": selectors.published_inputs(committee, year),
        },
    )


def public_plan_inputs(request, slug, year):
    """The published record of the plan (the planner's inputs, its plan, the hand changes) as a JSON file anyone
    can re-check with ``plan_rotation --verify``. The stored bytes' canonical form is what the fingerprint
    covers, so the file is served from the record as it was written."""
    committee = get_object_or_404(Committee, slug=slug, is_active=True)
    record = selectors.published_inputs(committee, _year(year), full=True)
    if record is None:
        raise Http404
    response = HttpResponse(inputs_file.dumps(record.data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="moedeplan-{committee.slug}-{year}-grundlag.json"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def public_feed(request, slug):
    """The committee's public feed: the published plans' meetings of the last year and ahead. Its ETag is made of
    the versions of what it shows (meetings/feeds.py) and the day its window starts from, so an unchanged feed is
    answered without reading its meetings."""
    committee = get_object_or_404(Committee, slug=slug, is_active=True)
    today = timezone.localdate()

    def body() -> bytes:
        since = feeds.window_start(PUBLIC_FEED_PAST_DAYS, today=today)
        meetings = (
            Meeting.objects.filter(committee=committee, plan__status=RotationPlan.Status.PUBLISHED, ends_at__gte=since)
            .select_related("host", "committee", "venue", "venue_workplace")
            .order_by("starts_at")
        )
        return meetings_calendar(list(meetings), name=committee.name, public=True, refresh=ics.FEED_REFRESH)

    tag = ics.etag("public", committee.pk, feeds.committee_feed_versions(committee.pk), today.isoformat())
    return ics.feed_response(request, tag=tag, body=body, cache_control="public, max-age=900")


# --- The equal-access ledger --------------------------------------------------------------------------------------


@login_required
def ledger(request):
    committees = selectors.ledger_committees(request.user.roles)
    if not committees:
        raise Http404
    chosen = next((c for c in committees if c.slug == request.GET.get("udvalg")), committees[0])
    only_without = request.GET.get("vis") == "uden-kontakt"
    data = selectors.ledger_page(chosen)
    page = Paginator(data.shown(only_without), LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.ledger_rows(page.object_list)
    # Other features on this floor (the hearings) add their own counts as columns, through the registry.
    extra, extra_key = selectors.ledger_extra_columns(chosen, [row.workplace.pk for row in page.object_list])
    rows = page.object_list
    chart = selectors.Drawn(lambda: selectors.ledger_bars(rows, beside=extra))
    page.object_list = [
        (row, [(label, *counts.get(row.workplace.pk, (0, 0))) for label, counts in extra]) for row in page.object_list
    ]
    query = f"udvalg={chosen.slug}" + ("&vis=uden-kontakt" if only_without else "")
    return render(
        request,
        "meetings/rotation/ledger.html",
        {
            "committees": committees,
            "committee": chosen,
            "ledger": data,
            "chart": chart,
            "gap_chart": selectors.ledger_gap_chart(data.over_time),
            # The summary, the charts, the map and the table are one cached fragment named by this computation of
            # the ledger (its stamp), the page, the filter and the other features' columns: drawn only when missing.
            "map": selectors.Drawn(
                lambda: selectors.ledger_map(selectors.ledger_rows(data.rows), tiles_url=settings.DIALOG_MAP_TILES_URL)
            ),
            "ledger_stamp": data.stamp,
            "map_tiles": settings.DIALOG_MAP_TILES_URL,
            "map_attribution": settings.DIALOG_MAP_TILES_ATTRIBUTION if settings.DIALOG_MAP_TILES_URL else "",
            "page": page,
            "only_without": only_without,
            "query": query,
            "extra_columns": [label for label, _counts in extra],
            "ledger_colspan": 8 + 2 * len(extra),
            "extra_key": extra_key,
        },
    )


# --- The public ledger: published once a month, for anyone ---------------------------------------------------------


def public_ledger_index(request):
    return render(
        request, "meetings/rotation/public_ledger_index.html", {"snapshots": selectors.public_ledger_months()}
    )


def _snapshot(year: int, month: int):
    return get_object_or_404(LedgerSnapshot, month=dt.date(_year(year), month, 1))


def public_ledger(request, year, month):
    snapshot = _snapshot(year, month)
    return render(
        request,
        "meetings/rotation/public_ledger.html",
        {"snapshot": snapshot, "committees": selectors.public_ledger_committees(snapshot)},
    )


def public_ledger_csv(request, year, month):
    snapshot = _snapshot(year, month)
    header, rows = selectors.public_ledger_table(snapshot)
    response = csv_response(f"lige-adgang-{snapshot.month:%Y-%m}.csv", header, rows)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def workplace_wishes(request, slug):
    """The leader (or the secretariat) says which months the workplace would like to host in, or would rather not."""
    workplace = get_object_or_404(Workplace, slug=slug)
    roles = request.user.roles
    if not (roles.is_administrator or workplace.pk in roles.led_workplace_ids):
        raise PermissionDenied
    wishes = list(workplace.hosting_wishes.all())
    initial = {
        "prefer": [w.month for w in wishes if w.wish == HostingWish.Wish.PREFER],
        "avoid": [w.month for w in wishes if w.wish == HostingWish.Wish.AVOID],
    }
    form = HostingWishesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.hosting_wishes_save(workplace=workplace, actor=request.user, **form.cleaned_data)
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your wishes are saved. The secretariat's planner takes them into account."))
            return redirect(workplace)
    return render(request, "meetings/rotation/workplace_wishes.html", {"workplace": workplace, "form": form})
