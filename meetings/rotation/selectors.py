"""Reads for the rotation's pages: what each page needs, loaded up front in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from ..models import (
    CancellationRequest,
    Committee,
    Hosting,
    Meeting,
    MeetingDate,
    MeetingInvitation,
    PlannedMeeting,
    PlanningRun,
    RotationPlan,
    User,
    Visit,
    Workplace,
)


def person_meetings(user: User, *, since: dt.datetime | None = None):
    """Meetings of the person's committees and those their workplaces host or are invited to."""
    qs = Meeting.objects.for_person(user)
    if since is not None:
        qs = qs.filter(ends_at__gte=since)
    return qs.select_related("committee", "host").order_by("starts_at")


def get_meeting_for_user(user: User, pk: int) -> Meeting:
    """A meeting the person takes part in (committee, host, guest) or sees as administrator; 404 otherwise."""
    meeting = (
        Meeting.objects.visible_to(user)
        .select_related("committee", "host", "plan")
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
        .select_related("committee", "host")
        .order_by("starts_at")[:PANEL_MEETINGS]
    )


# A committee's and a workplace's pages list the published meetings of the last year and those to come.
PANEL_PAST_DAYS = 365
PANEL_MEETINGS = 30


def committee_meetings(user: User, committee: Committee) -> list[Meeting]:
    """The committee's published meetings the person may open (a member, a host or guest, the secretariat)."""
    return _listed_meetings(Meeting.objects.visible_to(user).filter(committee=committee))


def workplace_meetings(user: User, workplace: Workplace) -> list[Meeting]:
    """The published meetings the workplace hosts or is invited to, that the person may open; each with
    ``is_host`` set."""
    qs = Meeting.objects.visible_to(user).filter(Q(host=workplace) | Q(invitations__workplace=workplace)).distinct()
    meetings = _listed_meetings(qs)
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
    return list(
        plan.meetings.select_related("host", "host__district")
        .prefetch_related(Prefetch("guests", queryset=Workplace.objects.order_by("name")))
        .order_by("date")
    )


def published_meetings(plan: RotationPlan) -> list[Meeting]:
    """A published plan's meetings as they are now (moved, re-planned, cancelled), each with its guests and any
    open withdrawal of its host, for the year's page."""
    return list(
        plan.published_meetings.select_related("host")
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


@dataclass
class HistoryRow:
    workplace: Workplace
    per_year: list[int]
    total: int
    in_plan: int
    invited: bool


def hosting_history(
    plan: RotationPlan, planned: list[PlannedMeeting], *, years: int = 5
) -> tuple[list[int], list[HistoryRow]]:
    """Hostings per workplace in the years before the plan, the plan's own, and the total: the fairness panel's
    table, least served first."""
    span = list(range(plan.year - years, plan.year))
    workplaces = list(Workplace.objects.filter(committees=plan.committee).order_by("name"))
    counts: dict[tuple[int, int], int] = defaultdict(int)
    totals: Counter = Counter()
    for row in (
        Hosting.objects.filter(committee=plan.committee, date__lt=dt.date(plan.year, 1, 1))
        .values("workplace_id", "date__year")
        .annotate(n=Count("pk"))
    ):
        counts[(row["workplace_id"], row["date__year"])] += row["n"]
        totals[row["workplace_id"]] += row["n"]
    in_plan = Counter(p.host_id for p in planned if p.host_id)
    invited = {g.pk for p in planned for g in p.guests.all()} | set(in_plan)
    rows = [
        HistoryRow(
            workplace=w,
            per_year=[counts[(w.pk, y)] for y in span],
            total=totals[w.pk] + in_plan[w.pk],
            in_plan=in_plan[w.pk],
            invited=w.pk in invited,
        )
        for w in workplaces
        if w.is_active
    ]
    rows.sort(key=lambda r: (r.total, r.workplace.name))
    return span, rows


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


def public_meetings(committee: Committee, year: int) -> list[Meeting]:
    return list(
        Meeting.objects.filter(committee=committee, plan__status=RotationPlan.Status.PUBLISHED, starts_at__year=year)
        .select_related("host", "committee")
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
    unconfirmed_12: int = 0
    not_held_12: int = 0

    @property
    def gap_12(self) -> int:
        return self.most_12 - self.least_12

    @property
    def gap_24(self) -> int:
        return self.most_24 - self.least_24


def _counted(rows: dict, key: str, kind: str, queryset, day: str, held: Q, unconfirmed: Q, not_held: Q, y1) -> None:
    """Add one query's held, unconfirmed and not-held counts over 24 and 12 months to the rows."""
    recent = Q(**{f"{day}__gte": y1})
    for row in queryset.values(key).annotate(
        h24=Count("pk", filter=held),
        h12=Count("pk", filter=held & recent),
        u24=Count("pk", filter=unconfirmed),
        u12=Count("pk", filter=unconfirmed & recent),
        n24=Count("pk", filter=not_held),
        n12=Count("pk", filter=not_held & recent),
    ):
        target = rows[row[key]]
        setattr(target, f"{kind}_24", row["h24"])
        setattr(target, f"{kind}_12", row["h12"])
        target.unconfirmed_24 += row["u24"]
        target.unconfirmed_12 += row["u12"]
        target.not_held_24 += row["n24"]
        target.not_held_12 += row["n12"]


def ledger(committee: Committee, *, now: dt.datetime | None = None, only_without_contact: bool = False) -> Ledger:
    """Per workplace under the committee: on-site meetings hosted, dialogue meetings attended as guest and political
    visits received, over the last 12 and 24 months, counting only what is confirmed as held (a meeting's
    ``outcome``, a guest's ``attended``, a visit's status "held"). What is over but unconfirmed, and what did not
    take place, is counted apart on each row. Counted in the database: four queries, any size."""
    now = now or timezone.now()
    y1, y2 = now - dt.timedelta(days=365), now - dt.timedelta(days=730)
    workplaces = list(
        Workplace.objects.filter(committees=committee, is_active=True)
        .select_related("kind", "district")
        .order_by("name")
    )
    rows = {w.pk: LedgerRow(workplace=w) for w in workplaces}
    ids = list(rows)
    not_held = (Meeting.Outcome.NO_SHOW, Meeting.Outcome.CANCELLED_LATE)
    _counted(
        rows,
        "host_id",
        "hosted",
        Meeting.objects.filter(
            committee=committee,
            status=Meeting.Status.SCHEDULED,
            host_id__in=ids,
            starts_at__gte=y2,
            ends_at__lte=now,
        ),
        "starts_at",
        held=Q(outcome=Meeting.Outcome.HELD),
        unconfirmed=Q(outcome=""),
        not_held=Q(outcome__in=not_held),
        y1=y1,
    )
    _counted(
        rows,
        "workplace_id",
        "attended",
        MeetingInvitation.objects.filter(
            meeting__committee=committee,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__ends_at__lte=now,
            meeting__starts_at__gte=y2,
            workplace_id__in=ids,
        ),
        "meeting__starts_at",
        held=Q(meeting__outcome=Meeting.Outcome.HELD, attended=True),
        unconfirmed=Q(meeting__outcome="") | Q(meeting__outcome=Meeting.Outcome.HELD, attended__isnull=True),
        not_held=Q(meeting__outcome__in=not_held) | Q(meeting__outcome=Meeting.Outcome.HELD, attended=False),
        y1=y1,
    )
    _counted(
        rows,
        "workplace_id",
        "visits",
        Visit.objects.filter(workplace_id__in=ids, starts_at__gte=y2, ends_at__lte=now).filter(
            Q(status__in=(Visit.Status.CONFIRMED, Visit.Status.HELD, Visit.Status.NO_SHOW))
            | Q(status=Visit.Status.CANCELLED, cancelled_late=True)
        ),
        "starts_at",
        held=Q(status=Visit.Status.HELD),
        unconfirmed=Q(status=Visit.Status.CONFIRMED),
        not_held=Q(status=Visit.Status.NO_SHOW) | Q(status=Visit.Status.CANCELLED, cancelled_late=True),
        y1=y1,
    )
    ordered = sorted(rows.values(), key=lambda r: (r.contacts_12, r.contacts_24, r.workplace.name))
    c12 = [r.contacts_12 for r in ordered] or [0]
    c24 = [r.contacts_24 for r in ordered] or [0]
    shown = [r for r in ordered if r.no_contact] if only_without_contact else ordered
    return Ledger(
        committee=committee,
        rows=ordered,
        page_rows=shown,
        most_12=max(c12),
        least_12=min(c12),
        most_24=max(c24),
        least_24=min(c24),
        without_contact=sum(1 for r in ordered if r.no_contact),
        unconfirmed_12=sum(r.unconfirmed_12 for r in ordered),
        not_held_12=sum(r.not_held_12 for r in ordered),
    )


def ledger_bars(ledger: Ledger, *, width: int = 100) -> list[dict]:
    """How many workplaces had 0, 1, 2, … contacts in 12 months: the chart above the table."""
    distribution = Counter(r.contacts_12 for r in ledger.rows)
    top = max(distribution.values(), default=1)
    return [
        {"contacts": k, "workplaces": n, "percent": round(width * n / top)} for k, n in sorted(distribution.items())
    ]


def meeting_role(user, meeting: Meeting) -> dict:
    """How the person takes part in a meeting they can see: member, chair, host or guest leader, administrator."""
    roles = user.roles
    host_leader = meeting.host_id is not None and meeting.host_id in roles.led_workplace_ids
    chair = meeting.committee_id in roles.chair_committee_ids or meeting.committee_id in getattr(
        roles, "vice_chair_committee_ids", frozenset()
    )
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
