"""Reads for the rotation's pages: what each page needs, loaded up front in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.db.models import Count, DateField, Exists, Min, OuterRef, Prefetch, Q
from django.db.models.functions import TruncQuarter
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from core import dates
from core.registry import ledger_columns, public_plan_panels
from core.versioned_cache import model_version_keys, versioned_get_or_set, versioned_prefetch, versions_read

from ..models import (
    LEDGER_VERSION_KEY,
    CancellationRequest,
    Committee,
    Hosting,
    LedgerSnapshot,
    Meeting,
    MeetingDate,
    MeetingInvitation,
    PlannedMeeting,
    PlanningRun,
    PublishedInputs,
    RotationPlan,
    User,
    Venue,
    Visit,
    Workplace,
)
from ..selectors import kept_committee, kept_committee_key
from . import ledger_map as ledger_map_drawing
from .explain import group_reasons


def person_meetings(user: User, *, since: dt.datetime | None = None):
    """Meetings of the person's committees and those their workplaces host or are invited to."""
    qs = Meeting.objects.for_person(user)
    if since is not None:
        qs = qs.filter(ends_at__gte=since)
    return qs.select_related("committee", "host", "venue", "venue_workplace").order_by("starts_at")


MEETING_ROW_FIELDS = (
    "pk",
    "status",
    "outcome",
    "starts_at",
    "ends_at",
    "address",
    "committee__name",
    "host__name",
    "venue__name",
    "venue_workplace__name",
)


def person_meeting_rows(user: User, *, since: dt.datetime | None = None):
    """:func:`person_meetings` as plain values (no model objects) for long lists such as my calendar."""
    return person_meetings(user, since=since).values(*MEETING_ROW_FIELDS)


class MeetingFeedRow(NamedTuple):
    """What a calendar event needs of a meeting, read as plain values (no model objects): a person's feed reads
    them with their visits, each time it is built anew. ``room``: the borrowed room's name (a venue's or a lending
    workplace's), None when the host receives the committee itself; ``host``: "" without one."""

    pk: int
    sequence: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    committee: str
    host: str
    room: str | None
    address: str
    agenda_url: str
    programme: str


def person_meeting_feed_rows(user: User, *, since: dt.datetime) -> list[MeetingFeedRow]:
    """:func:`person_meetings` from ``since`` on, as :class:`MeetingFeedRow` in the order of their start: only the
    columns the events show, without four models' worth of columns compiled, read and made into objects."""
    rows = person_meetings(user, since=since).values_list(
        "pk",
        "sequence",
        "starts_at",
        "ends_at",
        "status",
        "committee__name",
        "host__name",
        "venue__name",
        "venue_workplace__name",
        "address",
        "agenda_url",
        "programme",
    )
    return [MeetingFeedRow(*row[:6], row[6] or "", row[7] if row[7] is not None else row[8], *row[9:]) for row in rows]


def get_meeting_for_user(user: User, pk: int) -> Meeting:
    """A meeting the person takes part in (committee, host, guest) or sees as administrator; 404 otherwise."""
    meeting = (
        Meeting.objects.visible_to(user)
        .select_related("committee", "host", "plan", "venue", "venue_workplace")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=MeetingInvitation.objects.select_related("workplace").order_by("workplace__name"),
            ),
            Prefetch("cancellation_requests", queryset=CancellationRequest.objects.select_related("requested_by")),
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def _listed_meetings(qs, *, now: dt.datetime | None = None) -> list[Meeting]:
    since = (now or timezone.now()) - dt.timedelta(days=PANEL_PAST_DAYS)
    return list(
        qs.filter(ends_at__gte=since, plan__status=RotationPlan.Status.PUBLISHED)
        .select_related("committee", "host", "venue", "venue_workplace")
        .order_by("starts_at")[:PANEL_MEETINGS]
    )


# A committee's and a workplace's pages list the published meetings of the last year and those to come.
PANEL_PAST_DAYS = 365
PANEL_MEETINGS = 30


def committee_meetings(user: User, committee: Committee) -> list[Meeting]:
    """The committee's published meetings the person may open (a member, a host or guest, the secretariat)."""
    return _listed_meetings(Meeting.objects.visible_to(user).filter(committee=committee))


def workplace_meetings(user: User, workplace: Workplace, *, now: dt.datetime | None = None) -> list[Meeting]:
    """The published meetings the workplace hosts or is invited to, that the person may open; each with
    ``is_host`` set."""
    invited = Exists(MeetingInvitation.objects.filter(meeting_id=OuterRef("pk"), workplace=workplace))
    qs = Meeting.objects.visible_to(user).filter(Q(host=workplace) | invited)
    meetings = _listed_meetings(qs, now=now)
    for meeting in meetings:
        meeting.is_host = meeting.host_id == workplace.pk
    return meetings


# --- The secretariat's overview and the year's page ---------------------------------------------------------------


@dataclass
class YearCell:
    year: int
    dates: int = 0
    plan: RotationPlan | None = None


@dataclass
class CommitteeRow:
    committee: Committee
    cells: list[YearCell] = field(default_factory=list)


def rotation_overview(years: list[int]) -> list[CommitteeRow]:
    committees = list(Committee.objects.active().order_by("name"))
    dates = Counter(
        (row["committee_id"], row["date__year"])
        for row in MeetingDate.objects.filter(date__year__in=years).values("committee_id", "date__year")
    )
    plans = {
        (p.committee_id, p.year): p
        for p in RotationPlan.objects.filter(year__in=years)
        .exclude(status=RotationPlan.Status.DISCARDED)
        .order_by("status")  # published sorts after draft, so a published plan wins
    }
    return [
        CommitteeRow(
            committee=c,
            cells=[YearCell(year=y, dates=dates[(c.pk, y)], plan=plans.get((c.pk, y))) for y in years],
        )
        for c in committees
    ]


def year_plan(committee: Committee, year: int) -> RotationPlan | None:
    """The published plan of the year, else the draft."""
    plans = {
        p.status: p
        for p in RotationPlan.objects.filter(committee=committee, year=year).exclude(
            status=RotationPlan.Status.DISCARDED
        )
    }
    return plans.get(RotationPlan.Status.PUBLISHED) or plans.get(RotationPlan.Status.DRAFT)


def planned_meetings(plan: RotationPlan) -> list[PlannedMeeting]:
    """The plan's meetings with their hosts, each with ``guest_rows`` (pk, name, slug of every invited guest, by
    name) and ``guest_names`` joined once: plain rows from one query, so a big committee's hundreds of guests cost
    no models and no template loop on the review page (issue 19)."""
    planned = list(plan.meetings.select_related("host", "host__district", "venue", "venue_workplace").order_by("date"))
    guests: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for meeting_id, pk, name, slug in (
        PlannedMeeting.guests.through.objects.filter(plannedmeeting__plan=plan)
        .order_by("workplace__name", "workplace_id")
        .values_list("plannedmeeting_id", "workplace_id", "workplace__name", "workplace__slug")
    ):
        guests[meeting_id].append((pk, name, slug))
    for row in planned:
        row.guest_rows = guests.get(row.pk, [])
        row.guest_names = ", ".join(name for _pk, name, _slug in row.guest_rows)
    return planned


_PK = 987654321987  # an id no row has: a link reversed once per list, then given each row's id


def _link(name: str, *args) -> Callable[[int], str]:
    url = reverse(name, args=[*args, _PK])
    before, _marker, after = url.partition(str(_PK))
    return lambda pk: f"{before}{pk}{after}"


def date_rows(committee: Committee, year: int, meeting_dates: list[MeetingDate]) -> list[dict]:
    """The year's meeting dates as finished strings and links for the review page (issue 19: a loop of filters and
    ``{% url %}`` tags per row costs more than the query)."""
    update, delete = (
        _link(name, committee.slug, year) for name in ("meetings:meeting-date-update", "meetings:meeting-date-delete")
    )
    return [
        {
            "text": f"{dates.when(row.date, 'weekday_short')} {dates.clock_range(row.start, row.end)}",
            "day": dates.when(row.date, "day_month"),
            "update_url": update(row.pk),
            "delete_url": delete(row.pk),
        }
        for row in meeting_dates
    ]


def plan_rows(plan: RotationPlan, planned: list[PlannedMeeting]) -> list[dict]:
    """The draft's table as finished strings (week, day and time, host, the borrowed room in words, the link to
    change the host), worked out once per row in Python instead of filters and an included template per row."""
    swap = _link("meetings:rotation-host-swap", plan.pk)
    rows = []
    for row in planned:
        room = row.borrowed_room
        rows.append(
            {
                "iso": row.date.isoformat(),
                "week": dates.week(row.date),
                "when": f"{dates.when(row.date, 'weekday_short')} {dates.when(row.start, 'time')}",
                "day": dates.when(row.date, "day_month"),
                "host": row.host.name if row.host else "",
                "borrowed": _("%(host)s hosts in %(venue)s") % {"host": row.host.name, "venue": room.name}
                if room and row.host
                else "",
                "swap_url": swap(row.pk),
                "changed_by_hand": row.changed_by_hand,
                "guest_names": row.guest_names,
                "why": row.why,
            }
        )
    return rows


def published_meetings(plan: RotationPlan) -> list[Meeting]:
    """A published plan's meetings as they are now (moved, re-planned, cancelled), each with its guests and any
    open withdrawal of its host, for the year's page."""
    return list(
        plan.published_meetings.select_related("host", "venue", "venue_workplace")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=MeetingInvitation.objects.select_related("workplace").order_by("workplace__name"),
            ),
            Prefetch(
                "cancellation_requests",
                queryset=CancellationRequest.objects.filter(status=CancellationRequest.Status.OPEN),
                to_attr="open_requests",
            ),
        )
        .order_by("starts_at")
    )


def open_cancellations() -> list[CancellationRequest]:
    """Hosts that have withdrawn and wait for the secretariat to find a new host, oldest first."""
    return list(
        CancellationRequest.objects.filter(status=CancellationRequest.Status.OPEN)
        .select_related("meeting__committee", "meeting__host", "workplace", "requested_by")
        .order_by("created_at")
    )


def breaks_in_words(breaks, names: dict[str, str]) -> list[str]:
    """Broken rules as sentences with workplace names and Danish dates, each reason once with everyone it
    concerns. ``breaks`` are the planner's ``BrokenRule`` objects or their stored dicts."""
    rows = [b if isinstance(b, dict) else b.to_dict() for b in breaks]
    items = []
    for row in rows:
        day = dates.when(dt.date.fromisoformat(row["date"]), "date_short") if row.get("date") else ""
        workplace = row.get("workplace")
        items.append((names.get(workplace, workplace) if workplace else None, day, row["reason"]))
    return group_reasons(items)


def _label(names: dict[str, str], slug: str | None) -> str:
    return names.get(slug, slug) if slug else ""


def _short_day(iso: str | None) -> str:
    return dates.when(dt.date.fromisoformat(iso), "date_short") if iso else ""


def fairness_in_words(plan: RotationPlan, workplaces: list[Workplace] | list[HistoryWorkplace] | None = None) -> dict:
    """The fairness panel as people read it: workplace names instead of slugs, Danish dates, each broken rule
    once with everyone it concerns, and every hand change with its reason. The names come from the planner's
    inputs the plan keeps and from ``workplaces`` the page has loaded already (the names as they are now); without
    either, the database is asked once."""
    names = {w["slug"]: w.get("name") or w["slug"] for w in (plan.inputs or {}).get("inputs", {}).get("workplaces", [])}
    names.update({w.slug: w.name for w in workplaces or ()})
    if not names:
        names = dict(Workplace.objects.filter(committees=plan.committee).values_list("slug", "name"))
    waiting = [
        {
            "workplace": _label(names, row["workplace"]),
            "hostings": row["hostings"],
            "last_hosted": _short_day(row.get("last_hosted")),
        }
        for row in (plan.fairness or {}).get("longest_waiting", [])
    ]
    changes = [
        {
            "kind": change.get("kind"),
            "date": _short_day(change.get("date")),
            "workplace": _label(names, change.get("workplace")),
            "from": _label(names, change.get("from"))
            if change.get("kind") == "host"
            else _short_day(change.get("from")),
            "to": _label(names, change.get("to")) if change.get("kind") == "host" else _short_day(change.get("to")),
            "reason": change.get("reason", ""),
            "breaks": change.get("breaks", []),
            "by": change.get("by", ""),
        }
        for change in plan.hand_changes or []
    ]
    return {"broken": breaks_in_words(plan.broken_rules or [], names), "waiting": waiting, "hand_changes": changes}


def published_inputs(committee: Committee, year: int, *, full: bool = False):
    """The published record of the committee's plan for the year, if there is one; without its (large) data
    unless ``full``."""
    records = PublishedInputs.objects.filter(
        plan__committee=committee, plan__year=year, plan__status=RotationPlan.Status.PUBLISHED
    )
    return (records if full else records.defer("data")).first()


@dataclass(frozen=True, slots=True)
class HistoryWorkplace:
    """What the history table and the fairness panel use of a workplace (cheaper than hundreds of models)."""

    pk: int
    name: str
    slug: str


@dataclass(slots=True)
class HistoryRow:
    workplace: HistoryWorkplace
    total: int
    in_plan: int
    invited: bool
    # The hostings per (workplace id, year) of every row and the years shown: ``per_year`` is worked out for the
    # rows a page shows only.
    counts: dict[tuple[int, int], int]
    span: list[int]

    @property
    def per_year(self) -> list[int]:
        pk = self.workplace.pk
        return [self.counts.get((pk, year), 0) for year in self.span]


def hosting_history(
    plan: RotationPlan, planned: list[PlannedMeeting], *, years: int = 5
) -> tuple[list[int], list[HistoryRow], int]:
    """Hostings per workplace in the years before the plan, the plan's own, and the total: the fairness panel's
    table, least served first; and how many earlier hostings do not count (their meeting did not happen)."""
    span = list(range(plan.year - years, plan.year))
    # Plain workplaces with only what the page shows and the counts as tuples: a committee with hundreds of
    # workplaces stays cheap; the page shows the rows a page at a time (issue 19).
    per_year: dict[tuple[int, int], int] = {}
    totals: Counter = Counter()
    not_counted = 0
    counted = Hosting.objects.counted().filter(committee=plan.committee).values("pk")
    for workplace_id, year, n, void in (
        Hosting.objects.filter(committee=plan.committee, date__lt=dt.date(plan.year, 1, 1))
        .values("workplace_id", "date__year")
        .annotate(n=Count("pk", filter=Q(pk__in=counted)), void=Count("pk", filter=~Q(pk__in=counted)))
        .values_list("workplace_id", "date__year", "n", "void")
    ):
        # Hostings whose meeting did not happen are counted apart, and listed only when there are any.
        per_year[(workplace_id, year)] = n
        totals[workplace_id] += n
        not_counted += void
    in_plan = Counter(p.host_id for p in planned if p.host_id)
    invited = {pk for p in planned for pk, _name, _slug in p.guest_rows} | set(in_plan)
    rows = [
        HistoryRow(
            workplace=HistoryWorkplace(pk, name, slug),
            total=totals[pk] + in_plan[pk],
            in_plan=in_plan[pk],
            invited=pk in invited,
            counts=per_year,
            span=span,
        )
        for pk, name, slug in Workplace.objects.filter(committees=plan.committee, is_active=True)
        .order_by("name")
        .values_list("pk", "name", "slug")
    ]
    rows.sort(key=lambda r: (r.total, r.workplace.name))
    return span, rows, not_counted


# What the review page's cached fragments read: a change to any of these replaces the key (the guests of a planned
# meeting are written without a signal, so the services bump ``PlannedMeeting`` by hand).
# ``Meeting``: a hosting counts only while its meeting happened (``Hosting.objects.counted``), and the rooms other
# committees' meetings use are taken.
REVIEW_MODELS = (RotationPlan, PlannedMeeting, Workplace, Committee, Hosting, Venue, Meeting)
REVIEW_CACHE_SECONDS = 60 * 60


def review_head(
    slug: str, year: int, read: dict | None = None
) -> tuple[Committee, RotationPlan | None, list[dict]] | None:
    """The committee, the year's plan and its dates (as ``date_rows``) for the review page, kept under the versions
    of the committees, plans and dates and the language: a hit costs no query. None for an unknown committee.
    ``read``: what ``review_read`` found."""

    def compute():
        committee = Committee.objects.filter(slug=slug).first()
        if committee is None:
            return None
        meeting_dates = list(MeetingDate.objects.filter(committee=committee, date__year=year).order_by("date"))
        return committee, year_plan(committee, year), date_rows(committee, year, meeting_dates)

    return versioned_get_or_set(
        _review_head_key(slug, year),
        model_version_keys(*_REVIEW_HEAD_MODELS),
        compute,
        also=get_language(),
        timeout=REVIEW_CACHE_SECONDS,
        read=read,
    )


_REVIEW_HEAD_MODELS = (Committee, RotationPlan, MeetingDate)
_REVIEW_RUN_MODELS = (PlanningRun, Committee)


def _review_head_key(slug: str, year: int) -> str:
    return f"rotation:review-head1:{slug}:{year}"


def _review_run_key(slug: str, year: int) -> str:
    return f"rotation:review-run1:{slug}:{year}"


def review_read(slug: str, year: int) -> dict:
    """Everything the review page reads from the cache, in one round trip: the head (``review_head``), the planning
    run under way (``unfinished_run_url``) and the versions its fragments are named by (``YearReview``)."""
    return versioned_prefetch(
        [
            *model_version_keys(*_REVIEW_HEAD_MODELS, *_REVIEW_RUN_MODELS, *REVIEW_MODELS),
            _review_head_key(slug, year),
            _review_run_key(slug, year),
        ]
    )


def unfinished_run_url(committee: Committee, year: int, read: dict | None = None) -> str:
    """The address of the year's latest planning run while it is under way, else "": kept under the versions of the
    runs (every write to one, the worker's progress too) and the committees (the key names the committee's slug)."""

    def compute() -> str:
        run = latest_run(committee, year)
        return run.get_absolute_url() if run is not None and not run.finished else ""

    return versioned_get_or_set(
        _review_run_key(committee.slug, year),
        model_version_keys(*_REVIEW_RUN_MODELS),
        compute,
        timeout=REVIEW_CACHE_SECONDS,
        read=read,
    )


class YearReview:
    """The year's plan as the review page shows it, read and worked out on the first look inside, so a page whose
    fragments are cached (``fragment_key``) runs none of it. A draft's fragments are cached under the versions of
    ``REVIEW_MODELS`` and the language; a published plan's show its meetings as they are now (held or not, with
    open withdrawals), which time and other rows change, so they are never kept (``cache_seconds`` 0)."""

    def __init__(
        self, plan: RotationPlan | None, year: int, page_number: str | None, page_size: int, read: dict | None = None
    ):
        self.plan = plan
        self.year = year
        self._page_number = page_number
        self._page_size = page_size
        self._read = read
        self.cache_seconds = REVIEW_CACHE_SECONDS if plan is not None and plan.is_draft else 0

    def fragment_key(self) -> str:
        """The plan, the versions of what the fragments read and the page asked for (the language is added by the
        template): one round trip to the cache, none with ``read`` (``review_read``)."""
        if not self.cache_seconds:
            return ""
        keys = model_version_keys(*REVIEW_MODELS)
        found = None if self._read is None else {k: self._read.get(k) for k in keys}
        versions = versions_read(keys, found)
        text = repr((self.plan.pk, versions, (self._page_number or "")[:12]))
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    @cached_property
    def planned(self) -> list[PlannedMeeting]:
        return planned_meetings(self.plan) if self.plan else []

    @cached_property
    def _history(self) -> tuple[list[int], list[HistoryRow], int]:
        return hosting_history(self.plan, self.planned) if self.plan else ([], [], 0)

    @property
    def history_years(self) -> list[int]:
        return self._history[0]

    @property
    def history(self) -> list[HistoryRow]:
        """Every workplace under the committee, least served first."""
        return self._history[1]

    @cached_property
    def page(self):
        """The history table shows the least served a page at a time; the fairness panel reads every workplace."""
        return Paginator(self._history[1], self._page_size).get_page(self._page_number)

    @cached_property
    def meetings(self) -> list[Meeting]:
        """A published plan's meetings as they are now."""
        return published_meetings(self.plan) if self.plan and not self.plan.is_draft else []

    @cached_property
    def plan_rows(self) -> list[dict]:
        """A draft's rows (or a published plan's, while it has no meetings)."""
        return plan_rows(self.plan, self.planned) if self.plan and not self.meetings else []

    @cached_property
    def months(self) -> list[dict]:
        return month_grid(self.planned, self.year) if self.plan else []

    @cached_property
    def words(self) -> dict | None:
        return fairness_in_words(self.plan, [row.workplace for row in self._history[1]]) if self.plan else None

    @cached_property
    def notes(self) -> dict:
        return plan_notes(self.plan, self._history[1], not_counted=self._history[2]) if self.plan else {}


def plan_notes(plan: RotationPlan, history: list[HistoryRow], *, not_counted: int = 0) -> dict[str, list[dict]]:
    """The workplaces that cannot host this year, the wishes the plan does not meet (by name: the names come from
    the history rows already read) and, when ``hosting_history`` found any, the earlier hostings that do not count
    because their meeting did not happen (one query then), for the review page."""
    names = {row.workplace.slug: row.workplace.name for row in history}
    notes = {
        key: [{"name": names.get(item["workplace"], item["workplace"]), "reason": item["reason"]} for item in rows]
        for key, rows in (("cannot_host", plan.cannot_host or []), ("wishes_unmet", plan.wishes_unmet or []))
    }
    notes["not_counted"] = hostings_not_counted(plan.committee, before=dt.date(plan.year, 1, 1)) if not_counted else []
    return notes


def hosting_not_counted_reason(meeting: Meeting, day: dt.date) -> str:
    """Why a hosting whose meeting did not happen is left out of the count, in the words of the review page."""
    when = dates.when(day, "date")
    if meeting.outcome == Meeting.Outcome.NO_SHOW:
        text = _("The meeting on %(day)s did not take place")
    elif meeting.outcome == Meeting.Outcome.CANCELLED_LATE:
        text = _("The meeting on %(day)s was cancelled late")
    else:
        text = _("The meeting on %(day)s was cancelled")
    return _("%(what)s, so it does not count as a hosting: the workplace keeps its place in the queue.") % {
        "what": text % {"day": when}
    }


def hostings_not_counted(committee: Committee, *, before: dt.date) -> list[dict]:
    """The committee's hostings before ``before`` that the planner does not count (``Hosting.objects.not_counted``),
    newest first, each with the workplace's name and why."""
    rows = (
        Hosting.objects.not_counted()
        .filter(committee=committee, date__lt=before)
        .select_related("workplace", "meeting")
        .order_by("-date")
    )
    return [{"name": h.workplace.name, "reason": hosting_not_counted_reason(h.meeting, h.date)} for h in rows]


def month_grid(planned: list[PlannedMeeting], year: int) -> list[dict]:
    """The year as twelve months, each with its planned meetings, for the calendar view."""

    by_month: dict[int, list[PlannedMeeting]] = defaultdict(list)
    for p in planned:
        by_month[p.date.month].append(p)
    return [{"month": MONTHS[m], "number": m, "meetings": by_month.get(m, [])} for m in range(1, 13)]


def run_status(run: PlanningRun) -> dict:
    """What the planning page says about a run, for the page and for its poller alike: the status in words, the
    step, the percentage, and where to go when it is over."""
    if run.status == PlanningRun.Status.DONE:
        message = _("Done. The draft is ready to review.")
    elif run.status == PlanningRun.Status.FAILED:
        message = _("The planning failed: %(error)s") % {"error": run.error}
    elif run.step:
        message = f"{run.get_status_display()}: {run.step}"
    else:
        message = str(run.get_status_display())
    return {
        "status": run.status,
        "finished": run.finished,
        "percent": run.percent,
        "message": message,
        "next_url": reverse("meetings:rotation-year", args=[run.committee.slug, run.year]),
    }


def latest_run(committee: Committee, year: int) -> PlanningRun | None:
    return PlanningRun.objects.filter(committee=committee, year=year).order_by("-created_at").first()


# --- Public plan ---------------------------------------------------------------------------------------------------


# A committee's public plan for a year is the same for everyone: its table and the published record are kept per
# committee, year and language (issue 19) under the versions of what they show: the published plans' meetings, their
# hosts and borrowed rooms (workplaces, venues), the committee's name and the record's fingerprint.
PUBLIC_PLAN_MODELS = (Meeting, RotationPlan, PublishedInputs, Committee, Workplace, Venue)
PUBLIC_PLAN_CACHE_SECONDS = 600


def public_plan_cache_key(slug: str, year: int) -> str:
    """Named by the committee's slug, read before the committee: the committees' version is among the table's (and
    the panels'), so a slug that comes to name another committee is a miss."""
    return f"rotation:public-plan1:{slug}:{year}:{get_language()}"


def public_plan_version_keys() -> list[str]:
    return model_version_keys(*PUBLIC_PLAN_MODELS)


def public_plan_panels_key(slug: str, year: int) -> str:
    return f"rotation:public-plan-panels1:{slug}:{year}:{get_language()}"


def public_plan_panel_version_keys() -> list[str]:
    """The versions of what the other features' panels read (``core.registry.PublicPlanPanel``); the committee's
    too (the panels name it)."""
    keys = model_version_keys(Committee)
    for panel in public_plan_panels.values():
        keys += [key for key in panel.version_keys() if key not in keys]
    return keys


def public_plan_read(slug: str, year: int) -> dict:
    """All the public plan reads from the cache, in one round trip: the committee (``public_plan_committee``), the
    table and the panels in the language asked for, and their versions."""
    keys = [
        *public_plan_version_keys(),
        *public_plan_panel_version_keys(),
        kept_committee_key(slug),
        public_plan_cache_key(slug, year),
        public_plan_panels_key(slug, year),
    ]
    return versioned_prefetch(list(dict.fromkeys(keys)))


def public_plan_committee(slug: str, read: dict | None = None) -> Committee | None:
    """The active committee named ``slug`` (or None), kept under the committees' version: a hit costs no query."""
    committee = kept_committee(slug, read=read)
    return committee if committee is not None and committee.is_active else None


def public_meetings(committee: Committee, year: int) -> list[Meeting]:
    return list(
        Meeting.objects.filter(committee=committee, plan__status=RotationPlan.Status.PUBLISHED, starts_at__year=year)
        .select_related("host", "committee", "venue", "venue_workplace")
        .order_by("starts_at")
    )


def public_committees() -> list[dict]:
    """Committees with the years they have a published plan for."""
    years: dict[int, list[int]] = defaultdict(list)
    for committee_id, year in RotationPlan.objects.published().order_by("-year").values_list("committee_id", "year"):
        years[committee_id].append(year)
    return [{"committee": c, "years": years.get(c.pk, [])} for c in Committee.objects.active().order_by("name")]


# --- The equal-access ledger --------------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    """One workplace's contacts. Only what is confirmed as held counts; the rest is shown apart: ``unconfirmed_*``
    (over, but nobody has said yet whether it took place) and ``not_held_*`` (no-shows and late cancellations)."""

    workplace: Workplace
    hosted_12: int = 0
    hosted_24: int = 0
    attended_12: int = 0
    attended_24: int = 0
    visits_12: int = 0
    visits_24: int = 0
    unconfirmed_12: int = 0
    unconfirmed_24: int = 0
    not_held_12: int = 0
    not_held_24: int = 0

    @property
    def contacts_12(self) -> int:
        return self.hosted_12 + self.attended_12 + self.visits_12

    @property
    def contacts_24(self) -> int:
        return self.hosted_24 + self.attended_24 + self.visits_24

    @property
    def no_contact(self) -> bool:
        return self.contacts_12 == 0


@dataclass
class Ledger:
    committee: Committee
    rows: list[LedgerRow]
    page_rows: list[LedgerRow]
    most_12: int
    least_12: int
    most_24: int
    least_24: int
    without_contact: int
    # The gap between the most and least served over time: one point a quarter (``QuarterGap``), oldest first.
    over_time: list = field(default_factory=list)
    unconfirmed_12: int = 0
    not_held_12: int = 0

    @property
    def gap_12(self) -> int:
        return self.most_12 - self.least_12

    @property
    def gap_24(self) -> int:
        return self.most_24 - self.least_24


# The ledger's windows, and the quarters its gap over time is drawn for (each point: the four quarters up to it).
LEDGER_QUARTERS = 8
_QUARTERS_READ = LEDGER_QUARTERS + 3
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
_NOT_HELD = (Meeting.Outcome.NO_SHOW, Meeting.Outcome.CANCELLED_LATE)


@dataclass(frozen=True)
class _Read:
    """One kind of contact: what is over (``over``), and which of it was held, is unconfirmed or did not happen."""

    kind: str
    over: object  # a QuerySet
    key: str
    moment: str
    held: Q
    unconfirmed: Q
    not_held: Q


def _hosted(committee: Committee, ids: list[int], now: dt.datetime, since: dt.datetime) -> _Read:
    """The committee's meetings the workplaces hosted that are over, ``since`` on; held once confirmed."""
    over = Meeting.objects.filter(
        committee=committee, status=Meeting.Status.SCHEDULED, host_id__in=ids, starts_at__gte=since, ends_at__lte=now
    )
    return _Read(
        "hosted",
        over,
        "host_id",
        "starts_at",
        held=Q(outcome=Meeting.Outcome.HELD),
        unconfirmed=Q(outcome=""),
        not_held=Q(outcome__in=_NOT_HELD),
    )


def _attended(committee: Committee, ids: list[int], now: dt.datetime, since: dt.datetime) -> _Read:
    """Invitations as guest to the committee's meetings that are over; counted when the meeting was held and the
    guest came."""
    over = MeetingInvitation.objects.filter(
        meeting__committee=committee,
        meeting__status=Meeting.Status.SCHEDULED,
        meeting__ends_at__lte=now,
        meeting__starts_at__gte=since,
        workplace_id__in=ids,
    )
    return _Read(
        "attended",
        over,
        "workplace_id",
        "meeting__starts_at",
        held=Q(meeting__outcome=Meeting.Outcome.HELD, attended=True),
        unconfirmed=Q(meeting__outcome="") | Q(meeting__outcome=Meeting.Outcome.HELD, attended__isnull=True),
        not_held=Q(meeting__outcome__in=_NOT_HELD) | Q(meeting__outcome=Meeting.Outcome.HELD, attended=False),
    )


def _visited(ids: list[int], now: dt.datetime, since: dt.datetime) -> _Read:
    """Political visits the workplaces received that are over; counted once confirmed as held."""
    over = Visit.objects.filter(workplace_id__in=ids, starts_at__gte=since, ends_at__lte=now).filter(
        Q(status__in=(Visit.Status.CONFIRMED, Visit.Status.HELD, Visit.Status.NO_SHOW))
        | Q(status=Visit.Status.CANCELLED, cancelled_late=True)
    )
    return _Read(
        "visits",
        over,
        "workplace_id",
        "starts_at",
        held=Q(status=Visit.Status.HELD),
        unconfirmed=Q(status=Visit.Status.CONFIRMED),
        not_held=Q(status=Visit.Status.NO_SHOW) | Q(status=Visit.Status.CANCELLED, cancelled_late=True),
    )


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarters_back(day: dt.date, n: int) -> list[dt.date]:
    """The first days of the ``n`` quarters up to and including ``day``'s, oldest first."""
    first = quarter_start(day)
    index = first.year * 4 + (first.month - 1) // 3
    return [dt.date(i // 4, 3 * (i % 4) + 1, 1) for i in range(index - n + 1, index + 1)]


def ledger(committee: Committee, *, now: dt.datetime | None = None, only_without_contact: bool = False) -> Ledger:
    """Per workplace under the committee: on-site meetings hosted, dialogue meetings attended as guest and political
    visits received, over the last 12 and 24 months, and the gap between the most and least served over time,
    counting only what is confirmed as held (a meeting's ``outcome``, a guest's ``attended``, a visit's status
    "held"); what is over but unconfirmed, and what did not take place, is counted apart on each row. Counted in the
    database: four queries, any size (each kind is read per workplace and quarter, so the same rows give the 12 and
    24 months and the quarters)."""
    counted, _until = _count_ledger(committee, now or timezone.now())
    return _shown(counted, only_without_contact)


def _shown(counted: Ledger, only_without_contact: bool) -> Ledger:
    if not only_without_contact:
        return counted
    return replace(counted, page_rows=[r for r in counted.rows if r.no_contact])


def _count_ledger(committee: Committee, now: dt.datetime) -> tuple[Ledger, dt.datetime]:
    """The ledger as of ``now``, and the earliest moment after which time alone changes it (a meeting or a visit
    is over, a contact leaves the 12 or 24 months, a new quarter begins)."""
    y1, y2 = now - dt.timedelta(days=365), now - dt.timedelta(days=730)
    today = timezone.localtime(now, COPENHAGEN).date()
    quarters = _quarters_back(today, _QUARTERS_READ)
    since = min(y2, dt.datetime.combine(quarters[0], dt.time(), tzinfo=COPENHAGEN))
    next_quarter = _quarters_back(quarters[-1] + dt.timedelta(days=100), 1)[0]
    until = [dt.datetime.combine(next_quarter, dt.time(), tzinfo=COPENHAGEN)]
    workplaces = list(
        Workplace.objects.filter(committees=committee, is_active=True)
        .select_related("kind", "district")
        .order_by("name")
    )
    rows = {w.pk: LedgerRow(workplace=w) for w in workplaces}
    ids = list(rows)
    per_quarter: Counter = Counter()
    for read in (
        _hosted(committee, ids, now, since),
        _attended(committee, ids, now, since),
        _visited(ids, now, since),
    ):
        m = read.moment
        in_24, in_12 = Q(**{f"{m}__gte": y2}), Q(**{f"{m}__gte": y1})
        for found in (
            read.over.annotate(quarter=TruncQuarter(m, output_field=DateField(), tzinfo=COPENHAGEN))
            .values(read.key, "quarter")
            .annotate(
                n=Count("pk", filter=read.held),
                n24=Count("pk", filter=read.held & in_24),
                n12=Count("pk", filter=read.held & in_12),
                u24=Count("pk", filter=read.unconfirmed & in_24),
                u12=Count("pk", filter=read.unconfirmed & in_12),
                x24=Count("pk", filter=read.not_held & in_24),
                x12=Count("pk", filter=read.not_held & in_12),
                first_12=Min(m, filter=in_12),
                first_24=Min(m, filter=in_24),
            )
        ):
            row = rows[found[read.key]]
            setattr(row, f"{read.kind}_12", getattr(row, f"{read.kind}_12") + found["n12"])
            setattr(row, f"{read.kind}_24", getattr(row, f"{read.kind}_24") + found["n24"])
            row.unconfirmed_12 += found["u12"]
            row.unconfirmed_24 += found["u24"]
            row.not_held_12 += found["x12"]
            row.not_held_24 += found["x24"]
            per_quarter[(found[read.key], found["quarter"])] += found["n"]
            if found["first_12"]:
                until.append(found["first_12"] + dt.timedelta(days=365))
            if found["first_24"]:
                until.append(found["first_24"] + dt.timedelta(days=730))
    ordered = sorted(rows.values(), key=lambda r: (r.contacts_12, r.contacts_24, r.workplace.name))
    c12 = [r.contacts_12 for r in ordered] or [0]
    c24 = [r.contacts_24 for r in ordered] or [0]
    counted = Ledger(
        committee=committee,
        rows=ordered,
        page_rows=ordered,
        most_12=max(c12),
        least_12=min(c12),
        most_24=max(c24),
        least_24=min(c24),
        without_contact=sum(1 for r in ordered if r.no_contact),
        over_time=_gap_over_time(ids, quarters, per_quarter),
        unconfirmed_12=sum(r.unconfirmed_12 for r in ordered),
        not_held_12=sum(r.not_held_12 for r in ordered),
    )
    return counted, min(until)


def _next_over(committee: Committee, now: dt.datetime) -> list[dt.datetime]:
    """When the next of the committee's meetings, or of the visits to its workplaces, that the ledger would count
    is over (two queries)."""
    meeting = Meeting.objects.filter(committee=committee, status=Meeting.Status.SCHEDULED, ends_at__gt=now).aggregate(
        first=Min("ends_at")
    )["first"]
    visit = (
        Visit.objects.filter(workplace__committees=committee, ends_at__gt=now)
        .filter(
            Q(status__in=(Visit.Status.CONFIRMED, Visit.Status.HELD, Visit.Status.NO_SHOW))
            | Q(status=Visit.Status.CANCELLED, cancelled_late=True)
        )
        .aggregate(first=Min("ends_at"))["first"]
    )
    return [moment for moment in (meeting, visit) if moment]


class LedgerPlace(NamedTuple):
    """What the ledger's page shows of a workplace, kept in the cache instead of the model instance."""

    pk: int
    name: str
    url: str
    latitude: float | None
    longitude: float | None

    def get_absolute_url(self) -> str:
        return self.url


# A cached row is a plain tuple (a tenth of the time to load from the cache than objects): the workplace's
# ``LedgerPlace`` fields, then its counts in this order.
_COUNTS = (
    "hosted_12",
    "hosted_24",
    "attended_12",
    "attended_24",
    "visits_12",
    "visits_24",
    "unconfirmed_12",
    "unconfirmed_24",
    "not_held_12",
    "not_held_24",
)
_PLACE = len(LedgerPlace._fields)
_CONTACTS_12 = [_PLACE + _COUNTS.index(f"{kind}_12") for kind in ("hosted", "attended", "visits")]


def _row_tuple(row: LedgerRow) -> tuple:
    w = row.workplace
    place = (
        w.pk,
        w.name,
        w.get_absolute_url(),
        None if w.latitude is None else float(w.latitude),
        None if w.longitude is None else float(w.longitude),
    )
    return place + tuple(getattr(row, name) for name in _COUNTS)


def ledger_rows(rows: list[tuple]) -> list[LedgerRow]:
    """Cached rows (``CachedLedger.rows``) as the ``LedgerRow`` a page shows."""
    return [LedgerRow(LedgerPlace(*r[:_PLACE]), *r[_PLACE:]) for r in rows]


@dataclass
class CachedLedger:
    """The ledger as its page shows it: ``rows`` every workplace under the committee, least served first, as plain
    tuples (``ledger_rows`` makes them ``LedgerRow``), the figures above the table, valid until ``valid_until``
    unless the ledger's version is replaced first; ``stamp`` names this computation (for the cached map)."""

    rows: list[tuple]
    most_12: int
    least_12: int
    most_24: int
    least_24: int
    without_contact: int
    unconfirmed_12: int
    not_held_12: int
    over_time: list
    valid_until: dt.datetime
    stamp: str

    @property
    def gap_12(self) -> int:
        return self.most_12 - self.least_12

    @property
    def gap_24(self) -> int:
        return self.most_24 - self.least_24

    def shown(self, only_without_contact: bool = False) -> list[tuple]:
        if not only_without_contact:
            return self.rows
        return [r for r in self.rows if not sum(r[i] for i in _CONTACTS_12)]


LEDGER_CACHE_SECONDS = 60 * 60


def ledger_committees(roles) -> list[Committee]:
    """The active committees whose ledger the person may read (all of them for the secretariat), by name: the list is
    kept under the committees' version, so a hit costs no query and a committee renamed, added or closed shows at
    once."""
    committees = versioned_get_or_set(
        "ledger:committees1",
        model_version_keys(Committee),
        lambda: list(Committee.objects.active().order_by("name")),
        timeout=LEDGER_CACHE_SECONDS,
    )
    if roles.is_administrator:
        return committees
    return [c for c in committees if c.pk in roles.committee_ids]


def ledger_page(committee: Committee) -> CachedLedger:
    """The ledger for its page, cached per committee under the ledger's version (replaced by every change of a
    workplace, its committees, a meeting, an invitation or a visit: meetings/signals.py and the models' QuerySets)
    until time alone would change it. A hit costs no query and next to nothing per workplace."""
    now = timezone.now()

    def compute() -> CachedLedger:
        counted, until = _count_ledger(committee, now)
        return CachedLedger(
            rows=[_row_tuple(row) for row in counted.rows],
            most_12=counted.most_12,
            least_12=counted.least_12,
            most_24=counted.most_24,
            least_24=counted.least_24,
            without_contact=counted.without_contact,
            unconfirmed_12=counted.unconfirmed_12,
            not_held_12=counted.not_held_12,
            over_time=counted.over_time,
            valid_until=min([until, *_next_over(committee, now)]),
            stamp=uuid.uuid4().hex,
        )

    return versioned_get_or_set(
        f"ledger:rows1:{committee.pk}",  # the key names the shape of the value: a new shape, a new key
        [LEDGER_VERSION_KEY],
        compute,
        timeout=LEDGER_CACHE_SECONDS,
        fresh=lambda value: timezone.now() < value.valid_until,
    )


@dataclass
class QuarterGap:
    """The most and least served workplace over the four quarters up to and including ``quarter``."""

    quarter: dt.date
    most: int
    least: int

    @property
    def gap(self) -> int:
        return self.most - self.least

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)

    @property
    def number(self) -> int:
        return (self.quarter.month - 1) // 3 + 1

    @property
    def short(self) -> str:
        return quarter_short(self.number)


def quarter_label(day: dt.date) -> str:
    """ "4. kvt. 2026" (DANISH.md §2)."""
    return _("Q%(quarter)d %(year)d") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}


def quarter_short(number: int) -> str:
    """ "4. kvt." """
    return _("Q%(quarter)d") % {"quarter": number}


def _gap_over_time(ids: list[int], quarters: list[dt.date], per_quarter: Counter) -> list[QuarterGap]:
    points = []
    for end in range(3, len(quarters)):
        window = quarters[end - 3 : end + 1]
        totals = [sum(per_quarter[(pk, q)] for q in window) for pk in ids] or [0]
        points.append(QuarterGap(quarter=quarters[end], most=max(totals), least=min(totals)))
    return points


# --- The ledger's charts: drawn on the server as SVG (the CSP allows no inline script or style) -------------------

# The kinds of contact, in the order the bars stack them; each has its colour class in portal.css.
LEDGER_KINDS = (
    ("hosted", gettext_lazy("Meetings hosted")),
    ("attended", gettext_lazy("Dialogue meetings attended")),
    ("visits", gettext_lazy("Visits received")),
)


def ledger_bars(rows: list[LedgerRow], beside: list[tuple[str, dict]] = ()) -> dict:
    """Per workplace, the contacts of the last 12 and 24 months stacked by kind, least served first (the order of
    ``rows``). Widths are percentages of the largest 24-month total, so the two bars of all rows share one scale.
    ``beside`` are the other features' columns (``core.registry.ledger_columns``: ``[(label, {workplace_id: (n12,
    n24)})]``): written beside the bars where not 0, not counted in them (they are no contact in the fairness)."""
    top = max((r.contacts_24 for r in rows), default=0) or 1
    bars = []
    for row in rows:
        spans = {}
        for months in (12, 24):
            x = 0.0
            segments = []
            for kind, label in LEDGER_KINDS:
                n = getattr(row, f"{kind}_{months}")
                width = round(100 * n / top, 2)
                if n:
                    segments.append({"kind": kind, "label": label, "n": n, "x": round(x, 2), "width": width})
                x += width
            spans[months] = segments
        bars.append(
            {
                "row": row,
                "segments_12": spans[12],
                "segments_24": spans[24],
                "by_kind_12": [(label, getattr(row, f"{kind}_12")) for kind, label in LEDGER_KINDS],
                "beside": [
                    (label, *counts[row.workplace.pk])
                    for label, counts in beside
                    if any(counts.get(row.workplace.pk, (0, 0)))
                ],
            }
        )
    return {"kinds": LEDGER_KINDS, "bars": bars, "top": top}


def columns_key(beside: list[tuple[str, dict]]) -> str:
    """A short digest of the other features' columns for the page's rows, to name the cached rows with."""
    text = repr([(str(label), sorted(counts.items())) for label, counts in beside])
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def ledger_extra_columns(committee: Committee, workplace_ids: list[int]) -> tuple[list[tuple[str, dict]], str]:
    """The other features' columns for the page's rows (``core.registry.ledger_columns``) and their ``columns_key``,
    kept per committee, rows and language under the versions of what the columns read, until time alone would change
    them (something counted leaves the 12 or 24 months, or something ahead comes in): a hit costs no query."""
    providers = list(ledger_columns.values())

    def compute() -> tuple:
        now = timezone.now()
        until: list[dt.datetime] = []
        y1, y2 = now - dt.timedelta(days=365), now - dt.timedelta(days=730)
        extra = [column for p in providers for column in p.count(committee, workplace_ids, y1, y2, now, until)]
        return extra, columns_key(extra), min(until, default=None)

    rows = hashlib.blake2b(repr(workplace_ids).encode(), digest_size=12).hexdigest()
    extra, key, _until = versioned_get_or_set(
        f"ledger:columns1:{committee.pk}:{rows}",
        [key for p in providers for key in p.version_keys()],
        compute,
        also=get_language(),
        timeout=LEDGER_CACHE_SECONDS,
        fresh=lambda value: value[2] is None or timezone.now() < value[2],
    )
    return extra, key


def ledger_gap_chart(points: list[QuarterGap]) -> dict:
    """The gap between the most and least served, per quarter, as bars for an SVG of ``width`` × ``height`` (60 units
    a quarter; the bars between y 30 and 160, the quarter's name below)."""
    top = max((p.gap for p in points), default=0) or 1
    bars = []
    for n, point in enumerate(points):
        height = round(130 * point.gap / top, 1)
        y = round(160 - height, 1)
        bars.append(
            {"point": point, "x": n * 60 + 12, "y": y, "height": height, "middle": n * 60 + 30, "number_y": y - 6}
        )
    return {"bars": bars, "width": 60 * len(points) or 60, "height": 210}


def ledger_map(rows: list[LedgerRow], *, tiles_url: str = "") -> dict:
    """The workplaces with coordinates as points coloured by their contacts in 12 months (``ledger_map.draw``), and
    those without coordinates by name, so the page can say who is not on the map."""
    placed = [r for r in rows if r.workplace.latitude is not None and r.workplace.longitude is not None]
    unplaced = [r.workplace for r in rows if r.workplace.latitude is None or r.workplace.longitude is None]
    drawn = ledger_map_drawing.draw(
        [
            ledger_map_drawing.Place(
                name=r.workplace.name,
                latitude=float(r.workplace.latitude),
                longitude=float(r.workplace.longitude),
                contacts=r.contacts_12,
            )
            for r in placed
        ],
        tiles_url=tiles_url,
    )
    bands = ledger_map_drawing.BANDS
    legend = [
        {"band": name, "lowest": lowest, "highest": bands[n + 1][0] - 1 if n + 1 < len(bands) else None}
        for n, (lowest, name) in enumerate(bands)
    ]
    return {"map": drawn, "legend": legend, "unplaced": unplaced, "points_svg": _map_points_svg(drawn.points)}


def _map_points_svg(points: list[ledger_map_drawing.Point]) -> SafeString:
    """The map's points as SVG, one ``<g>`` each with its title, count and name: the markup the template's loop wrote,
    joined here, since the map has every workplace of the committee and a template loop cost a page built anew 18 ms
    at 10x data (2 ms here; issue 19). Names are escaped as the template escaped them; numbers are not localized."""
    out = []
    for point in points:
        place = point.place
        title = ngettext(
            "%(name)s: %(counter)s contact in the last 12 months",
            "%(name)s: %(counter)s contacts in the last 12 months",
            place.contacts,
        ) % {"name": escape(place.name), "counter": place.contacts}
        name = ""
        if point.label:
            name = (
                f'<text x="{point.name_x}" y="{point.text_y}" text-anchor="{point.label}" class="ledger-map-name">'
                f"{escape(place.name)}</text>"
            )
        out.append(
            f'<g class="ledger-map-point ledger-band-{point.band}" data-testid="map-point"><title>{title}</title>\n'
            f'      <circle cx="{point.x}" cy="{point.y}" r="10"/>\n'
            f'      <text x="{point.x}" y="{point.text_y}" text-anchor="middle" class="ledger-map-count">'
            f"{place.contacts}</text>\n"
            f"      {name}</g>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every name is escaped above, the rest are numbers and our classes


class Drawn:
    """A chart's dict for a template (``ledger_map``, ``ledger_bars``), drawn on the first look inside
    (``map.map``, ``chart.bars``): the page keeps what it draws as cached fragments, so most requests never draw
    it. Not Django's SimpleLazyObject, which any ``isinstance`` on the context (the form-error tag) sets up."""

    def __init__(self, draw: Callable[[], dict]):
        self._draw = draw

    @cached_property
    def drawn(self) -> dict:
        return self._draw()

    def __getitem__(self, key: str):
        return self.drawn[key]


# --- The public ledger --------------------------------------------------------------------------------------------

PUBLIC_LEDGER_COLUMNS = (
    ("hosted_12", gettext_lazy("Meetings hosted, 12 months")),
    ("attended_12", gettext_lazy("Dialogue meetings attended, 12 months")),
    ("visits_12", gettext_lazy("Visits received, 12 months")),
    ("hosted_24", gettext_lazy("Meetings hosted, 24 months")),
    ("attended_24", gettext_lazy("Dialogue meetings attended, 24 months")),
    ("visits_24", gettext_lazy("Visits received, 24 months")),
)


def public_ledger_months() -> list[LedgerSnapshot]:
    return list(LedgerSnapshot.objects.newest_first().only("month", "taken_at", "digest"))


def public_ledger_committees(snapshot: LedgerSnapshot) -> list[dict]:
    """The published rows by committee, each workplace with its contacts in 12 and 24 months, least served first."""
    committees: dict[str, dict] = {}
    for row in snapshot.rows:
        entry = committees.setdefault(row["committee_slug"], {"name": row["committee"], "rows": []})
        entry["rows"].append(
            {
                **row,
                "contacts_12": sum(row.get(f"{kind}_12", 0) for kind, _label in LEDGER_KINDS),
                "contacts_24": sum(row.get(f"{kind}_24", 0) for kind, _label in LEDGER_KINDS),
            }
        )
    for entry in committees.values():
        entry["rows"].sort(key=lambda r: (r["contacts_12"], r["contacts_24"], r["workplace"]))
        entry["without_contact"] = sum(1 for r in entry["rows"] if not r["contacts_12"])
        entry["gap_12"] = entry["rows"][-1]["contacts_12"] - entry["rows"][0]["contacts_12"]
    return sorted(committees.values(), key=lambda c: c["name"])


def public_ledger_table(snapshot: LedgerSnapshot) -> tuple[list, list[list]]:
    """The published month as CSV: one line per committee and workplace."""
    header = [_("Committee"), _("Workplace"), *[label for _key, label in PUBLIC_LEDGER_COLUMNS]]
    rows = [
        [r["committee"], r["workplace"], *[r.get(key, 0) for key, _label in PUBLIC_LEDGER_COLUMNS]]
        for r in snapshot.rows
    ]
    return header, rows


def meeting_role(user, meeting: Meeting) -> dict:
    """How the person takes part in a meeting they can see: member, chair, host or guest leader, administrator."""
    roles = user.roles
    host_leader = meeting.host_id is not None and meeting.host_id in roles.led_workplace_ids
    chair = roles.chairs(meeting.committee_id)
    member = meeting.committee_id in roles.committee_ids
    guest_ids = {i.workplace_id for i in meeting.invitations.all()}
    guest_leader = bool(guest_ids & roles.led_workplace_ids)
    return {
        "admin": roles.is_administrator,
        "host_leader": host_leader,
        "member": member,
        "chair": chair,
        "guest_leader": guest_leader,
        "takes_part": member or host_leader or guest_leader,
        # Says what happened once the meeting is over (services.meeting_outcome_record).
        "may_confirm": roles.is_administrator or chair or host_leader,
    }
