"""Checking the import's rows: tables in, plans (what the files ask for, keyed as the portal keys it) and problems
out. Pure: no ORM, no database.

Two steps. :func:`plan_rows` checks every row on its own and against the other rows of its file. The applying half
then loads what the plans mention from the database and hands it back as plain data (:class:`Existing`), and
:func:`check_references` checks every reference against it and against the other files of the same import: a
committee or workplace named anywhere must exist in the portal or in its file, a past hosting must not contradict
one the portal recorded, and a committee keeps one chair and one vice-chair.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ..models import CommitteeMembership, WorkplaceRole
from .columns import (
    DANISH_DATE_RE,
    DEFAULT_NTH_WEEKDAY,
    ISO_DATE_RE,
    NO,
    NTH_WEEKDAYS,
    PERSON_ROLES,
    SLUG_MAX,
    SLUG_RE,
    TIME_RE,
    YES,
    danish_slugify,
)
from .reading import Table
from .results import Problems

COMMITTEE_ROLES = {
    "chair": CommitteeMembership.Role.CHAIR,
    "formand": CommitteeMembership.Role.CHAIR,
    "vice_chair": CommitteeMembership.Role.VICE_CHAIR,
    "vice-chair": CommitteeMembership.Role.VICE_CHAIR,
    "næstformand": CommitteeMembership.Role.VICE_CHAIR,
    "member": CommitteeMembership.Role.MEMBER,
    "medlem": CommitteeMembership.Role.MEMBER,
}
# Roles held by one person per committee at a time (a database constraint).
SINGLE_SEATS = (CommitteeMembership.Role.CHAIR, CommitteeMembership.Role.VICE_CHAIR)


# --- What the files ask for ------------------------------------------------------------------------------------------


@dataclass
class Plan:
    line: int
    fields: dict


@dataclass
class WorkplacePlan(Plan):
    kind: str
    district: str
    committees: list[str]


@dataclass
class VenuePlan(Plan):
    district: str


@dataclass
class Seat:
    """A committee membership or workplace role a person should hold."""

    line: int
    role: str
    start_date: dt.date | None
    title: str | None = None


@dataclass
class PersonPlan:
    line: int
    full_name: str
    administrator: bool = False
    memberships: dict[str, Seat] = field(default_factory=dict)  # committee slug → seat
    workplace_roles: dict[tuple[str, str], Seat] = field(default_factory=dict)  # (workplace slug, role) → seat


@dataclass
class Plans:
    """Every good row of every file, keyed as the portal keys it; rows with problems are left out."""

    read: set[str] = field(default_factory=set)  # the kinds of file given and read
    unreadable: set[str] = field(default_factory=set)  # the kinds of file given but not read (bad file or header)
    committees: dict[str, Plan] = field(default_factory=dict)
    workplaces: dict[str, WorkplacePlan] = field(default_factory=dict)
    people: dict[str, PersonPlan] = field(default_factory=dict)  # e-mail (lower case) → plan
    blackouts: dict[tuple[str, dt.date, dt.date], Plan] = field(default_factory=dict)
    hostings: dict[tuple[str, dt.date], tuple[int, str]] = field(default_factory=dict)  # → (line, workplace)
    venues: dict[str, VenuePlan] = field(default_factory=dict)
    # Every slug the committees and workplaces files name (bad rows too: their problem is already reported), and
    # every workplace a blackout row names, so references are checked once and only once.
    file_committees: set[str] = field(default_factory=set)
    file_workplaces: set[str] = field(default_factory=set)
    blackout_refs: list[tuple[int, str]] = field(default_factory=list)
    file_venues: set[str] = field(default_factory=set)

    def committee_slugs(self) -> set[str]:
        """Every committee the files mention: the database rows to load."""
        slugs = set(self.file_committees) if "committees" in self.read else set()
        for plan in self.workplaces.values():
            slugs.update(plan.committees)
        for person in self.people.values():
            slugs.update(person.memberships)
        slugs.update(committee for committee, _day in self.hostings)
        return slugs

    def workplace_slugs(self) -> set[str]:
        """Every workplace the files mention: the database rows to load."""
        slugs = set(self.file_workplaces) if "workplaces" in self.read else set()
        slugs.update(slug for _line, slug in self.blackout_refs)
        slugs.update(workplace for _line, workplace in self.hostings.values())
        for person in self.people.values():
            slugs.update(slug for slug, _role in person.workplace_roles)
        return slugs

    def venue_slugs(self) -> set[str]:
        """Every slug a venue or workplace row names: a venue and a workplace may not share one."""
        return set(self.file_venues) | set(self.file_workplaces)

    def hosting_days(self) -> set[dt.date]:
        return {day for _committee, day in self.hostings}


@dataclass(frozen=True)
class Existing:
    """What the portal already holds that the checks need, as plain data."""

    committees: frozenset[str] = frozenset()  # slugs of the committees the files mention that exist
    workplaces: frozenset[str] = frozenset()  # slugs of the workplaces the files mention that exist
    # Past hostings the portal recorded itself (not imported): (committee slug, day) → workplace slug.
    portal_hostings: dict[tuple[str, dt.date], str] = field(default_factory=dict)
    # The open chairs and vice-chairs of those committees: (committee slug, e-mail in lower case, role).
    seat_holders: tuple[tuple[str, str, str], ...] = ()
    venues: frozenset[str] = frozenset()  # slugs of the venues the files' venue and workplace rows name that exist
    # Slugs of existing workplaces that the venues file names (a venue may not take a workplace's slug).
    venue_clashes: frozenset[str] = frozenset()


def parse_date(value: str) -> dt.date | None:
    """A date as ISO writes it (2026-07-01) or as Danish Excel saves a date cell to CSV (01-07-2026, 1.7.2026),
    or None. Never with ``/``: 07/01/2026 is the first of July to a Dane and the seventh of January to Excel in
    English, so it is refused rather than guessed."""
    match = DANISH_DATE_RE.fullmatch(value)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if ISO_DATE_RE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    return None


# --- Checking one row ------------------------------------------------------------------------------------------------


class Row:
    """One data row: typed getters that record a problem and mark the row bad instead of raising."""

    def __init__(self, problems: Problems, kind: str, line: int, values: dict[str, str]):
        self.problems, self.kind, self.line, self.values = problems, kind, line, values
        self.ok = True

    def error(self, column: str, reason: str) -> None:
        self.ok = False
        self.problems.add(self.kind, self.line, column, reason)

    def has(self, column: str) -> bool:
        return column in self.values

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.error(column, _("A value is required."))
        elif max_length and len(value) > max_length:
            self.error(
                column,
                _("At most %(max)d characters are allowed; this has %(length)d.")
                % {"max": max_length, "length": len(value)},
            )
        return value

    def slug(self, column: str, *, required: bool = True) -> str:
        value = self.text(column, required=required)
        if value and (not SLUG_RE.fullmatch(value) or len(value) > SLUG_MAX):
            self.error(
                column,
                _("'%(value)s' is not a valid slug: use at most %(max)d letters a–z, digits, hyphens and underscores.")
                % {"value": value, "max": SLUG_MAX},
            )
            return ""
        return value

    def integer(self, column: str, *, minimum: int, maximum: int, default: int | None = None, message: str = ""):
        value = self.values.get(column, "")
        if not value and default is not None:
            return default
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not minimum <= number <= maximum:
            self.error(
                column,
                message
                or _("'%(value)s' is not a whole number from %(min)d to %(max)d.")
                % {"value": value, "min": minimum, "max": maximum},
            )
            return None
        return number

    def nth_weekday(self, column: str) -> int | None:
        """Which of the month's weekdays: 1–5 (the first to the fifth), -1 the last; empty = the second."""
        value = self.values.get(column, "")
        if not value:
            return DEFAULT_NTH_WEEKDAY
        if value.lstrip("-").isdigit() and int(value) in NTH_WEEKDAYS:
            return int(value)
        self.error(
            column,
            _("'%(value)s' is not 1, 2, 3, 4 or 5 (the first to the fifth weekday of the month) or -1 (the last).")
            % {"value": value},
        )
        return None

    def months(self, column: str) -> list[int] | None:
        """Month numbers 1–12 separated by ``;`` (``7;12``), in calendar order; empty = none."""
        parts = [part.strip() for part in self.values.get(column, "").split(";") if part.strip()]
        bad = [part for part in parts if not (part.isdigit() and 1 <= int(part) <= 12)]
        if bad:
            self.error(
                column,
                _("'%(value)s' is not a month number from 1 (January) to 12 (December).") % {"value": bad[0]},
            )
            return None
        months = [int(part) for part in parts]
        if len(set(months)) != len(months):
            self.error(column, _("A month is listed twice."))
            return None
        if len(months) == 12:
            self.error(column, _("Leave at least one month with meetings."))
            return None
        return sorted(months)

    def yes_no(self, column: str, *, default: bool) -> bool | None:
        value = self.values.get(column, "").lower()
        if not value:
            return default
        if value in YES:
            return True
        if value in NO:
            return False
        self.error(column, _("'%(value)s' is not yes or no (ja/nej, true/false, 1/0).") % {"value": value})
        return None

    def time(self, column: str) -> dt.time | None:
        value = self.values.get(column, "")
        match = TIME_RE.fullmatch(value)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return dt.time(int(match[1]), int(match[2]))
        self.error(column, _("'%(value)s' is not a time of day as HH:MM, for example 16:00.") % {"value": value})
        return None

    def date(self, column: str, *, required: bool) -> dt.date | None:
        value = self.values.get(column, "")
        if not value:
            if required:
                self.error(column, _("A value is required."))
            return None
        day = parse_date(value)
        if day is None:
            self.error(
                column,
                _("'%(value)s' is not a date as YYYY-MM-DD or DD-MM-YYYY, for example 2026-07-01 or 01-07-2026.")
                % {"value": value},
            )
        return day

    def coordinate(self, column: str, *, limit: int) -> Decimal | None:
        value = self.values.get(column, "").replace(",", ".")
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not -limit <= number <= limit:
            self.error(
                column,
                _("'%(value)s' is not a number from -%(limit)d to %(limit)d.") % {"value": value, "limit": limit},
            )
            return None
        return number.quantize(Decimal("0.000001"))

    def unique(self, column: str, key, seen: dict, label: str) -> bool:
        """Whether ``key`` is new in this file; a repeat is a problem naming the line it first appeared on."""
        if key in seen:
            self.error(
                column,
                _("%(value)s already appears on line %(line)d of this file.") % {"value": label, "line": seen[key]},
            )
            return False
        seen[key] = self.line
        return True


# --- Checking every row of every file --------------------------------------------------------------------------------


def plan_rows(tables: dict[str, Table], problems: Problems, *, today: dt.date, unreadable=()) -> Plans:
    """Check every row of the tables read; ``unreadable`` names the kinds given that could not be read (a reference
    to them is not reported, as the file's own problem already is). ``today`` bounds the past hostings."""
    plans = Plans(read=set(tables), unreadable=set(unreadable))

    def rows(kind: str):
        table = tables.get(kind)
        for line, values in table.rows if table else ():
            yield Row(problems, kind, line, values)

    _plan_committees(plans, rows("committees"))
    _plan_workplaces(plans, rows("workplaces"))
    _plan_people(plans, rows("people"))
    _plan_blackouts(plans, rows("blackouts"))
    _plan_history(plans, rows("history"), today=today)
    _plan_venues(plans, rows("venues"))
    return plans


def _plan_committees(plans: Plans, rows) -> None:
    seen: dict = {}
    for row in rows:
        slug = row.slug("slug")
        fields = {
            "name": row.text("name", required=True, max_length=200),
            "area": row.text("area"),
            "meeting_weekday": row.integer(
                "meeting_weekday",
                minimum=1,
                maximum=7,
                message=_("The weekday must be a number from 1 (Monday) to 7 (Sunday)."),
            ),
            "meeting_start": row.time("meeting_start"),
            "meeting_minutes": row.integer("meeting_minutes", minimum=15, maximum=24 * 60),
        }
        # Optional columns: without them the committee keeps what it has; an empty cell means the default.
        if row.has("meeting_nth"):
            fields["meeting_nth"] = row.nth_weekday("meeting_nth")
        if row.has("meeting_skip_months"):
            fields["meeting_skip_months"] = row.months("meeting_skip_months")
        if row.has("active"):
            fields["is_active"] = row.yes_no("active", default=True)
        if slug and row.unique("slug", slug, seen, slug) and row.ok:
            plans.committees[slug] = Plan(row.line, fields)
    plans.file_committees = set(seen)


def _plan_workplaces(plans: Plans, rows) -> None:
    seen: dict = {}
    for row in rows:
        slug = row.slug("slug")
        latitude, longitude = _coordinates(row)
        fields = {
            "name": row.text("name", required=True, max_length=200),
            "address": row.text("address", required=True, max_length=300),
            "seats": row.integer("seats", minimum=0, maximum=100_000, default=0),
            "step_free": row.yes_no("step_free", default=False),
            "is_active": row.yes_no("active", default=True),
            "latitude": latitude,
            "longitude": longitude,
        }
        if row.has("description"):
            fields["description"] = row.text("description")
        if row.has("lends_room"):
            fields["lends_room"] = row.yes_no("lends_room", default=False)
        kind = row.text("kind", required=True, max_length=100)
        if kind and not danish_slugify(kind):
            row.error("kind", _("'%(value)s' cannot be made into a slug; use letters or digits.") % {"value": kind})
        district = row.text("district", required=True, max_length=100)
        committees = [s.strip() for s in row.values.get("committees", "").split(";") if s.strip()]
        for committee in committees:
            if not SLUG_RE.fullmatch(committee):
                row.error("committees", _("'%(value)s' is not a valid slug.") % {"value": committee})
        if len(set(committees)) != len(committees):
            row.error("committees", _("A committee is listed twice."))
        if slug and row.unique("slug", slug, seen, slug) and row.ok:
            plans.workplaces[slug] = WorkplacePlan(row.line, fields, kind, district, committees)
    plans.file_workplaces = set(seen)


def _coordinates(row: Row) -> tuple[Decimal | None, Decimal | None]:
    latitude = row.coordinate("latitude", limit=90)
    longitude = row.coordinate("longitude", limit=180)
    if bool(row.values.get("latitude")) != bool(row.values.get("longitude")):
        row.error(
            "longitude" if row.values.get("latitude") else "latitude",
            _("Give both latitude and longitude, or neither."),
        )
    return latitude, longitude


def _plan_venues(plans: Plans, rows) -> None:
    """The municipality's meeting rooms, matched by slug like the workplaces."""
    seen: dict = {}
    for row in rows:
        slug = row.slug("slug")
        latitude, longitude = _coordinates(row)
        fields = {
            "name": row.text("name", required=True, max_length=200),
            "address": row.text("address", required=True, max_length=300),
            "seats": row.integer("seats", minimum=0, maximum=100_000, default=0),
            "step_free": row.yes_no("step_free", default=False),
            "latitude": latitude,
            "longitude": longitude,
        }
        if row.has("active"):
            fields["is_active"] = row.yes_no("active", default=True)
        district = row.text("district", required=True, max_length=100)
        if slug and row.unique("slug", slug, seen, slug) and row.ok:
            plans.venues[slug] = VenuePlan(row.line, fields, district)
    plans.file_venues = set(seen)


def _plan_people(plans: Plans, rows) -> None:
    seen: dict = {}
    for row in rows:
        email = row.text("email", required=True, max_length=254).lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.error("email", _("'%(value)s' is not a valid e-mail address.") % {"value": email})
                email = ""
        full_name = row.text("full_name", required=True, max_length=200)
        role_text = row.text("role", required=True).lower()
        role = PERSON_ROLES.get(role_text)
        if role_text and role is None:
            row.error(
                "role",
                _("'%(value)s' is not a role; use administrator, politician, leader or trio.") % {"value": role_text},
            )
        committee = row.text("committee")
        committee_role_text = row.text("committee_role").lower()
        workplace = row.text("workplace")
        title = row.text("title", max_length=100) if row.has("title") else None
        start_date = row.date("start_date", required=False)
        seat = None
        if role == "politician":
            if not committee:
                row.error("committee", _("A politician needs the slug of a committee."))
            committee_role = COMMITTEE_ROLES.get(committee_role_text)
            if not committee_role_text:
                row.error("committee_role", _("A politician needs a committee role: chair, vice_chair or member."))
            elif committee_role is None:
                row.error(
                    "committee_role",
                    _("'%(value)s' is not a committee role; use chair, vice_chair or member.")
                    % {"value": committee_role_text},
                )
            seat = Seat(row.line, committee_role, start_date)
        elif role in ("leader", "trio"):
            if not workplace:
                row.error("workplace", _("A leader or trio member needs the slug of a workplace."))
            wp_role = WorkplaceRole.Role.LEADER if role == "leader" else WorkplaceRole.Role.TRIO
            seat = Seat(row.line, wp_role, start_date, title)
        if role != "politician":
            for column, value in (("committee", committee), ("committee_role", committee_role_text)):
                if value and role:
                    row.error(column, _("Only rows with the role politician have a committee."))
        if role not in ("leader", "trio") and workplace and role:
            row.error("workplace", _("Only rows with the role leader or trio have a workplace."))
        if not (row.ok and email and role):
            continue
        person = plans.people.get(email)
        if person is None:
            person = plans.people[email] = PersonPlan(row.line, full_name)
        elif person.full_name != full_name:
            row.error(
                "full_name",
                _("The same e-mail address has the name '%(name)s' on line %(line)d.")
                % {"name": person.full_name, "line": person.line},
            )
            continue
        if role == "administrator":
            person.administrator = True
        elif role == "politician":
            if row.unique("committee", (email, committee), seen, f"{email} – {committee}"):
                person.memberships[committee] = seat
        elif row.unique("workplace", (email, workplace, role), seen, f"{email} – {workplace} – {role}"):
            person.workplace_roles[(workplace, seat.role)] = seat


def _plan_blackouts(plans: Plans, rows) -> None:
    seen: dict = {}
    for row in rows:
        workplace = row.slug("workplace")
        first_day = row.date("first_day", required=True)
        last_day = row.date("last_day", required=True)
        reason = row.text("reason", max_length=200)
        if first_day and last_day and last_day < first_day:
            row.error("last_day", _("The last day is before the first day."))
        if workplace:
            plans.blackout_refs.append((row.line, workplace))
        if not row.ok:
            continue
        key = (workplace, first_day, last_day)
        if row.unique("first_day", key, seen, f"{workplace} {first_day}–{last_day}"):
            plans.blackouts[key] = Plan(row.line, {"reason": reason})


def _plan_history(plans: Plans, rows, *, today: dt.date) -> None:
    seen: dict = {}
    for row in rows:
        committee = row.slug("committee")
        day = row.date("date", required=True)
        workplace = row.slug("workplace")
        if day and day > today:
            row.error("date", _("A past hosting cannot be in the future."))
        if not row.ok:
            continue
        if row.unique("date", (committee, day), seen, f"{committee} {day}"):
            plans.hostings[(committee, day)] = (row.line, workplace)


# --- Checking references ---------------------------------------------------------------------------------------------


def check_references(plans: Plans, existing: Existing, problems: Problems) -> None:
    """Check every reference against the portal (``existing``) and the other files, then the single seats."""

    def known(kind: str, slug: str) -> bool:
        if kind == "committees":
            return slug in existing.committees or slug in plans.file_committees or "committees" in plans.unreadable
        return slug in existing.workplaces or slug in plans.file_workplaces or "workplaces" in plans.unreadable

    unknown_committee = _("There is no committee with the slug '%(slug)s' in the portal or the committees file.")
    unknown_workplace = _("There is no workplace with the slug '%(slug)s' in the portal or the workplaces file.")
    for plan in plans.workplaces.values():
        for slug in plan.committees:
            if not known("committees", slug):
                problems.add("workplaces", plan.line, "committees", unknown_committee % {"slug": slug})
    for person in plans.people.values():
        for slug, seat in person.memberships.items():
            if not known("committees", slug):
                problems.add("people", seat.line, "committee", unknown_committee % {"slug": slug})
        for (slug, _role), seat in person.workplace_roles.items():
            if not known("workplaces", slug):
                problems.add("people", seat.line, "workplace", unknown_workplace % {"slug": slug})
    for line, slug in plans.blackout_refs:
        if not known("workplaces", slug):
            problems.add("blackouts", line, "workplace", unknown_workplace % {"slug": slug})
    for (committee, day), (line, workplace) in plans.hostings.items():
        if not known("committees", committee):
            problems.add("history", line, "committee", unknown_committee % {"slug": committee})
        if not known("workplaces", workplace):
            problems.add("history", line, "workplace", unknown_workplace % {"slug": workplace})
        recorded = existing.portal_hostings.get((committee, day))
        if recorded is not None and recorded != workplace:
            problems.add(
                "history",
                line,
                "workplace",
                _("The portal already records that %(workplace)s hosted the committee on this day.")
                % {"workplace": recorded},
            )
    _check_venue_slugs(plans, existing, problems)
    _check_single_seats(plans, existing, problems)


def _check_venue_slugs(plans: Plans, existing: Existing, problems: Problems) -> None:
    """A venue and a workplace never share a slug: the planner and plan_rotation --json name a room by it."""
    for slug, plan in plans.venues.items():
        if slug in plans.file_workplaces or slug in existing.venue_clashes:
            problems.add(
                "venues",
                plan.line,
                "slug",
                _("A workplace has the slug '%(slug)s'; a venue needs a slug of its own.") % {"slug": slug},
            )
    for slug, plan in plans.workplaces.items():
        if slug in existing.venues and slug not in plans.file_venues:
            problems.add(
                "workplaces",
                plan.line,
                "slug",
                _("A venue has the slug '%(slug)s'; a workplace needs a slug of its own.") % {"slug": slug},
            )


def _check_single_seats(plans: Plans, existing: Existing, problems: Problems) -> None:
    """A committee has one open chair and one open vice-chair, counting the portal and the file."""
    for role in SINGLE_SEATS:
        holders: dict[str, dict[str, int | None]] = {}  # committee slug → {email: line, or None if in the portal}
        for committee, email, held in existing.seat_holders:
            person = plans.people.get(email)
            if held == role and not (person and committee in person.memberships):
                holders.setdefault(committee, {})[email] = None
        for email, person in plans.people.items():
            for slug, seat in person.memberships.items():
                if seat.role == role:
                    holders.setdefault(slug, {})[email] = seat.line
        for slug, emails in holders.items():
            if len(emails) < 2:
                continue
            reason = _("The committee %(committee)s would have more than one %(role)s: %(people)s.") % {
                "committee": slug,
                "role": CommitteeMembership.Role(role).label.lower(),
                "people": ", ".join(sorted(emails)),
            }
            for line in emails.values():
                if line is not None:
                    problems.add("people", line, "committee_role", reason)
