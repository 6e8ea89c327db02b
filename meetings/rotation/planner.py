"""The annual rotation planner (issue #6): hosts and invited guests for a committee's meetings of one year.

Pure and ORM-free: plain dataclasses in, a :class:`Plan` out; deterministic (inputs are sorted, no set is iterated
unsorted). The caller passes only the committee's own workplaces, with each one's recorded hostings.

Hosts (rules 1 and 2). Dates are taken in order. On each date the eligible workplaces are those that are active,
seat the committee plus its secretariat and are not blacked out. The host is the eligible workplace with the
fewest hostings (history plus the plan so far) and, among those, the longest waiting (oldest last hosting, never
hosted first). Because a committee has one host per date, two workplaces can only tie on both counts when neither
has ever hosted; those ties are broken by fewest open dates left this year, then the soft goals (kind share,
a district other than the previous meeting's), then slug.

Evenness proof. Any plan gives each plannable date to someone in the pool (workplaces that can host on at least
one date), so "fill the least-served first" over the pool, ignoring which dates each can take, is a lower bound on
the spread (max - min hostings) any plan can reach — :func:`levelling_bound`. When the plan above meets it, the plan
is provably as even as possible. When blackouts keep it from doing so, a bounded depth-first search over the tie
choices (the only freedom rule 2 leaves) finds the most even rule-keeping plan, trying the preferred choice first,
so the plan returned is the most preferred among the most even ones.

Guests (rule 3). Every active workplace that does not host this year is invited once, to a meeting it is not
blacked out on, with guest lists whose sizes differ by at most one. That is an optimal semi-matching: start from a
greedy assignment and repeatedly move guests along a "cost-reducing path" (from a longer list to one at least two
shorter) until none is left, which is optimal by Harvey, Ladner, Lovász & Tamir (2006). A final pass swaps guests
towards meetings in their own district without changing any list's size.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from .explain import _, format_day, format_month, join_names, ngettext
from .venues import (
    CannotHost,
    RoomTaken,
    UnmetWish,
    VenueIn,
    VenueOption,
    cannot_host_reason,
    rooms_to_borrow,
    unmet_wishes,
    venue_options,
    venue_reason,
    wish_score,
)

# Changes whenever a change to this module could choose another plan from the same inputs; the published inputs
# file records it, so a re-check can say when it runs a different planner.
PLANNER_VERSION = "2026.12.2"

DEFAULT_SECRETARIAT_SEATS = 2
DEFAULT_SEARCH_BUDGET = 200_000
QUEUE_SHOWN = 10

RULE_HOST = 1
RULE_EQUAL_ACCESS = 2
RULE_INVITATION = 3

PROOF_LEVELLING_BOUND = "levelling_bound"
PROOF_EXHAUSTIVE_SEARCH = "exhaustive_search"
PROOF_SINGLE_DATE = "single_date"
PROOF_NONE = "search_budget_exceeded"


# --- Input ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkplaceIn:
    """A workplace under the committee. ``blackout_days`` holds single dates and/or (first, last) ranges.
    ``name`` is only for the explanations (the slug when empty); it never changes a choice."""

    slug: str
    kind: str = ""
    district: str = ""
    seats: int = 0
    active: bool = True
    blackout_days: frozenset[dt.date] | Sequence[dt.date | tuple[dt.date, dt.date]] = frozenset()
    hostings: Sequence[dt.date] = ()
    # Borrowed venues (issue 20): where it is, whether it lends its room to the committee's other workplaces,
    # and the months it would like (or would rather avoid) to host in – soft wishes, tie-breaking only.
    name: str = ""
    latitude: float | None = None
    longitude: float | None = None
    step_free: bool = False
    lends_room: bool = False
    wish_months: tuple[int, ...] = ()
    avoid_months: tuple[int, ...] = ()
    # Hostings whose meeting did not happen (cancelled, not taken place, cancelled late): not in ``hostings`` and
    # never counted; only the explanation names them, so a workplace first in line again is told why.
    hostings_not_counted: Sequence[dt.date] = ()

    def is_blacked_out(self, day: dt.date) -> bool:
        if isinstance(self.blackout_days, (set, frozenset)):
            return day in self.blackout_days
        for item in self.blackout_days:
            if isinstance(item, dt.date):
                if item == day:
                    return True
            elif item[0] <= day <= item[1]:
                return True
        return False


@dataclass(frozen=True)
class MeetingIn:
    date: dt.date
    start: dt.time | None = None


@dataclass(frozen=True)
class PlanParams:
    committee_size: int
    secretariat_seats: int = DEFAULT_SECRETARIAT_SEATS
    # Work (search steps x workplaces in the pool) allowed when blackouts keep the first plan from the levelling
    # bound: ~100 steps for 2,000 workplaces, ~6,600 for 30. A count, not a clock, so plans stay deterministic.
    search_budget: int = DEFAULT_SEARCH_BUDGET
    # The municipality's meeting rooms a workplace too small to seat the committee may borrow (issue 20), whether
    # a borrowed room must be step-free, and how far away it may be (None: no limit).
    venues: tuple[VenueIn, ...] = ()
    venue_step_free: bool = True
    venue_max_km: float | None = None
    # The rooms other committees already use on this year's dates: a room is never given to two committees on the
    # same day, so a taken room is not borrowed that day and a workplace whose own room is taken does not host in it.
    rooms_taken: tuple[RoomTaken, ...] = ()

    @property
    def seats_needed(self) -> int:
        return self.committee_size + self.secretariat_seats


# --- Output --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedMeeting:
    """One meeting as the planner proposes it (stored as a ``PlannedMeeting`` row of a draft plan)."""

    date: dt.date
    start: dt.time | None
    host: str | None
    guests: tuple[str, ...]
    why: str
    venue: str | None = None  # the borrowed room's slug (a venue or a lending workplace); None: the host's own


@dataclass(frozen=True)
class BrokenRule:
    rule: int
    date: dt.date | None
    workplace: str | None
    reason: str

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "date": self.date.isoformat() if self.date else None,
            "workplace": self.workplace,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Fairness:
    """Figures an administrator can check. Spreads are max - min hostings (history plus plan) over the pool:
    the active workplaces that can host on at least one of the year's dates."""

    spread_before: int
    spread_after: int
    best_possible_spread: int
    best_possible_proof: str
    levelling_bound: int
    hostings_per_workplace: dict[str, int]
    longest_waiting: list[dict]
    soft_scores: dict[str, dict]

    def to_dict(self) -> dict:
        return {
            "spread_before": self.spread_before,
            "spread_after": self.spread_after,
            "best_possible_spread": self.best_possible_spread,
            "best_possible_proof": self.best_possible_proof,
            "levelling_bound": self.levelling_bound,
            "hostings_per_workplace": dict(self.hostings_per_workplace),
            "longest_waiting": [dict(row) for row in self.longest_waiting],
            **{name: dict(score) for name, score in self.soft_scores.items()},
        }


@dataclass(frozen=True)
class Plan:
    meetings: list[ProposedMeeting]
    fairness: Fairness
    broken_rules: list[BrokenRule] = field(default_factory=list)
    cannot_host: list[CannotHost] = field(default_factory=list)
    wishes_unmet: list[UnmetWish] = field(default_factory=list)

    def to_json(self, committee_slug: str, year: int) -> dict:
        """The plan as a JSON-serialisable dict (``json.dumps`` it, or hand it to ``JsonResponse``)."""
        return {
            "committee": committee_slug,
            "year": year,
            "meetings": [
                {
                    "date": m.date.isoformat(),
                    "start": m.start.strftime("%H:%M") if m.start else None,
                    "host": m.host,
                    "venue": m.venue,
                    "guests": list(m.guests),
                    "why": m.why,
                }
                for m in self.meetings
            ],
            "fairness": self.fairness.to_dict(),
            "broken_rules": [b.to_dict() for b in self.broken_rules],
            "cannot_host": [c.to_dict() for c in self.cannot_host],
            "wishes_unmet": [w.to_dict() for w in self.wishes_unmet],
        }


# --- Pure helpers --------------------------------------------------------------------------------------------------


def spread(counts: Iterable[int]) -> int:
    values = list(counts)
    return max(values) - min(values) if values else 0


def levelling_bound(counts: Iterable[int], hostings: int) -> int:
    """The smallest spread reachable by adding ``hostings`` single hostings to ``counts``, least-served first.

    No plan can do better: every hosting goes to someone in the pool. Without blackouts it is also reached.
    """
    values = sorted(counts)
    if not values:
        return 0
    n = len(values)
    # Raise the lowest j values to a common level while it is affordable.
    level, used, j = values[0], 0, 1
    while True:
        while j < n and values[j] <= level:
            j += 1
        next_level = values[j] if j < n else math.inf
        affordable = (hostings - used) // j
        if level + affordable < next_level:
            level += affordable
            used += affordable * j
            break
        used += (next_level - level) * j
        level = next_level
    left = hostings - used  # fewer than j: these reach level + 1
    top = max(values[-1], level + 1 if left else level)
    return top - level


_NEVER = dt.date.min


def _blocked_dates(workplace: WorkplaceIn, days: list[dt.date]) -> set[int]:
    """The indexes of ``days`` on which ``workplace`` is closed: :meth:`WorkplaceIn.is_blacked_out` for every
    date, with the closures walked once each instead of once per date (most workplaces have none at all)."""
    closures = workplace.blackout_days
    if not closures:
        return set()
    if isinstance(closures, (set, frozenset)):
        return {i for i, day in enumerate(days) if day in closures}
    blocked: set[int] = set()
    for item in closures:
        if isinstance(item, dt.date):
            blocked.update(i for i, day in enumerate(days) if day == item)
        else:
            first, last = item[0], item[1]
            blocked.update(i for i, day in enumerate(days) if first <= day <= last)
    return blocked


def _level(slugs: list[str], part: Callable[[list[str]], list]) -> list[str]:
    """Those of ``slugs`` with the lowest value of ``part`` (see :meth:`_Problem.preference_parts`), in order."""
    values = part(slugs)
    lowest = min(values)
    return [s for s, v in zip(slugs, values, strict=True) if v == lowest]


class _Problem:
    """The inputs, sorted and indexed once.

    Everything a choice looks at per workplace is a plain dict or a bit mask worked out here, once per plan: the
    search and the explanations look at every tied workplace on every date (2,000 of them on each of a year's dates
    when nobody has hosted yet), so a method call or a date comparison per look is what planning time is made of."""

    def __init__(self, workplaces: Iterable[WorkplaceIn], meetings: Iterable[MeetingIn], params: PlanParams):
        self.params = params
        self.seats_needed = params.seats_needed
        self.meetings = sorted(meetings, key=lambda m: (m.date, m.start or dt.time.min))
        given = sorted(workplaces, key=lambda w: w.slug)
        self.workplaces = {w.slug: w for w in given}
        if len(self.workplaces) != len(given):
            raise ValueError("each workplace must appear once")
        self.active = [s for s, w in self.workplaces.items() if w.active]
        needed = self.seats_needed
        self.roomy = frozenset(s for s, w in self.workplaces.items() if w.seats >= needed)
        n = len(self.meetings)
        days = [m.date for m in self.meetings]
        self.blocked: dict[str, set[int]] = {s: _blocked_dates(self.workplaces[s], days) for s in self.active}
        # Per date, the rooms other committees use that day (room slug -> the committee's name).
        index = {day: i for i, day in enumerate(days)}
        self.taken: list[dict[str, str]] = [{} for _day in days]
        for taken in params.rooms_taken:
            if taken.date in index:
                self.taken[index[taken.date]].setdefault(taken.room, taken.by)
        self._find_venues(given)
        self.can_host = [s for s in self.active if s in self.roomy or self.venue_options[s]]
        self.eligible: list[list[str]] = [[s for s in self.can_host if i not in self.host_blocked[s]] for i in range(n)]
        every_date = (1 << n) - 1
        self.mask = {s: every_date & ~sum(1 << i for i in self.host_blocked[s]) for s in self.can_host}
        self.pool = [s for s in self.can_host if self.mask[s]]
        self.plannable = [i for i in range(n) if self.eligible[i]]
        self.district = {s: w.district for s, w in self.workplaces.items()}
        self.kind = {s: w.kind for s, w in self.workplaces.items()}
        self.history_count = {s: len(w.hostings) for s, w in self.workplaces.items()}
        self.history_last = {s: max(w.hostings, default=_NEVER) for s, w in self.workplaces.items()}
        self.name = {s: w.name or s for s, w in self.workplaces.items()}
        pool_kinds = Counter(self.kind[s] for s in self.pool)
        self.fair_share = {
            k: len(self.plannable) * c / len(self.pool) for k, c in sorted(pool_kinds.items()) if self.pool
        }
        self.all_kinds = sorted(set(self.kind.values()))
        self.all_districts = sorted(set(self.district.values()))
        # The soft wishes per date, only for the few workplaces that have any (most have none: 0).
        wishing = [w for w in given if w.wish_months or w.avoid_months]
        self.wishes: list[dict[str, int]] = [
            {w.slug: score for w in wishing if (score := wish_score(w, day))} for day in days
        ]
        self._remaining: dict[int, dict[str, int]] = {}
        self.ties_seen: dict[tuple, _Ties] = {}

    def names(self, slugs: Iterable[str]) -> str:
        """Workplaces as people know them, grouped: "Bakkeskolen, Åskolen and 5 others"."""
        return join_names(sorted(self.name.get(s, s) for s in slugs))

    def own_room(self, slug: str) -> bool:
        """Whether ``slug`` seats the committee plus the secretariat itself."""
        return slug in self.roomy

    def _find_venues(self, given: list[WorkplaceIn]) -> None:
        """The rooms each too-small workplace may borrow, and the dates it cannot host on (closed itself, or every
        room it may borrow belongs to a workplace closed that day)."""
        rooms = rooms_to_borrow(given, self.params)
        every_date = range(len(self.meetings))
        self.venue_options: dict[str, list[VenueOption]] = {}
        self.host_blocked: dict[str, set[int]] = {}
        for s in self.active:
            blocked = set(self.blocked[s])
            if s in self.roomy:
                self.venue_options[s] = []
                blocked |= {i for i in every_date if s in self.taken[i]}  # its own room is in use that day
            else:
                options = self.venue_options[s] = venue_options(self.workplaces[s], given, self.params, rooms)
                # With no room to borrow there is none on any date.
                blocked |= {i for i in every_date if self.venue_on(s, i) is None} if options else set(every_date)
            self.host_blocked[s] = blocked

    def venue_on(self, slug: str, i: int) -> VenueOption | None:
        """The nearest room ``slug`` may borrow on date ``i`` (a lending workplace's room only when it is open)."""
        taken = self.taken[i]
        for option in self.venue_options.get(slug, ()):
            if option.slug in taken:  # another committee uses the room that day
                continue
            # A lender is an active workplace, so ``blocked`` holds its closed dates.
            if option.lender is None or i not in self.blocked[option.lender]:
                return option
        return None

    def rooms_taken_text(self, i: int, slugs: Iterable[str]) -> str:
        """The rooms ``slugs`` might use on date ``i`` (their own, or those they may borrow) that other committees
        use that day, in words: "Dalby Medborgerhus (Social- og Sundhedsudvalget)"; "" when none is."""
        taken = self.taken[i]
        if not taken:
            return ""
        rooms: dict[str, str] = {}
        for s in slugs:
            if s in taken and s in self.roomy:
                rooms[s] = self.name.get(s, s)
            for option in self.venue_options.get(s, ()):
                if option.slug in taken:
                    rooms[option.slug] = option.name
        return join_names(
            sorted(
                _("{room} ({committee})").format(room=name, committee=taken[slug]) if taken[slug] else name
                for slug, name in rooms.items()
            )
        )

    def cannot_host(self) -> list[CannotHost]:
        """Every active workplace outside the pool, with the reason it cannot host on any of the year's dates."""
        out = []
        reasons: dict[tuple, str] = {}
        n = len(self.meetings)
        for s in self.active:
            if self.mask.get(s):
                continue
            if not n:
                out.append(CannotHost(s, _("Cannot host this year: the committee has no meeting dates.")))
                continue
            free = [i for i in range(n) if i not in self.blocked[s]]
            own, options = self.own_room(s), self.venue_options[s]
            # With no room to borrow there is none on any date either (and one with its own room borrows none).
            borrowable = sum(1 for i in free if self.venue_on(s, i)) if options else 0
            venue_dates = len(free) if own else borrowable
            facts = (self.workplaces[s].seats, own or bool(options), len(free), venue_dates)
            if facts not in reasons:  # hundreds share a few reasons: each is put into words once
                seats, has_options, free_dates, venue_dates = facts
                reasons[facts] = cannot_host_reason(
                    seats=seats,
                    needed=self.seats_needed,
                    has_options=has_options,
                    free_dates=free_dates,
                    venue_dates=venue_dates,
                )
            out.append(CannotHost(s, reasons[facts]))
        return out

    def wish(self, slug: str, i: int) -> int:
        """``wish_score`` of ``slug`` for date ``i``, looked up (worked out once in ``__init__``)."""
        return self.wishes[i].get(slug, 0)

    def remaining(self, slug: str, i: int) -> int:
        """Open dates after date ``i`` on which ``slug`` could host."""
        return (self.mask[slug] >> (i + 1)).bit_count()

    def preference(self, slug: str, i: int, tally: _Tally, prev_district: str | None) -> tuple:
        """Order among workplaces that tie on (hostings, last hosting); the first differing item is the reason:
        fewest open dates left (so nobody is squeezed out), the workplace's own wish for the month, the kind
        furthest below its fair share, a district that has hosted least this year, a district other than the
        previous meeting's, and finally the slug."""
        share = self.fair_share.get(self.kind[slug], 0)
        kind_used = tally.kinds[self.kind[slug]] / share if share else math.inf
        return (
            self.remaining(slug, i),
            self.wish(slug, i),
            kind_used,
            tally.districts[self.district[slug]],
            prev_district is not None and self.district[slug] == prev_district,
            slug,
        )

    def remaining_after(self, i: int) -> dict[str, int]:
        """:meth:`remaining` on date ``i`` for every workplace that can host, worked out once per date."""
        known = self._remaining.get(i)
        if known is None:
            shift = i + 1
            known = self._remaining[i] = {s: (m >> shift).bit_count() for s, m in self.mask.items()}
        return known

    def preference_parts(self, i: int, tally: _Tally, prev_district: str | None) -> tuple:
        """The items of :meth:`preference` one by one, for comparing many workplaces one criterion at a time: most
        ties are settled by the first criteria, so the later ones are worked out for the few still level, and
        nobody's whole key is built. Each item maps a list of slugs to their values (``map`` over dicts, no Python
        call per workplace); None when every workplace is level on it (no wishes for the date, no previous
        meeting)."""
        kind, district = self.kind, self.district
        kind_used = {}
        for k in self.all_kinds:
            share = self.fair_share.get(k, 0)
            kind_used[k] = tally.kinds[k] / share if share else math.inf
        district_hosted = {d: tally.districts[d] for d in self.all_districts}
        remaining = self.remaining_after(i)
        wishes = self.wishes[i]
        return (
            lambda slugs: list(map(remaining.__getitem__, slugs)),
            (lambda slugs: [wishes.get(s, 0) for s in slugs]) if wishes else None,
            lambda slugs: list(map(kind_used.__getitem__, map(kind.__getitem__, slugs))),
            lambda slugs: list(map(district_hosted.__getitem__, map(district.__getitem__, slugs))),
            (lambda slugs: [district[s] == prev_district for s in slugs]) if prev_district is not None else None,
            lambda slugs: slugs,
        )

    def preferred(self, slugs: list[str], i: int, tally: _Tally, prev_district: str | None) -> tuple[str, tuple]:
        """The first of ``slugs`` by :meth:`preference` (``min`` with it as key), one criterion at a time, and the
        criteria that narrowed the choice (their indexes in the key), for the explanation."""
        level, narrowed = slugs, []
        for k, part in enumerate(self.preference_parts(i, tally, prev_district)):
            if len(level) == 1:
                break
            if part is not None:
                kept = _level(level, part)
                if len(kept) < len(level):
                    narrowed.append(k)
                level = kept
        return level[0], tuple(narrowed)


@dataclass
class _Tally:
    """This year's hostings so far, per kind and per district, for the soft goals."""

    kinds: Counter = field(default_factory=Counter)
    districts: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, problem: _Problem, hosts: Iterable[str | None]) -> _Tally:
        chosen = [h for h in hosts if h]
        return cls(Counter(problem.kind[h] for h in chosen), Counter(problem.district[h] for h in chosen))


@dataclass(frozen=True)
class _Ties:
    """What the search worked out on one date from one state: rule 2's candidates (``tied``), how many eligible
    workplaces have as few hostings (``level``, whether or not they waited as long), the preferred candidate
    and the criteria that narrowed the choice to it. The explanation of the same plan replays the same states, so
    it reads them here instead of looking at every workplace again."""

    tied: list[str]
    level: int
    first: str
    narrowed: tuple[int, ...]


class _State:
    """Hostings (history plus the plan so far) while walking the dates. ``path`` – the hostings so far, as (date,
    slug) in order – determines everything else here, so it names the state in ``_Problem.ties_seen``."""

    def __init__(self, problem: _Problem):
        self.problem = problem
        self.count = {s: problem.history_count[s] for s in problem.workplaces}
        self.last = {s: problem.history_last[s] for s in problem.workplaces}
        self.tally = _Tally()
        self.path: list[tuple[dt.date, str]] = []

    def queue_key(self, slug: str) -> tuple[int, dt.date]:
        return self.count[slug], self.last[slug]

    def ties(self, i: int, prev_district: str | None) -> _Ties:
        """Rule 2's candidates on date ``i`` (fewest hostings, then longest waiting; in slug order) and the
        preferred one, worked out once per state and date (see :class:`_Ties`)."""
        key = (i, prev_district, tuple(self.path))
        seen = self.problem.ties_seen.get(key)
        if seen is not None:
            return seen
        count, last = self.count, self.last
        eligible = self.problem.eligible[i]
        counts = list(map(count.__getitem__, eligible))
        fewest = min(counts)
        level = [s for s, c in zip(eligible, counts, strict=True) if c == fewest]
        lasts = list(map(last.__getitem__, level))
        longest = min(lasts)
        tied = [s for s, d in zip(level, lasts, strict=True) if d == longest]
        first, narrowed = self.problem.preferred(tied, i, self.tally, prev_district)
        seen = self.problem.ties_seen[key] = _Ties(tied, len(level), first, narrowed)
        return seen

    def ranked_ties(self, i: int, prev_district: str | None) -> Iterator[str]:
        """Rule 2's candidates on date ``i`` in order of preference.

        The search nearly always stops at the first (the plan meets the levelling bound), so the first comes
        without sorting, by :meth:`_Problem.preferred`; the rest are sorted only when the search comes back for
        them – with the state as it was, since every step of the search is undone before the next."""
        ties = self.ties(i, prev_district)
        tied, first = ties.tied, ties.first
        yield first
        if len(tied) > 1:
            for slug in sorted(tied, key=lambda s: self.problem.preference(s, i, self.tally, prev_district)):
                if slug != first:
                    yield slug

    def host(self, slug: str, day: dt.date) -> tuple[int, dt.date]:
        undo = (self.count[slug], self.last[slug])
        self.count[slug] += 1
        self.last[slug] = day
        self.tally.kinds[self.problem.kind[slug]] += 1
        self.tally.districts[self.problem.district[slug]] += 1
        self.path.append((day, slug))
        return undo

    def unhost(self, slug: str, undo: tuple[int, dt.date]) -> None:
        self.count[slug], self.last[slug] = undo
        self.tally.kinds[self.problem.kind[slug]] -= 1
        self.tally.districts[self.problem.district[slug]] -= 1
        self.path.pop()

    def pool_spread(self) -> int:
        return spread(self.count[s] for s in self.problem.pool)


# --- Hosts ---------------------------------------------------------------------------------------------------------


def _choose_hosts(problem: _Problem) -> tuple[list[str | None], int, str, int]:
    """Hosts per date, the best possible spread, how it is proven, and the levelling bound."""
    n = len(problem.meetings)
    state = _State(problem)
    bound = levelling_bound((state.count[s] for s in problem.pool), len(problem.plannable))
    hosts: list[str | None] = [None] * n
    best: dict = {"spread": math.inf, "hosts": None}
    work = 0
    budget_hit = False

    def dfs(i: int, prev_district: str | None, left: int) -> bool:
        """Returns True to stop the whole search (bound reached or budget spent)."""
        nonlocal work, budget_hit
        while i < n and not problem.eligible[i]:
            i += 1
        if i == n:
            achieved = state.pool_spread()
            if achieved < best["spread"]:
                best["spread"], best["hosts"] = achieved, list(hosts)
            return achieved <= bound
        if best["hosts"] is not None:
            work += max(1, len(problem.pool))
            if work > problem.params.search_budget:
                budget_hit = True
                return True
            if levelling_bound((state.count[s] for s in problem.pool), left) >= best["spread"]:
                return False
        ranked = state.ranked_ties(i, prev_district)
        seen_futures = set()
        for slug in ranked:
            # Ties with the same open dates ahead lead to equally even plans; try only the preferred one.
            future = problem.mask[slug] >> (i + 1)
            if future in seen_futures:
                continue
            seen_futures.add(future)
            undo = state.host(slug, problem.meetings[i].date)
            hosts[i] = slug
            stop = dfs(i + 1, problem.district[slug], left - 1)
            hosts[i] = None
            state.unhost(slug, undo)
            if stop:
                return True
        return False

    dfs(0, None, len(problem.plannable))
    chosen = best["hosts"]
    if best["spread"] <= bound:
        proof = PROOF_LEVELLING_BOUND
    elif budget_hit:
        proof = PROOF_NONE
    else:
        proof = PROOF_EXHAUSTIVE_SEARCH
    return chosen, int(best["spread"]) if not budget_hit else bound, proof, bound


def _ordinal_hostings(count: int) -> str:
    return ngettext("{count} hosting", "{count} hostings", count).format(count=count)


def _explain_hosts(problem: _Problem, hosts: list[str | None]) -> tuple[list[str], list[BrokenRule]]:
    """Replays the hosts date by date to put each choice, and each broken rule, into words.

    The hosts may be the planner's or a hand-changed plan's (:func:`explain_plan`): every reason is worked out
    again from the hostings as they stand on that date, so none goes stale after a hand change."""
    state = _State(problem)
    whys: list[str] = []
    broken: list[BrokenRule] = []
    prev_district = None
    for i, meeting in enumerate(problem.meetings):
        slug = hosts[i]
        if slug is None:
            reason = _no_host_reason(problem, i)
            whys.append(reason)
            broken.append(BrokenRule(RULE_HOST, meeting.date, None, reason))
            continue
        if slug not in problem.eligible[i]:
            # Only a hand change puts a workplace here that cannot host on the date.
            whys.append(_cannot_host_reason(problem, slug, i))
        else:
            whys.append(_host_reason(problem, state, i, prev_district, slug))
        state.host(slug, meeting.date)
        prev_district = problem.district[slug]
    return whys, broken


def _host_reason(problem: _Problem, state: _State, i: int, prev_district: str | None, slug: str) -> str:
    count, last = state.queue_key(slug)
    # The planner's own plan replays the states its search went through: their ties are known already.
    ties = state.ties(i, prev_district)
    if slug not in ties.tied:
        eligible = problem.eligible[i]
        fewer = [s for s in eligible if state.count[s] < count]
        if fewer:
            return _("Not first in line: {names} could host on this date and have hosted fewer times.").format(
                names=problem.names(fewer)
            )
        waited = [s for s in eligible if state.count[s] == count and state.last[s] < last]
        return _("Not first in line: {names} could host on this date and have waited longer.").format(
            names=problem.names(waited)
        )
    same_count = ties.level - 1
    if last == _NEVER:
        head = _("Never hosted before")
    else:
        head = _("Longest waiting: last hosted in {month}").format(month=format_month(last))
    if same_count:
        tail = ngettext(
            "{hostings}, like the {others} other with fewest.",
            "{hostings}, like the {others} others with fewest.",
            same_count,
        ).format(hostings=_ordinal_hostings(count), others=same_count)
    else:
        tail = _("{hostings}, fewest of those who can host on this date.").format(hostings=_ordinal_hostings(count))
    parts = [f"{head}; {tail}"]
    if len(ties.tied) > 1:
        parts.append(_tie_reason(problem, state, i, prev_district, ties, slug))
    behind = []
    if problem.pool and min(map(state.count.__getitem__, problem.pool)) < count:
        behind = [s for s in problem.pool if state.count[s] < count]
    if behind:
        # Not a breach: rule 2 compares only with workplaces that can host on the date. Say it anyway.
        parts.append(
            _("Workplaces with fewer hostings are blacked out on this date: {names}.").format(
                names=problem.names(behind)
            )
        )
    return " ".join(parts)


def _tie_reason(problem: _Problem, state: _State, i: int, prev_district: str | None, ties: _Ties, slug: str) -> str:
    """Why ``slug`` was chosen among the candidates level with it on hostings and waiting.

    The preferred candidate names every criterion of :meth:`_Problem.preference` that narrowed the tie, in order,
    so the choice can be retraced step by step; any other was the search's choice, made for evenness."""
    tied = len(ties.tied)
    if slug != ties.first:
        return _("Chosen among {tied} equally placed so that hostings end up as even as blackouts allow.").format(
            tied=tied
        )
    mine = problem.preference(slug, i, state.tally, prev_district)
    phrases = (
        ngettext(
            "it has the fewest open dates left this year ({n})",
            "it has the fewest open dates left this year ({n})",
            mine[0],
        ).format(n=mine[0]),
        _("it would like to host this month") if mine[1] < 0 else _("the others would rather not host this month"),
        _("its kind ({kind}) is furthest below its fair share of hostings").format(kind=problem.kind[slug]),
        _("its district ({district}) has hosted least this year").format(district=problem.district[slug]),
        _("its district differs from the previous meeting's"),
        _("its name comes first alphabetically"),
    )
    reasons = [phrases[k] for k in ties.narrowed]
    why = (
        reasons[-1]
        if len(reasons) == 1
        else _("{reasons} and {last}").format(reasons=", ".join(reasons[:-1]), last=reasons[-1])
    )
    return _("Chosen among {tied} equally placed because {why}.").format(tied=tied, why=why)


def _no_host_reason(problem: _Problem, i: int) -> str:
    if not problem.active:
        return _("No host: the committee has no active workplaces.")
    if not problem.can_host:
        return _("No host: no active workplace has seats for {seats} (committee plus secretariat).").format(
            seats=problem.params.seats_needed
        )
    open_here = [s for s in problem.can_host if i not in problem.blocked[s]]
    rooms = problem.rooms_taken_text(i, open_here)
    if open_here and rooms:
        return _(
            "No host: the workplaces open on this date have no free room with seats for {seats}, because other "
            "committees use {rooms} that day."
        ).format(seats=problem.params.seats_needed, rooms=rooms)
    return ngettext(
        "No host: the {count} workplace with seats for {seats} is blacked out on this date.",
        "No host: all {count} workplaces with seats for {seats} are blacked out on this date.",
        len(problem.can_host),
    ).format(count=len(problem.can_host), seats=problem.params.seats_needed)


def _equal_access_breaks(problem: _Problem, hosts: list[str | None], bound: int) -> list[BrokenRule]:
    """Rule 2's outcome: over the whole history plus this plan, the pool's hostings differ by at most one.

    One entry per workplace left more than one behind the most-served, with the cause: a history too uneven to
    level with this year's meetings (the levelling bound is above one), or blackouts on the year's dates.
    """
    count = dict(problem.history_count)
    for slug in hosts:
        if slug:
            count[slug] += 1
    if spread(count[s] for s in problem.pool) <= 1:
        return []
    top = max(count[s] for s in problem.pool)
    broken = []
    for slug in problem.pool:
        if count[slug] >= top - 1:
            continue
        blacked = len(problem.host_blocked[slug])
        if bound > 1:
            cause = _("hostings before this year are too uneven to level with this year's {meetings} meetings")
        elif not blacked:
            # Only a hand change does this: the planner never passes over a workplace it can seat on a free date.
            cause = _("other workplaces host on every date it could host")
        else:
            cause = _("it is blacked out on {blacked} of this year's {meetings} meeting dates")
        cause = cause.format(blacked=blacked, meetings=len(problem.plannable))
        reason = _("Has {count} while others have {top}: {cause}.").format(
            count=_ordinal_hostings(count[slug]), top=_ordinal_hostings(top), cause=cause
        )
        broken.append(BrokenRule(RULE_EQUAL_ACCESS, None, slug, reason))
    return broken


# --- Guests --------------------------------------------------------------------------------------------------------


class _GuestLists:
    def __init__(self, problem: _Problem, hosts: list[str | None]):
        self.problem = problem
        self.hosted = [i for i, h in enumerate(hosts) if h]
        self.host_district = {i: problem.district[hosts[i]] for i in self.hosted}
        hosting = {h for h in hosts if h}
        invitees = [s for s in problem.active if s not in hosting]
        # The dates each invitee can attend; read-only, so those never closed share one tuple.
        everywhere = tuple(self.hosted)
        self.allowed: dict[str, tuple[int, ...]] = {
            s: tuple(i for i in self.hosted if i not in blocked) if (blocked := problem.blocked[s]) else everywhere
            for s in invitees
        }
        self.uninvitable = [s for s in invitees if not self.allowed[s]]
        self.guests: dict[int, list[str]] = {i: [] for i in self.hosted}
        self.at: dict[str, int] = {}

    def near(self, slug: str, i: int) -> bool:
        return self.problem.district[slug] == self.host_district[i]

    def place(self, slug: str, i: int) -> None:
        self.guests[i].append(slug)
        self.at[slug] = i

    def move(self, slug: str, to: int) -> None:
        self.guests[self.at[slug]].remove(slug)
        self.place(slug, to)

    def assign(self) -> None:
        assignable = sorted((s for s in self.allowed if self.allowed[s]), key=lambda s: (len(self.allowed[s]), s))
        if not self.hosted:
            return
        cap = math.ceil(len(assignable) / len(self.hosted))
        host_district, district = self.host_district, self.problem.district
        size = dict.fromkeys(self.hosted, 0)  # len(self.guests[i]) while placing
        for slug in assignable:
            # Prefer a list below the cap, then one in the guest's own district, then the shortest, then the
            # earliest date. The keys are built inline (no call per date): this runs for every invitee.
            mine = district[slug]
            target = min([(size[i] >= cap, host_district[i] != mine, size[i], i) for i in self.allowed[slug]])[3]
            self.place(slug, target)
            size[target] += 1
        while self._reduce_once():
            pass
        self._bring_near()
        for i in self.hosted:
            self.guests[i].sort()

    def _reduce_once(self) -> bool:
        """Moves guests along one cost-reducing path, if there is one."""
        size = {i: len(self.guests[i]) for i in self.hosted}
        low = min(size.values())
        for source in sorted(self.hosted, key=lambda i: (-size[i], i)):
            if size[source] < low + 2:
                return False
            parent: dict[int, tuple[int, str]] = {}
            queue = deque([source])
            seen = {source}
            while queue:
                u = queue.popleft()
                for slug in sorted(self.guests[u], key=lambda s: (self.near(s, u), s)):
                    for v in self.allowed[slug]:
                        if v not in seen:
                            seen.add(v)
                            parent[v] = (u, slug)
                            queue.append(v)
            targets = [v for v in seen if size[v] <= size[source] - 2]
            if targets:
                v = min(targets, key=lambda t: (size[t], t))
                while v != source:
                    u, slug = parent[v]
                    self.move(slug, v)
                    v = u
                return True
        return False

    def _bring_near(self) -> None:
        """Moves or swaps guests towards meetings in their own district without unbalancing any list."""
        district, host_district = self.problem.district, self.host_district
        for slug in sorted(self.at):
            u = self.at[slug]
            mine = district[slug]
            if host_district[u] == mine:
                continue
            for v in self.allowed[slug]:
                if v == u or host_district[v] != mine:
                    continue
                if len(self.guests[v]) < len(self.guests[u]):
                    self.move(slug, v)
                    break
                there = host_district[v]
                partner = next(
                    (g for g in sorted(self.guests[v]) if district[g] != there and u in self.allowed[g]), None
                )
                if partner is not None:
                    self.move(slug, v)
                    self.move(partner, u)
                    break


def _invitation_breaks(
    problem: _Problem, hosts: list[str | None], guests: dict[int, list[str]], reason_unbalanced: str
) -> list[BrokenRule]:
    """Rule 3, checked on a finished plan."""
    broken = []
    invited = {h for h in hosts if h} | {g for lst in guests.values() for g in lst}
    hosted = [i for i, h in enumerate(hosts) if h]
    for slug in problem.active:
        if slug in invited:
            continue
        if not hosted:
            reason = _("Not invited: no meeting this year has a host.")
        elif all(i in problem.blocked[slug] for i in hosted):
            reason = _("Not invited: blacked out on every meeting date this year.")
        else:
            reason = _("Not invited: every meeting it could attend was re-planned.")
        broken.append(BrokenRule(RULE_INVITATION, None, slug, reason))
    for i, lst in guests.items():
        for slug in lst:
            if i in problem.blocked[slug]:
                broken.append(
                    BrokenRule(
                        RULE_INVITATION, problem.meetings[i].date, slug, _("Invited on a day it is blacked out.")
                    )
                )
    seen = Counter(g for lst in guests.values() for g in lst)
    for slug in sorted(s for s, c in seen.items() if c > 1):
        broken.append(BrokenRule(RULE_INVITATION, None, slug, _("Invited as a guest more than once this year.")))
    if hosted:
        sizes = {i: len(guests.get(i, [])) for i in hosted}
        longest = min(hosted, key=lambda i: (-sizes[i], i))
        shortest = min(hosted, key=lambda i: (sizes[i], i))
        if sizes[longest] - sizes[shortest] > 1:
            reason = reason_unbalanced.format(
                long_date=format_day(problem.meetings[longest].date),
                long=sizes[longest],
                short_date=format_day(problem.meetings[shortest].date),
                short=sizes[shortest],
            )
            broken.append(BrokenRule(RULE_INVITATION, problem.meetings[longest].date, None, reason))
    return broken


# --- Fairness ------------------------------------------------------------------------------------------------------


def _fairness(
    problem: _Problem, hosts: list[str | None], guests: dict[int, list[str]], best: int, proof: str, bound: int
) -> Fairness:
    count = dict(problem.history_count)
    last = dict(problem.history_last)
    for i, slug in enumerate(hosts):
        if slug:
            count[slug] += 1
            last[slug] = max(last[slug], problem.meetings[i].date)
    queue = sorted(problem.pool, key=lambda s: (count[s], last[s], s))[:QUEUE_SHOWN]
    return Fairness(
        spread_before=spread(problem.history_count[s] for s in problem.pool),
        spread_after=spread(count[s] for s in problem.pool),
        best_possible_spread=best,
        best_possible_proof=proof,
        levelling_bound=bound,
        hostings_per_workplace={s: count[s] for s in problem.active},
        longest_waiting=[
            {"workplace": s, "hostings": count[s], "last_hosted": None if last[s] == _NEVER else last[s].isoformat()}
            for s in queue
        ],
        soft_scores=_soft_scores(problem, hosts, guests),
    )


def _soft_scores(problem: _Problem, hosts: list[str | None], guests: dict[int, list[str]]) -> dict[str, dict]:
    chosen = [h for h in hosts if h]
    kind_hosted = Counter(problem.kind[h] for h in chosen)
    per_kind = {
        k: {
            "hosted": kind_hosted[k],
            "fair_share": round(q, 2),
            "within": math.floor(q) <= kind_hosted[k] <= math.ceil(q),
        }
        for k, q in problem.fair_share.items()
    }
    districts_in_pool = {problem.district[s] for s in problem.pool}
    districts_hosting = {problem.district[h] for h in chosen}
    reachable = min(len(chosen), len(districts_in_pool))
    total_guests = sum(len(lst) for lst in guests.values())
    near = sum(1 for i, lst in guests.items() for g in lst if problem.district[g] == problem.district[hosts[i]])
    repeats = sum(1 for a, b in pairwise(chosen) if problem.district[a] == problem.district[b])
    return {
        "kind_proportion": {
            "score": _ratio(sum(1 for v in per_kind.values() if v["within"]), len(per_kind)),
            "per_kind": per_kind,
        },
        "district_spread": {
            "score": _ratio(len(districts_hosting), reachable),
            "districts_hosting": len(districts_hosting),
            "districts_possible": reachable,
        },
        "guest_proximity": {"score": _ratio(near, total_guests), "near": near, "guests": total_guests},
        "consecutive_district": {
            "score": round(1 - _ratio(repeats, len(chosen) - 1, empty=0.0), 3),
            "repeats": repeats,
        },
    }


def _ratio(part: int, whole: int, empty: float = 1.0) -> float:
    return round(part / whole, 3) if whole > 0 else empty


# --- Public API ----------------------------------------------------------------------------------------------------


def plan_year(workplaces: Iterable[WorkplaceIn], meetings: Iterable[MeetingIn], params: PlanParams) -> Plan:
    """Plans hosts and guests for one committee's meetings of one year. Same inputs, same plan."""
    problem = _Problem(workplaces, meetings, params)
    hosts, best, proof, bound = _choose_hosts(problem)
    whys, broken = _explain_hosts(problem, hosts)
    broken += _equal_access_breaks(problem, hosts, bound)
    lists = _GuestLists(problem, hosts)
    lists.assign()
    broken += _invitation_breaks(
        problem,
        hosts,
        lists.guests,
        _("Blackouts leave no way to balance the guest lists: {long_date} has {long}, {short_date} has {short}."),
    )
    return _build(
        problem, hosts, lists.guests, whys, broken, _fairness(problem, hosts, lists.guests, best, proof, bound)
    )


def _venue_of(problem: _Problem, slug: str | None, i: int) -> VenueOption | None:
    """The room a host borrows on date ``i``; None when it receives the committee in its own premises."""
    if slug is None or slug not in problem.workplaces or problem.own_room(slug):
        return None
    return problem.venue_on(slug, i)


def venue_for(
    workplaces: Iterable[WorkplaceIn], meetings: Iterable[MeetingIn], params: PlanParams, *, host: str, day: dt.date
) -> str | None:
    """The slug of the room ``host`` borrows on ``day`` (None: its own premises, or no room to borrow), for a host
    chosen by hand."""
    problem = _Problem(workplaces, meetings, params)
    index = next((i for i, m in enumerate(problem.meetings) if m.date == day), None)
    option = None if index is None else _venue_of(problem, host, index)
    return option.slug if option else None


def _build(problem, hosts, guests, whys, broken, fairness) -> Plan:
    planned = []
    venues = []
    for i, m in enumerate(problem.meetings):
        why = whys[i]
        option = _venue_of(problem, hosts[i], i)
        venues.append(option.slug if option else None)
        if option is not None:
            host = problem.workplaces[hosts[i]]
            why += " " + venue_reason(host.name or host.slug, host.seats, problem.params.seats_needed, option)
        if hosts[i] and problem.workplaces[hosts[i]].hostings_not_counted:
            void = sorted(problem.workplaces[hosts[i]].hostings_not_counted)
            why += " " + ngettext(
                "Its hosting on {days} does not count, because that meeting did not take place.",
                "Its hostings on {days} do not count, because those meetings did not take place.",
                len(void),
            ).format(days=join_names([format_day(d) for d in void], limit=3))
        if hosts[i]:
            lst = guests.get(i, [])
            near = sum(1 for g in lst if problem.district[g] == problem.district[hosts[i]])
            why += " " + ngettext(
                "{count} guest, {near} from the host's district.",
                "{count} guests, {near} from the host's district.",
                len(lst),
            ).format(count=len(lst), near=near)
        planned.append(ProposedMeeting(m.date, m.start, hosts[i], tuple(guests.get(i, ())), why, venues[i]))
    broken = sorted(broken, key=lambda b: (b.rule, b.date or dt.date.min, b.workplace or ""))
    wishes = unmet_wishes(problem.workplaces.values(), [m.date for m in problem.meetings], hosts)
    return Plan(
        meetings=planned,
        fairness=fairness,
        broken_rules=broken,
        cannot_host=problem.cannot_host(),
        wishes_unmet=wishes,
    )


def replan_date(
    plan: Plan, workplaces: Iterable[WorkplaceIn], params: PlanParams, *, day: dt.date, cancelled_host: str
) -> Plan:
    """Re-plans only ``day`` after its host cancels: the next in line takes it, every other date keeps its host.

    The cancelling workplace is left out for that date only and the cancelled hosting is not counted, so it keeps
    its place in the queue. "Next in line" counts the whole year's other hostings, so a workplace that already
    hosts later this year comes after one that does not. The new host leaves its guest list; the cancelling
    workplace, if it no longer hosts this year, is invited to the shortest guest list it can attend on another date.
    """
    problem = _Problem(workplaces, [MeetingIn(m.date, m.start) for m in plan.meetings], params)
    hosts = [m.host for m in plan.meetings]
    index = next((i for i, m in enumerate(problem.meetings) if m.date == day and hosts[i] == cancelled_host), None)
    if index is None:
        raise ValueError(f"{cancelled_host} does not host on {day}")
    guests = {i: list(m.guests) for i, m in enumerate(plan.meetings) if m.host}
    hosts[index] = None

    count = dict(problem.history_count)
    last = dict(problem.history_last)
    for i, slug in enumerate(hosts):
        if slug:
            count[slug] += 1
            if i < index:
                last[slug] = max(last[slug], problem.meetings[i].date)
    eligible = [s for s in problem.eligible[index] if s != cancelled_host]
    day_broken = []
    if eligible:
        queue_head = min((count[s], last[s]) for s in eligible)
        prev = next((problem.district[h] for h in reversed(hosts[:index]) if h), None)
        tally = _Tally.of(problem, hosts)
        new = min(
            (s for s in eligible if (count[s], last[s]) == queue_head),
            key=lambda s: problem.preference(s, index, tally, prev),
        )
        # A single date's choice: giving it to someone with fewest hostings is the best any choice can do.
        best = min(spread(count[p] + (p == s) for p in problem.pool) for s in eligible)
        since = _("never hosted") if last[new] == _NEVER else format_month(last[new])
        why = _(
            "Re-planned after {cancelled} cancelled; {cancelled} keeps its place in the queue. Next in line: "
            "{hostings} counting the rest of this year, last hosted: {since}."
        ).format(cancelled=problem.name[cancelled_host], hostings=_ordinal_hostings(count[new]), since=since)
        for lst in guests.values():
            if new in lst:
                lst.remove(new)
        hosts[index] = new
    else:
        why = _("Re-planned after {cancelled} cancelled.").format(cancelled=problem.name[cancelled_host])
        why += " " + _no_host_reason(problem, index)
        day_broken.append(BrokenRule(RULE_HOST, day, None, why))
        guests.pop(index, None)
        best = spread(count[p] for p in problem.pool)

    if cancelled_host not in hosts:
        options = [i for i in guests if i != index and i not in problem.blocked.get(cancelled_host, set())]
        if options:
            target = min(
                options,
                key=lambda i: (len(guests[i]), problem.district[cancelled_host] != problem.district[hosts[i]], i),
            )
            guests[target].append(cancelled_host)
    for lst in guests.values():
        lst.sort()

    whys, broken = _explain_hosts(problem, hosts)
    whys[index] = why
    broken = [b for b in broken if b.date != day] + day_broken
    broken += _equal_access_breaks(problem, hosts, plan.fairness.levelling_bound)
    broken += _invitation_breaks(
        problem,
        hosts,
        guests,
        _("Re-planning left the guest lists uneven: {long_date} has {long}, {short_date} has {short}."),
    )
    fairness = _fairness(problem, hosts, guests, best, PROOF_SINGLE_DATE, plan.fairness.levelling_bound)
    return _build(problem, hosts, guests, whys, broken, fairness)


def evaluate_plan(
    workplaces: Iterable[WorkplaceIn],
    meetings: Iterable[MeetingIn],
    params: PlanParams,
    *,
    hosts: Sequence[str | None],
    guests: Sequence[Sequence[str]],
    best_possible_spread: int | None = None,
    best_possible_proof: str = PROOF_NONE,
) -> tuple[Fairness, list[BrokenRule]]:
    """Checks a plan someone changed by hand against the hard rules and recomputes its fairness figures.

    ``hosts`` and ``guests`` follow ``meetings`` in date order. Unlike :func:`plan_year`, which only ever chooses
    rule-keeping hosts, any choice is accepted here and every rule it breaks is reported, so the secretariat can
    see what a swap costs before giving its reason.
    """
    problem = _Problem(workplaces, meetings, params)
    n = len(problem.meetings)
    if len(hosts) != n or len(guests) != n:
        raise ValueError("hosts and guests must follow the meetings")
    host_list = [h if h in problem.workplaces else None for h in hosts]
    guest_lists = {i: sorted(g for g in guests[i] if g in problem.workplaces) for i in range(n) if host_list[i]}
    broken: list[BrokenRule] = []
    state = _State(problem)
    for i, meeting in enumerate(problem.meetings):
        slug = host_list[i]
        if slug is None:
            if problem.eligible[i]:
                reason = ngettext(
                    "No host, though {count} workplace could host on this date.",
                    "No host, though {count} workplaces could host on this date.",
                    len(problem.eligible[i]),
                ).format(count=len(problem.eligible[i]))
            else:
                reason = _no_host_reason(problem, i)
            broken.append(BrokenRule(RULE_HOST, meeting.date, None, reason))
            continue
        if slug not in problem.eligible[i]:
            broken.append(BrokenRule(RULE_HOST, meeting.date, slug, _cannot_host_reason(problem, slug, i)))
        elif problem.eligible[i]:
            count, last = state.queue_key(slug)
            fewer = [s for s in problem.eligible[i] if state.count[s] < count]
            waited = [s for s in problem.eligible[i] if state.count[s] == count and state.last[s] < last]
            if fewer:
                broken.append(
                    BrokenRule(
                        RULE_EQUAL_ACCESS,
                        meeting.date,
                        slug,
                        _("Hosts again while workplaces that could host have hosted fewer times: {names}.").format(
                            names=problem.names(fewer)
                        ),
                    )
                )
            elif waited:
                broken.append(
                    BrokenRule(
                        RULE_EQUAL_ACCESS,
                        meeting.date,
                        slug,
                        _("Goes before workplaces that have waited longer: {names}.").format(
                            names=problem.names(waited)
                        ),
                    )
                )
        state.host(slug, meeting.date)
    bound = levelling_bound((problem.history_count[s] for s in problem.pool), len(problem.plannable))
    broken += _equal_access_breaks(problem, host_list, bound)
    broken += _invitation_breaks(
        problem,
        host_list,
        guest_lists,
        _("The guest lists are uneven: {long_date} has {long}, {short_date} has {short}."),
    )
    best = bound if best_possible_spread is None else best_possible_spread
    fairness = _fairness(problem, host_list, guest_lists, best, best_possible_proof, bound)
    broken = sorted(broken, key=lambda b: (b.rule, b.date or dt.date.min, b.workplace or ""))
    return fairness, broken


def explain_plan(
    workplaces: Iterable[WorkplaceIn],
    meetings: Iterable[MeetingIn],
    params: PlanParams,
    *,
    hosts: Sequence[str | None],
    guests: Sequence[Sequence[str]],
) -> list[str]:
    """The reason for every meeting of a plan, worked out again for these hosts and guests (after a hand change,
    the reasons of the later dates change too: "last hosted in January" no longer holds when January's host was
    replaced). In date order, like ``meetings``."""
    problem = _Problem(workplaces, meetings, params)
    if len(hosts) != len(problem.meetings) or len(guests) != len(problem.meetings):
        raise ValueError("hosts and guests must follow the meetings")
    host_list = [h if h in problem.workplaces else None for h in hosts]
    whys, _broken = _explain_hosts(problem, host_list)
    lists = {i: [g for g in guests[i] if g in problem.workplaces] for i in range(len(host_list)) if host_list[i]}
    return [m.why for m in _build(problem, host_list, lists, whys, [], None).meetings]


def _cannot_host_reason(problem: _Problem, slug: str, i: int) -> str:
    workplace = problem.workplaces[slug]
    if not workplace.active:
        return _("Cannot host: the workplace is not active.")
    if workplace.seats < problem.params.seats_needed and not problem.venue_options.get(slug):
        return _("Cannot host: {seats} seats, {needed} needed (committee plus secretariat).").format(
            seats=workplace.seats, needed=problem.params.seats_needed
        )
    if i not in problem.blocked.get(slug, set()):
        if not problem.own_room(slug):
            return _no_venue_reason(problem, slug, i)
        if slug in problem.taken[i]:
            return _("Cannot host: {committee} uses its room on this date.").format(
                committee=problem.taken[i][slug] or _("another committee")
            )
    return _("Cannot host: blacked out on this date.")


def _no_venue_reason(problem: _Problem, slug: str, i: int) -> str:
    """A too-small workplace chosen by hand on a date no room it may borrow is free."""
    reason = _(
        "Cannot host: {seats} seats, {needed} needed, and no borrowed venue with room is free on this date."
    ).format(seats=problem.workplaces[slug].seats, needed=problem.params.seats_needed)
    rooms = problem.rooms_taken_text(i, [slug])
    if rooms:
        reason += " " + _("Other committees use {rooms} that day.").format(rooms=rooms)
    return reason
