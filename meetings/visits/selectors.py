"""Reads for visits: access helpers that fetch and check in one call, the finder, calendars."""

import datetime as dt
import functools
from collections import OrderedDict
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DateField,
    Exists,
    Expression,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from core.lookups import InOnce
from core.pickers import Picker
from core.versioned_cache import model_version_keys, versioned_get_or_set

from ..models import (
    Blackout,
    Committee,
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
)
from ..selectors import committee_names
from ..workdays import closed_days_of_year
from .rules import MAX_NOTICE_DAYS, first_day_after_notice

PARTICIPANTS = Prefetch("participants", queryset=VisitParticipant.objects.select_related("person"))


class _NamesJoined(Aggregate):
    """Names joined with ", " in the order the rows were added (their ids): PostgreSQL's STRING_AGG, SQLite's
    GROUP_CONCAT (which joins in the order it reads the rows, the ids' on a plain table)."""

    output_field = CharField()

    def __init__(self, name, order):
        super().__init__(name, order)

    def as_sql(self, compiler, connection, **extra_context):
        name, params = compiler.compile(self.get_source_expressions()[0])
        return f"GROUP_CONCAT({name}, ', ')", params

    def as_postgresql(self, compiler, connection, **extra_context):
        name, params = compiler.compile(self.get_source_expressions()[0])
        order, order_params = compiler.compile(self.get_source_expressions()[1])
        return f"STRING_AGG({name}, ', ' ORDER BY {order})", (*params, *order_params)


def with_participant_names(qs):
    """Visits with ``participant_names``, the participants' names joined with ", " (empty: ``None``), computed in
    the visits' own query: for lists that only show the names, instead of a prefetch of participants and persons
    (one query less, and the same number of queries whether or not a list is empty)."""
    names = (
        VisitParticipant.objects.filter(visit=OuterRef("pk"))
        .order_by()
        .values("visit")
        .annotate(names=_NamesJoined("person__full_name", "pk"))
        .values("names")
    )
    return qs.annotate(participant_names=Subquery(names, output_field=CharField()))


def visits_without_participants(qs=None):
    """Visits with their workplace, offer and booker; add ``PARTICIPANTS`` yourself (e.g. once for several lists
    with ``prefetch_related_objects``)."""
    return (qs if qs is not None else Visit.objects.all()).select_related("workplace", "slot__offer", "booked_by")


def visits_with_details(qs=None):
    return visits_without_participants(qs).prefetch_related(PARTICIPANTS)


def get_visit_for_user(user: User, pk: int) -> Visit:
    """A visit the person takes part in, hosts as leader, or sees as administrator; 404 otherwise."""
    visit = visits_with_details(Visit.objects.visible_to(user)).filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


def may_manage_visits(user: User, workplace_id: int, *, write: bool = True) -> bool:
    """The workplace's leaders manage its visit times; administrators may also read them."""
    return workplace_id in user.roles.led_workplace_ids or (not write and user.roles.is_administrator)


def get_workplace_for_leader(user: User, slug: str, *, write: bool = True) -> Workplace:
    """A workplace the person leads; administrators may also read. 404 for anyone else."""
    workplace = Workplace.objects.select_related("kind", "district").filter(slug=slug).first()
    if workplace is None or not may_manage_visits(user, workplace.pk, write=write):
        raise Http404
    return workplace


def get_offer_for_leader(user: User, pk: int) -> VisitOffer:
    offer = VisitOffer.objects.select_related("workplace").filter(pk=pk).first()
    if offer is None or offer.workplace_id not in user.roles.led_workplace_ids:
        raise Http404
    return offer


def settings_for(workplace: Workplace) -> VisitSettings:
    return VisitSettings.objects.filter(workplace=workplace).first() or VisitSettings(workplace=workplace)


def visit_role(user: User, visit: Visit) -> dict:
    """What the person may do with a visit they can see."""
    participant = any(p.person_id == user.pk for p in visit.participants.all())
    leader = visit.workplace_id in user.roles.led_workplace_ids
    coming = visit.status in (Visit.Status.REQUESTED, Visit.Status.CONFIRMED) and visit.starts_at > timezone.now()
    begun = visit.starts_at <= timezone.now()
    held = visit.status == Visit.Status.HELD
    return {
        "is_participant": participant,
        "is_leader": leader,
        "can_confirm": leader and coming and visit.status == Visit.Status.REQUESTED,
        "can_decline": leader and coming and visit.status == Visit.Status.REQUESTED,
        "can_cancel": coming and (participant or (leader and visit.status == Visit.Status.CONFIRMED)),
        "can_move": coming and participant,
        # What happened is confirmed by the leader or a politician on the visit; feedback and the mirror questions
        # follow from "held" (services.visit_outcome_record).
        "can_record_outcome": begun and visit.status == Visit.Status.CONFIRMED and (participant or leader),
        "can_give_feedback": held and (participant or leader),
    }


# --- The finder --------------------------------------------------------------------------------


def finder_base(user: User):
    """Workplaces a person may look for visits at: under their committees, or all for others."""
    qs = Workplace.objects.active()
    roles = user.roles
    if roles.is_politician and not roles.is_administrator:
        # A semi-join, not a join plus DISTINCT over every column (which PostgreSQL sorts for each page).
        under = Workplace.committees.through.objects.filter(
            workplace=OuterRef("pk"), committee_id__in=roles.committee_ids
        )
        qs = qs.filter(Exists(under))
    return qs


def finder_scope(user: User) -> str:
    """Names the workplaces ``finder_base`` gives the person: the same name, the same workplaces."""
    roles = user.roles
    if roles.is_politician and not roles.is_administrator:
        return ",".join(str(pk) for pk in sorted(roles.committee_ids))
    return "all"


class _FirstDayAfterNotice(Expression):
    """The first bookable day for a notice in working days: ``CASE notice WHEN 0 THEN <day> … END`` with the days
    worked out in Python (holidays count) and passed as parameters. The same SQL as a ``Case`` of one ``When`` per
    notice, but one expression to build and resolve instead of 31 (the finder built and resolved them twice on
    every request, 5–10 ms; issue 19)."""

    output_field = DateField()

    def __init__(self, notice, days: tuple[dt.date, ...]):
        super().__init__()
        self.notice = notice
        self.days = days

    def get_source_expressions(self):
        return [self.notice]

    def set_source_expressions(self, exprs):
        (self.notice,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.notice)
        field = DateField()
        values = []
        for notice, day in enumerate(self.days):
            values += [notice, field.get_db_prep_value(day, connection)]
        whens = " ".join("WHEN %s THEN %s" for _day in self.days)
        return f"CASE {sql} {whens} END", (*params, *values)


def _after_each_notice(slots, now: dt.datetime):
    """Only the slots on or after the first bookable day under their workplace's own booking notice, in SQL (no
    query to read the notices first: a notice is 0 to MAX_NOTICE_DAYS working days; no settings row, the default)."""
    today = timezone.localtime(now).date()
    default = VisitSettings._meta.get_field("booking_notice_days").default
    notice = Subquery(
        VisitSettings.objects.filter(workplace_id=OuterRef("workplace_id")).values("booking_notice_days")[:1]
    )
    first_day = _FirstDayAfterNotice(Coalesce(notice, Value(default)), _first_days(today))
    return slots.filter(day__gte=first_day)


@functools.lru_cache(maxsize=4)
def _first_days(today: dt.date) -> tuple[dt.date, ...]:
    """The first bookable day for each notice from 0 to MAX_NOTICE_DAYS working days, given ``today``; a function
    of the date alone (the closed days are fixed in ``meetings.workdays``), so worked out once a day."""
    return tuple(first_day_after_notice(today, n) for n in range(MAX_NOTICE_DAYS + 1))


# Visits that count as political attention on the finder: confirmed or held, in the last 12 months.
RECENT_VISIT_DAYS = 365
RECENT_VISIT_STATUSES = (Visit.Status.CONFIRMED, Visit.Status.HELD)


@dataclass(frozen=True)
class RecentVisits:
    """Each workplace's visits in the last 12 months (``counts``: workplace id → number, none missing), as they stand
    until ``valid_until``, when time alone changes them (a counted visit begins or leaves the 12 months)."""

    counts: dict[int, int]
    valid_until: dt.datetime


def _count_recent_visits(now: dt.datetime) -> RecentVisits:
    """One query: per workplace the visits counted now, the first of them (it leaves the 12 months a year later) and
    the next to begin (it is counted from then)."""
    past = Q(starts_at__lte=now)
    rows = (
        Visit.objects.filter(
            status__in=RECENT_VISIT_STATUSES, starts_at__gte=now - dt.timedelta(days=RECENT_VISIT_DAYS)
        )
        .order_by()
        .values_list("workplace_id")
        .annotate(
            n=Count("pk", filter=past), first=Min("starts_at", filter=past), begins=Min("starts_at", filter=~past)
        )
    )
    counts, changes = {}, []
    for workplace_id, n, first, begins in rows:
        if n:
            counts[workplace_id] = n
            changes.append(first + dt.timedelta(days=RECENT_VISIT_DAYS))
        if begins is not None:
            changes.append(begins)
    # Nothing to begin or to leave: kept for the cache's timeout (a change of the visits replaces the version).
    return RecentVisits(counts, min(changes, default=now + dt.timedelta(days=1)))


def kept_recent_visits() -> RecentVisits:
    """Confirmed or held visits in the last 12 months per workplace, for the finder's order and counts: counted over
    the whole municipality once, not for every workplace on every request (that grew with the municipality, issue
    19). Kept under the visits' model version, which every save, delete and bulk write of a visit replaces, and
    until time alone changes the counts (``valid_until``)."""

    def compute() -> RecentVisits:
        return _count_recent_visits(timezone.now())

    return versioned_get_or_set(
        "finder:recent-visits2",  # the key names the shape of the value and its versions: a new shape, a new key
        model_version_keys(Visit),
        compute,
        timeout=60 * 60,
        fresh=lambda value: timezone.now() < value.valid_until,
    )


def recent_visit_counts() -> dict[int, int]:
    """Each workplace's confirmed or held visits in the last 12 months (a workplace without one is missing)."""
    return kept_recent_visits().counts


def visited_workplace_keys(user: User) -> list[str]:
    """The cache keys ``visited_workplace_ids`` reads, for a page that reads them with others in one round trip."""
    return [*model_version_keys(Visit, VisitParticipant), f"finder:visited1:{user.pk}"]


def visited_workplace_ids(user: User, *, read: dict | None = None) -> frozenset[int]:
    """The workplaces where the person takes part in a visit that is requested, confirmed or held: the finder's
    "visited by you" and its "not visited" filter. Kept per person under the versions of visits and participants
    (what a booking, a cancellation or a new participant writes), so neither reads every visit on a request."""

    def compute() -> frozenset[int]:
        # The person's visits by the visits' primary key (an InitPlan of their ids): a join read every visit of the
        # municipality into a hash for a person with 1,700 participations (30 ms at 10x data, 2 ms at 1x; issue 19).
        mine = VisitParticipant.objects.filter(person=user).values("visit_id")
        visits = Visit.objects.filter(InOnce(F("pk"), mine), status__in=Visit.ACTIVE_STATUSES).order_by()
        return frozenset(visits.values_list("workplace_id", flat=True))

    *versions, key = visited_workplace_keys(user)
    return versioned_get_or_set(key, versions, compute, read=read)


# What the finder's results read, besides the time: the workplaces (names, committees, kinds, districts), their
# free times (slots, offers, notice, closures) and the visits (the counts, and a person's own for "not visited").
FINDER_MODELS = (
    Workplace, WorkplaceKind, District, Committee, VisitSlot, VisitOffer, VisitSettings, Blackout, Visit,
    VisitParticipant,
)  # fmt: skip


@dataclass
class FinderRow:
    """A workplace as the finder's table shows it: plain values, no model instances. ``visited_by_me`` is the
    person's, set per request (the rest is the same for everyone who may see the workplace)."""

    pk: int
    slug: str
    name: str
    kind_name: str
    district_name: str
    next_free: dt.datetime | None
    visited_by_me: bool = False
    recent_visit_count: int = 0
    committee_names: str = ""


class FinderPage(NamedTuple):
    """A page of the finder's rows and the first moment time alone changes it (``until``): a shown next free time
    begins, a matching workplace's last free time in the period begins, or a counted visit begins or leaves the 12
    months."""

    page: Page
    until: dt.datetime


def _free_times(now: dt.datetime, free_from: dt.date | None, free_to: dt.date | None):
    """The open times of the workplace ``OuterRef("pk")`` that the person may book now (outside its notice), within
    the free-time period if one is given."""
    free = _after_each_notice(VisitSlot.objects.open(now).filter(workplace=OuterRef("pk")), now)
    if free_from:
        free = free.filter(day__gte=free_from)
    if free_to:
        free = free.filter(day__lte=free_to)
    return free


def visit_finder(
    user: User,
    *,
    committee=None,
    kind=None,
    district=None,
    text: str = "",
    not_visited: bool = False,
    free_from: dt.date | None = None,
    free_to: dt.date | None = None,
    now: dt.datetime | None = None,
):
    """The workplaces the person may look for visits at that match the filters, each with ``next_free`` (the next
    time they may book there, within the free-time period if one is given; with a period, only those that have
    one). Unordered: ``visit_finder_page`` orders them and reads one page."""
    now = now or timezone.now()
    qs = finder_base(user)
    if committee:
        qs = qs.filter(committees=committee)
    if kind:
        qs = qs.filter(kind=kind)
    if district:
        qs = qs.filter(district=district)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(address__icontains=text) | Q(description__icontains=text))
    if not_visited:
        qs = qs.exclude(pk__in=visited_workplace_ids(user))
    free = _free_times(now, free_from, free_to)
    qs = qs.annotate(next_free=Subquery(free.order_by("starts_at").values("starts_at")[:1]))
    if free_from or free_to:
        qs = qs.filter(next_free__isnull=False)
    return qs


def visit_finder_page(
    user: User, *, number, per_page: int, sort: str = "fewest", now: dt.datetime | None = None, **filters
) -> FinderPage:
    """One page of the finder, the workplaces with the fewest political visits in the last 12 months first (then
    by name), or by name. Three queries whatever the municipality's size: the matching ids in name order (sorted
    by their kept counts here, a stable sort, so the database's collation still orders the names), the page's rows
    with their next free time, and their committees. The counts are kept (``kept_recent_visits``), and so is what
    the person has visited (``visited_workplace_ids``); ``visited_by_me`` is left for the caller to set."""
    now = now or timezone.now()
    matching = visit_finder(user, now=now, **filters)
    moments = []
    if filters.get("free_from") or filters.get("free_to"):
        # Time alone drops a workplace from the matches when its last free time in the period begins: read each
        # one's next free time (the first moment that can happen) with the ids.
        found = list(matching.order_by("name", "pk").values_list("pk", "next_free"))
        ids = [pk for pk, _next_free in found]
        moments += [next_free for _pk, next_free in found]
    else:
        ids = list(matching.order_by("name", "pk").values_list("pk", flat=True))
    recent = kept_recent_visits()
    counts = recent.counts
    if sort != "name":
        ids.sort(key=lambda pk: counts.get(pk, 0))
    page = Paginator(ids, per_page).get_page(number)
    shown = list(page.object_list)
    free = _free_times(now, filters.get("free_from"), filters.get("free_to"))
    rows = {
        row["pk"]: FinderRow(**row)
        for row in Workplace.objects.filter(pk__in=shown).values(
            "pk",
            "slug",
            "name",
            kind_name=F("kind__name"),
            district_name=F("district__name"),
            next_free=Subquery(free.order_by("starts_at").values("starts_at")[:1]),
        )
    }
    names = committee_names(shown)
    for row in rows.values():
        row.recent_visit_count = counts.get(row.pk, 0)
        row.committee_names = names.get(row.pk, "")
    page.object_list = [rows[pk] for pk in shown]
    moments += [row.next_free for row in page.object_list if row.next_free]
    return FinderPage(page, min([recent.valid_until, *moments]))


# --- Calendars ------------------------------------------------------------------------------------


def first_bookable_day(user: User, workplace: Workplace, *, now=None) -> dt.date | None:
    """The first day the person may book at the workplace under its booking notice; None for its own leaders, who
    are exempt from their notice."""
    if workplace.pk in user.roles.led_workplace_ids:
        return None
    today = timezone.localtime(now or timezone.now()).date()
    return first_day_after_notice(today, settings_for(workplace).booking_notice_days)


def open_slots_by_day(
    workplace: Workplace, *, first_day: dt.date, days: int, now=None, user: User | None = None
) -> OrderedDict:
    """The workplace's open times from first_day for ``days`` days, grouped by local day. For a person: only the
    times outside the booking notice, each with ``places_for_me`` (a place held for someone else is not theirs)
    and ``held_for_me``."""
    now = now or timezone.now()
    last_day = first_day + dt.timedelta(days=days)
    if user is not None:
        first_day = max(first_day, first_bookable_day(user, workplace, now=now) or first_day)
    slots = (
        VisitSlot.objects.open(now)
        .filter(workplace=workplace, day__gte=first_day, day__lt=last_day)
        .select_related("offer")
        .order_by("starts_at")
    )
    grouped: OrderedDict = OrderedDict()
    for slot in slots:
        slot.places_for_me = slot.places_for(user, now)
        slot.held_for_me = bool(user is not None and slot.is_held(now) and slot.held_for_id == user.pk)
        grouped.setdefault(slot.day, []).append(slot)
    return grouped


def waitlist_entry_for(user: User, workplace: Workplace) -> WaitlistEntry | None:
    """The person's place in line at the workplace, if they are on its waiting list."""
    if not user.is_authenticated:
        return None
    return WaitlistEntry.objects.in_line().filter(person=user, workplace=workplace).first()


def waitlist_entries(user: User):
    """The person's waiting lists, with the time held for them (if any); one query."""
    return (
        WaitlistEntry.objects.in_line()
        .filter(person=user)
        .select_related("workplace", "offered_slot")
        .order_by("workplace__name", "pk")
    )


def waitlist_offers(user: User, *, now=None):
    """Times held for the person now (the dashboard)."""
    return waitlist_entries(user).filter(status=WaitlistEntry.Status.OFFERED, hold_until__gt=now or timezone.now())


VISIT_ROW_FIELDS = ("pk", "status", "starts_at", "ends_at", "workplace__name")


def person_visit_rows(user: User, *, since: dt.datetime | None = None):
    """The visits a person takes part in or hosts as leader, from ``since`` on, as plain values (no model objects)
    for long lists such as my calendar; the participants' names come from :func:`participant_names` in one query for
    all of a page's lists."""
    roles = user.roles
    participant = Exists(VisitParticipant.objects.filter(visit=OuterRef("pk"), person=user))
    qs = Visit.objects.filter(participant | Q(workplace_id__in=roles.led_workplace_ids))
    if since is not None:
        qs = qs.filter(ends_at__gte=since)
    return qs.order_by("starts_at").values(*VISIT_ROW_FIELDS)


def participant_names(visit_ids) -> dict[int, list[str]]:
    """The names of each visit's participants, in the order they joined: one query."""
    names: dict[int, list[str]] = {}
    if not visit_ids:
        return names
    rows = VisitParticipant.objects.filter(visit_id__in=visit_ids).order_by("pk")
    for visit_id, name in rows.values_list("visit_id", "person__full_name"):
        names.setdefault(visit_id, []).append(name)
    return names


class FeedRow(NamedTuple):
    """What a calendar event needs of a visit, read as plain values (no model objects): the feed of a busy
    person holds a thousand visits. A named tuple, not a frozen dataclass: made five times as fast."""

    pk: int
    sequence: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    purpose: str
    workplace: str
    address: str
    practical_notes: str
    participants: tuple[str, ...]


def feed_rows(user: User, *, now=None, since=None) -> list[FeedRow]:
    """What goes into a person's feed, as plain rows in the order of their start, in one query: the visits they take
    part in or host as leader from 90 days back (``since`` moves the start; cancelled ones included, so calendars
    remove them), with the names of everyone who takes part in the order they joined.

    The person's own participation and the others' are joined apart: most visits have the person alone, whose name
    is known, so the query looks up no one's name for them, and a visit comes once per other participant. The rows
    are put in order here, not by PostgreSQL: a busy person's thousand visits sort in a fraction of what the
    database's sort of the joined rows costs, and the feed sorts its events again anyway."""
    if since is None:
        since = (now or timezone.now()) - dt.timedelta(days=90)
    roles = user.roles
    visits = (
        Visit.objects.annotate(
            mine=FilteredRelation("participants", condition=Q(participants__person=user)),
            others=FilteredRelation("participants", condition=~Q(participants__person=user)),
        )
        # A subquery, not a join through ``others__person``: Django 5.2 writes that join before the one it goes
        # through, which PostgreSQL refuses.
        .annotate(other=Subquery(User.objects.filter(pk=OuterRef("others__person_id")).order_by().values("full_name")))
        .filter(Q(mine__isnull=False) | Q(workplace_id__in=roles.led_workplace_ids))
        .filter(ends_at__gte=since)
    )
    rows = visits.order_by().values_list(
        "pk",
        "sequence",
        "starts_at",
        "ends_at",
        "status",
        "purpose",
        "workplace__name",
        "workplace__address",
        "slot__offer__practical_notes",
        "mine__pk",
        "others__pk",
        "other",
    )
    # A visit's first row makes its FeedRow; the others who take part (few visits have any) are gathered by visit.
    firsts, others = {}, {}
    for row in rows:
        firsts.setdefault(row[0], row)
        if row[10] is not None:
            others.setdefault(row[0], []).append((row[10], row[11]))
    made, feed, name = FeedRow._make, [], user.full_name
    for pk, row in firsts.items():
        if pk in others:  # the person's own participation goes among the others' in the order they joined
            people = others[pk]
            if row[9] is not None:
                people.append((row[9], name))
            names = tuple(person for _, person in sorted(people))
        else:  # the person alone (or, at a workplace they lead, no one): no sort a visit
            names = (name,) if row[9] is not None else ()
        feed.append(made((*row[:9], names)))
    feed.sort(key=itemgetter(2, 0))  # starts_at, pk
    return feed


def leader_overview(workplace: Workplace, *, now=None):
    """The leader's lists and offers, and ``until``: the first moment time alone changes them (a visit ahead
    starts, one under way ends, an offer's coming time starts), None when nothing does."""
    now = now or timezone.now()
    visits = visits_without_participants(Visit.objects.filter(workplace=workplace))
    # Awaiting and upcoming in one query, split here; with them the visits under way, whose end moves them to the
    # past ones (read only for that moment).
    not_over = list(
        visits.filter(
            status__in=(Visit.Status.REQUESTED, Visit.Status.CONFIRMED, Visit.Status.HELD, Visit.Status.NO_SHOW),
            ends_at__gt=now,
        ).order_by("starts_at")
    )
    ahead = [v for v in not_over if v.starts_at > now and v.status in (Visit.Status.REQUESTED, Visit.Status.CONFIRMED)]
    past = list(
        visits.filter(status__in=(Visit.Status.CONFIRMED, Visit.Status.HELD, Visit.Status.NO_SHOW), ends_at__lte=now)
        .prefetch_related(Prefetch("feedback", queryset=VisitFeedback.objects.select_related("author")))
        .order_by("-starts_at")[:20]
    )
    # One query for the participants of both lists: the same count whether or not visits lie ahead (issue 19).
    prefetch_related_objects([*ahead, *past], PARTICIPANTS)
    offers = offers_with_counts(workplace, now=now)
    moments = [v.starts_at if v.starts_at > now else v.ends_at for v in not_over]
    moments += [offer.next_slot_at for offer in offers if offer.next_slot_at]
    return {
        "awaiting": [v for v in ahead if v.status == Visit.Status.REQUESTED],
        "upcoming": [v for v in ahead if v.status == Visit.Status.CONFIRMED],
        "past": past,
        "offers": offers,
        "until": min(moments, default=None),
    }


def offers_with_counts(workplace: Workplace, *, now=None) -> list[VisitOffer]:
    """The workplace's offers, each with its coming times counted: ``future_slots`` on days the workplace is open,
    ``closed_slots`` on weekends, holidays (``meetings.workdays``) and blackouts, which the leader's list does not
    count as bookable. One query."""
    now = now or timezone.now()
    year = timezone.localdate(now).year
    holidays = sorted(day for y in range(year, year + 3) for day in closed_days_of_year(y))
    blacked_out = Exists(
        Blackout.objects.filter(
            workplace_id=OuterRef("workplace_id"),
            first_day__lte=OuterRef("slots__day"),
            last_day__gte=OuterRef("slots__day"),
        )
    )
    coming = Q(slots__starts_at__gt=now, slots__cancelled=False)
    # Django's week_day: 1 = Sunday, 7 = Saturday.
    closed = Q(slots__day__week_day__in=(1, 7)) | Q(slots__day__in=holidays) | Q(blacked_out)
    offers = list(
        VisitOffer.objects.filter(workplace=workplace)
        .annotate(
            coming_slots=Count("slots", filter=coming),
            closed_slots=Count("slots", filter=coming & closed),
            next_slot_at=Min("slots__starts_at", filter=coming),  # when its counts next change by time alone
        )
        .order_by("-active", "-created_at")
    )
    for offer in offers:
        offer.future_slots = offer.coming_slots - offer.closed_slots
        offer.weekday_name = Committee.Weekday(offer.weekday).label if offer.weekday else ""
    return offers


def admin_workplace_picker() -> Picker:
    """The secretariat's workplace filter: the workplaces that have visits, searched as the person types. A
    semi-join on the visits' index, not a DISTINCT over every visit."""

    has_visits = Exists(Visit.objects.filter(workplace=OuterRef("pk")))
    return Picker(Workplace.objects.filter(has_visits), value_field="slug", label_field="name")


def admin_person_picker() -> Picker:
    """The secretariat's politician filter: the people who took part in a visit."""

    took_part = Exists(VisitParticipant.objects.filter(person=OuterRef("pk")))
    return Picker(User.objects.filter(took_part), value_field="pk", label_field="full_name")


# --- The monthly cap --------------------------------------------------------------------------------------------


def full_months(workplace: Workplace, *, cap: int | None, first_day: dt.date, last_day: dt.date) -> set[dt.date]:
    """The months (as their first day) between first_day and last_day in which the workplace has as many visits
    (distinct times) as its monthly cap, the same count ``services._check_monthly_cap`` refuses on. One query."""
    if cap is None:
        return set()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first_day.replace(day=1), dt.time(), tzinfo=tz)
    end = dt.datetime.combine((last_day.replace(day=1) + dt.timedelta(days=32)).replace(day=1), dt.time(), tzinfo=tz)
    rows = (
        Visit.objects.active()
        .filter(workplace=workplace, starts_at__gte=start, starts_at__lt=end)
        .annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .order_by()
        .values("month")
        .annotate(times=Count("slot", distinct=True))
        .values_list("month", "times")
    )
    return {_month_start(month) for month, times in rows if times >= cap}


def _month_start(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def slot_in_full_month(slot: VisitSlot, full: set[dt.date]) -> bool:
    """Whether a booking of the slot would go over the cap: its month is full and no visit has the time yet
    (joining a time that already has a visit does not count again)."""
    return slot.day.replace(day=1) in full and slot.booked_count == 0


def politician_visit_counts(workplace: Workplace, *, now=None) -> list[dict]:
    """Per politician, their visits to the workplace: held in the last 12 months and booked ahead (awaiting or
    confirmed), the counts the per-politician cap (``DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR``) looks at.
    One query, by name."""
    return politician_visit_counts_until(workplace, now=now)[0]


def politician_visit_counts_until(workplace: Workplace, *, now=None) -> tuple[list[dict], dt.datetime | None]:
    """``politician_visit_counts`` and the moment time alone changes them (a visit ends, or leaves the 12 months);
    ``None`` when it never does. Still one query."""
    now = now or timezone.now()
    year_ago = now - dt.timedelta(days=365)
    rows = list(
        VisitParticipant.objects.filter(visit__workplace=workplace, visit__starts_at__gt=year_ago)
        .values("person_id", "person__full_name")
        .annotate(
            held=Count("pk", filter=Q(visit__status=Visit.Status.HELD)),
            unconfirmed=Count("pk", filter=Q(visit__status=Visit.Status.CONFIRMED, visit__ends_at__lte=now)),
            ahead=Count(
                "pk",
                filter=Q(visit__status__in=(Visit.Status.REQUESTED, Visit.Status.CONFIRMED), visit__ends_at__gt=now),
            ),
            first=Min("visit__starts_at"),
            next_end=Min("visit__ends_at", filter=Q(visit__ends_at__gt=now)),
        )
        .order_by("-held", "person__full_name")
    )
    changes = [r["first"] + dt.timedelta(days=365) for r in rows] + [r["next_end"] for r in rows if r["next_end"]]
    counts = [
        {"name": r["person__full_name"], "held": r["held"], "unconfirmed": r["unconfirmed"], "ahead": r["ahead"]}
        for r in rows
        if r["held"] or r["unconfirmed"] or r["ahead"]
    ]
    return counts, min(changes, default=None)
