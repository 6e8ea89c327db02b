"""Import the organisation – committees, workplaces, people, blackout periods and past hostings – from CSV or XLSX.

The import runs in two phases. First every row of every file is read and checked and every problem is
collected as (file, line, column, reason); a reference may point at the database or at another file of
the same import. Only when there is no problem at all is anything written, in one transaction, and only
values that differ are saved, so importing the same files again changes nothing.

The import adds and updates; it never deletes or ends anything (end a membership in the admin).

Reading: XLSX (the active sheet, normally the first) is read with openpyxl, row by row; CSV with the standard csv
module, because tablib's CSV reader drops blank lines and refuses rows of uneven length, and we promise
the person fixing the file the exact line of every problem. Line 1 is the header row; in XLSX a line
is a spreadsheet row.

The column reference for administrators is docs/import.md; COLUMNS below must agree with it.
"""

import csv
import datetime as dt
import io
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.audit import audit_record
from core.validators import control_character_message, control_characters

from .errors import MeetingsError
from .models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    Hosting,
    User,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
)
from .services import people_invite

logger = logging.getLogger(__name__)

FILES = ("committees", "workplaces", "people", "blackouts", "history")

FILE_LABELS = {
    "committees": gettext_lazy("Committees"),
    "workplaces": gettext_lazy("Workplaces"),
    "people": gettext_lazy("People"),
    "blackouts": gettext_lazy("Blackout periods"),
    "history": gettext_lazy("Past hostings"),
}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool  # must appear in the header row (its value may still be allowed to be empty)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "committees": (
        Column("slug", True),
        Column("name", True),
        Column("area", True),
        Column("meeting_weekday", True),
        Column("meeting_start", True),
        Column("meeting_minutes", True),
        Column("active", False),
    ),
    "workplaces": (
        Column("slug", True),
        Column("name", True),
        Column("kind", True),
        Column("address", True),
        Column("district", True),
        Column("committees", True),
        Column("seats", True),
        Column("step_free", True),
        Column("active", True),
        Column("latitude", True),
        Column("longitude", True),
        Column("description", False),
    ),
    "people": (
        Column("email", True),
        Column("full_name", True),
        Column("role", True),
        Column("committee", True),
        Column("committee_role", True),
        Column("workplace", True),
        Column("title", False),
        Column("start_date", False),
    ),
    "blackouts": (
        Column("workplace", True),
        Column("first_day", True),
        Column("last_day", True),
        Column("reason", True),
    ),
    # Meetings the committees held at workplaces before the portal: they count for the rotation's equal access.
    "history": (
        Column("committee", True),
        Column("date", True),
        Column("workplace", True),
    ),
}

# Columns where a line break (and a tab) belongs: longer texts. Every other cell is one line.
MULTILINE_COLUMNS = {"committees": ("area",), "workplaces": ("description",)}

YES = {"yes", "ja", "true", "1"}
NO = {"no", "nej", "false", "0"}

# Roles in the people file; the Danish words are accepted too.
PERSON_ROLES = {
    "administrator": "administrator",
    "politician": "politician",
    "politiker": "politician",
    "leader": "leader",
    "leder": "leader",
    "trio": "trio",
}
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

SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
TIME_RE = re.compile(r"(\d{1,2})[:.](\d{2})(?::00)?")
SLUG_MAX = 50
DANISH_LETTERS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa"})


def danish_slugify(value: str) -> str:
    """A slug that keeps Danish letters readable: 'Ældrecenter' → 'aeldrecenter', not 'ldrecenter'."""
    return slugify(value.translate(DANISH_LETTERS))


def column_summary(kind: str) -> str:
    """The columns of one file, for help texts: 'slug, name, … (optional: active)'."""
    required = ", ".join(c.name for c in COLUMNS[kind] if c.required)
    optional = ", ".join(c.name for c in COLUMNS[kind] if not c.required)
    if not optional:
        return required
    return _("%(required)s (optional: %(optional)s)") % {"required": required, "optional": optional}


# --- What comes back ---------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason the import was refused. ``line`` is None for problems with the whole file."""

    kind: str  # "committees", "workplaces", "people", "blackouts", or "" for the import as a whole
    file: str  # the file's name as given, or its label
    line: int | None
    column: str
    reason: str

    def __str__(self):
        if not self.file:
            return self.reason
        where = self.file
        if self.line is not None:
            where = _("%(file)s line %(line)d") % {"file": where, "line": self.line}
        if self.column:
            where = f"{where}, {self.column}"
        return f"{where}: {self.reason}"


class OrganisationImportError(MeetingsError):
    """The files were refused; ``problems`` lists every bad row. Nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            ngettext(
                "%(count)d problem in the files; nothing was imported.",
                "%(count)d problems in the files; nothing was imported.",
                len(problems),
            )
            % {"count": len(problems)}
        )


# How much a committee seat weighs: a change to a heavier seat is a raise of rights.
SEAT_WEIGHT = {
    CommitteeMembership.Role.MEMBER: 0,
    CommitteeMembership.Role.VICE_CHAIR: 1,
    CommitteeMembership.Role.CHAIR: 2,
}


@dataclass(frozen=True)
class RightsRaise:
    """A right an account that already existed would gain from the import: administrator (staff and superuser),
    a committee seat (or a heavier one) or a workplace role. Never applied without the secretariat's confirmation.
    """

    user_id: int
    email: str
    person: str
    line: int  # in the people file
    right: str  # "administrator", "committee" or "workplace"
    role: str = ""  # the seat or workplace role
    where_id: int | None = None  # the committee or workplace
    where: str = ""  # its name

    def key(self) -> tuple:
        return (self.email, self.right, self.role, self.where_id or 0)

    def describe(self) -> str:
        """What the person would become, in words: 'administrator …', 'chair of Ældreudvalget'."""
        if self.right == "administrator":
            return _("administrator (staff and superuser: every page and the administration)")
        wording = {
            CommitteeMembership.Role.CHAIR: _("chair of %(where)s"),
            CommitteeMembership.Role.VICE_CHAIR: _("vice-chair of %(where)s"),
            CommitteeMembership.Role.MEMBER: _("member of %(where)s"),
            WorkplaceRole.Role.LEADER: _("leader of %(where)s"),
            WorkplaceRole.Role.TRIO: _("trio member at %(where)s"),
        }
        return wording.get(self.role, "%(where)s") % {"where": self.where}


def raises_fingerprint(raises) -> str:
    """A digest of exactly these raises: a confirmation given for one list does not confirm another."""
    import hashlib
    import json

    keys = sorted(r.key() for r in raises)
    return hashlib.sha256(json.dumps(keys, ensure_ascii=True).encode()).hexdigest()


class RightsRaiseNotConfirmed(OrganisationImportError):
    """The files are fine, but existing people would gain rights the secretariat has not confirmed (or confirmed a
    different list). Nothing was written; ``raises`` names each one, ``preview`` counts what the import would do."""

    def __init__(self, raises: list[RightsRaise], preview: "ImportResult", *, file_name: str = ""):
        self.raises = raises
        self.preview = preview
        self.file_name = file_name
        self.fingerprint = raises_fingerprint(raises)
        self.problems = [
            Problem(
                "people",
                file_name or str(FILE_LABELS["people"]),
                r.line,
                "role",
                _("%(person)s (%(email)s), who already has an account, would become %(right)s.")
                % {"person": r.person, "email": r.email, "right": r.describe()},
            )
            for r in raises
        ]
        MeetingsError.__init__(
            self,
            ngettext(
                "The import would give %(count)d existing person more rights; nothing was imported. "
                "Check the raise and confirm it to import.",
                "The import would give %(count)d existing people more rights; nothing was imported. "
                "Check each raise and confirm them to import.",
                len({r.email for r in raises}),
            )
            % {"count": len({r.email for r in raises})},
        )

    def __reduce__(self):  # kept in the cache while the secretariat confirms
        return (_raise_refusal, (self.raises, self.preview, self.file_name))


def _raise_refusal(raises, preview, file_name):
    return RightsRaiseNotConfirmed(raises, preview, file_name=file_name)


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


TALLY_LABELS = {
    "committees": gettext_lazy("Committees"),
    "workplaces": gettext_lazy("Workplaces"),
    "people": gettext_lazy("People"),
    "memberships": gettext_lazy("Committee memberships"),
    "workplace_roles": gettext_lazy("Workplace roles"),
    "blackouts": gettext_lazy("Blackout periods"),
    "workplace_kinds": gettext_lazy("Kinds of workplace"),
    "districts": gettext_lazy("Districts"),
    "hostings": gettext_lazy("Past hostings"),
}


@dataclass
class ImportResult:
    """Created/updated/unchanged per kind of row, and how many new people were invited."""

    tallies: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in TALLY_LABELS})
    invited: int = 0
    raises: list[RightsRaise] = field(default_factory=list)  # rights existing people gained (confirmed)

    def __getitem__(self, name: str) -> Tally:
        return self.tallies[name]

    @property
    def changed(self) -> bool:
        return any(t.created or t.updated for t in self.tallies.values())

    def lines(self) -> list[str]:
        out = []
        for name, tally in self.tallies.items():
            if tally.created or tally.updated or tally.unchanged:
                out.append(
                    _("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                    % {"label": TALLY_LABELS[name], **vars(tally)}
                )
        if self.invited:
            out.append(
                ngettext("%(count)d new person invited", "%(count)d new people invited", self.invited)
                % {"count": self.invited}
            )
        return out

    def summary(self) -> str:
        if not self.changed:
            return _("Nothing changed: everything in the files is already in the portal.")
        return "; ".join(self.lines()) + "."


# --- The entry point ---------------------------------------------------------------


def organisation_import(
    *,
    committees=None,
    workplaces=None,
    people=None,
    blackouts=None,
    history=None,
    actor: User | None = None,
    invite: bool = False,
    confirm_raises: bool = False,
    confirmed_fingerprint: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import committees, workplaces, people, blackout periods and past hostings; all or nothing.

    Each file is optional and may be a binary file-like object (an uploaded file, ``open(path, "rb")``;
    its ``name`` is used in problems and to recognise ``.xlsx``), a ``(name, bytes)`` pair, or bytes.
    CSV must be UTF-8 (a byte-order mark is fine); XLSX is recognised by its content.

    Raises OrganisationImportError listing every bad row of every file when anything is wrong, having
    written nothing. With ``invite``, the people this import creates are invited by e-mail after commit.

    No import raises an existing account's rights silently: when people who already have an account would
    become administrators or gain a committee seat or workplace role, RightsRaiseNotConfirmed names each raise
    and nothing is written, unless ``confirm_raises`` is given (with ``confirmed_fingerprint``, only for exactly
    the list that was shown). Each confirmed raise is audited with who confirmed it. ``dry_run`` checks and
    counts everything, raises included, and writes nothing.
    """
    sources = {
        "committees": committees,
        "workplaces": workplaces,
        "people": people,
        "blackouts": blackouts,
        "history": history,
    }
    given = {kind: source for kind, source in sources.items() if source is not None}
    if not given:
        raise OrganisationImportError([Problem("", "", None, "", _("Choose at least one file to import."))])

    run = _Import(max_rows=settings.DIALOG_IMPORT_MAX_ROWS)
    for kind, source in given.items():
        run.read(kind, source)
    try:
        with transaction.atomic():
            run.check()
            if run.problems:
                raise OrganisationImportError(run.sorted_problems())
            result = run.apply()
            result.raises = run.raises
            confirmed = confirm_raises and confirmed_fingerprint in (None, raises_fingerprint(run.raises))
            if run.raises and not (confirmed or dry_run):
                raise RightsRaiseNotConfirmed(run.raises, result, file_name=run.names.get("people", ""))
            if dry_run:
                transaction.set_rollback(True)
                return result
            for granted in run.raises:
                audit_record(
                    actor=actor,
                    action="permission.raised_by_import",
                    object_type="meetings.user",
                    object_id=granted.user_id,
                    data={
                        "right": granted.right,
                        "role": granted.role,
                        "where": granted.where_id,
                        "line": granted.line,
                        "confirmed_by": actor.pk if actor is not None else "command line",
                    },
                )
            if result.changed:
                # Roles created in bulk pass no signals: the import itself is the audit entry for them.
                audit_record(
                    actor=actor,
                    action="organisation.imported",
                    object_type="organisation",
                    data={
                        kind: {"created": t.created, "updated": t.updated}
                        for kind, t in result.tallies.items()
                        if t.created or t.updated
                    },
                )
            if invite and run.new_people:
                result.invited = people_invite(people=run.new_people, actor=actor)
    except IntegrityError as exc:
        # Someone changed the same rows while we worked; the rollback kept the database as it was.
        logger.warning("Organisation import refused by the database: %s", exc)
        raise OrganisationImportError(
            [Problem("", "", None, "", _("The database refused the import; nothing was imported. Try again."))]
        ) from exc
    logger.info("Organisation import by %s: %s", actor or "command line", result.summary())
    return result


# --- Reading files -----------------------------------------------------------------


@dataclass
class _Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line, {column: stripped text})


def _source_bytes(source) -> tuple[str, bytes]:
    if isinstance(source, tuple):
        name, data = source
    elif isinstance(source, bytes | bytearray):
        name, data = "", source
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        name, data = getattr(source, "name", "") or "", source.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return PurePath(str(name)).name, bytes(data)


def _looks_like_xlsx(name: str, data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") or name.lower().endswith(".xlsx")


def _cell_text(value) -> str:
    """A spreadsheet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank(cells) -> bool:
    return not any(str(c).strip() for c in cells)


# --- Checking rows -----------------------------------------------------------------


class _Row:
    """One data row: typed getters that record a problem and mark the row bad instead of raising."""

    def __init__(self, run: "_Import", kind: str, line: int, values: dict[str, str]):
        self.run, self.kind, self.line, self.values = run, kind, line, values
        self.ok = True

    def error(self, column: str, reason: str) -> None:
        self.ok = False
        self.run.problem(self.kind, self.line, column, reason)

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
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(column, _("'%(value)s' is not a date as YYYY-MM-DD, for example 2026-07-01.") % {"value": value})
            return None

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


@dataclass
class _Plan:
    line: int
    fields: dict


@dataclass
class _WorkplacePlan(_Plan):
    kind: str
    district: str
    committees: list[str]


@dataclass
class _Seat:
    """A committee membership or workplace role a person should hold."""

    line: int
    role: str
    start_date: dt.date | None
    title: str | None = None


@dataclass
class _PersonPlan:
    line: int
    full_name: str
    administrator: bool = False
    memberships: dict[str, _Seat] = field(default_factory=dict)  # committee slug → seat
    workplace_roles: dict[tuple[str, str], _Seat] = field(default_factory=dict)  # (workplace slug, role) → seat


class _Import:
    """One run of the import: reads, checks and, when there is nothing to complain about, applies."""

    def __init__(self, *, max_rows: int):
        self.max_rows = max_rows
        self.problems: list[Problem] = []
        self.names: dict[str, str] = {}
        self.tables: dict[str, _Table] = {}
        self.unreadable: set[str] = set()
        self.committee_plans: dict[str, _Plan] = {}
        self.workplace_plans: dict[str, _WorkplacePlan] = {}
        self.person_plans: dict[str, _PersonPlan] = {}
        self.blackout_plans: dict[tuple[str, dt.date, dt.date], _Plan] = {}
        self.hosting_plans: dict[tuple[str, dt.date], tuple[int, str]] = {}  # (committee, date) → (line, workplace)
        self.new_people: list[User] = []
        self.raises: list[RightsRaise] = []
        self.stored_names: dict[int, str] = {}

    def problem(self, kind: str, line: int | None, column: str, reason: str) -> None:
        self.problems.append(Problem(kind, self.names.get(kind) or str(FILE_LABELS[kind]), line, column, reason))

    def sorted_problems(self) -> list[Problem]:
        order = {kind: i for i, kind in enumerate(FILES)}
        return sorted(self.problems, key=lambda p: (order.get(p.kind, -1), p.line or 0))

    # Reading ---------------------------------------------------------------------------

    def read(self, kind: str, source) -> None:
        name, data = _source_bytes(source)
        self.names[kind] = name
        read = self._xlsx_records if _looks_like_xlsx(name, data) else self._csv_records
        records = read(kind, data)
        if records is not None:
            self._table(kind, records)
        if kind not in self.tables:
            self.unreadable.add(kind)

    def _csv_records(self, kind: str, data: bytes) -> list[tuple[int, list[str]]] | None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.problem(
                kind,
                data.count(b"\n", 0, exc.start) + 1,
                "",
                _("The file is not UTF-8 text. Save it as 'CSV UTF-8 (comma-separated)' and try again."),
            )
            return None
        reader = csv.reader(io.StringIO(text, newline=""))
        records: list[tuple[int, list[str]]] = []
        line = 1
        try:
            for cells in reader:
                if not records or not _blank(cells):
                    records.append((line, cells))
                line = reader.line_num + 1
                if len(records) > self.max_rows + 1:  # the header and one row too many: stop reading
                    break
        except csv.Error as exc:
            self.problem(kind, line, "", _("The file cannot be read as CSV: %(error)s") % {"error": exc})
            return None
        return records

    def _xlsx_records(self, kind: str, data: bytes) -> list[tuple[int, list[str]]] | None:
        # Row by row, and only as far as the limit, like the CSV reader: a workbook of a million rows is
        # refused after reading one row too many, not after loading them all.
        records = []
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                for line, row in enumerate(book.active.iter_rows(values_only=True), start=1):
                    cells = [_cell_text(value) for value in row]
                    if line == 1 or not _blank(cells):
                        records.append((line, cells))
                    if len(records) > self.max_rows + 1:  # the header and one row too many: stop reading
                        break
            finally:
                book.close()
        except Exception:  # openpyxl and zipfile raise many kinds; all mean the same to the person
            self.problem(kind, None, "", _("The file cannot be read as an XLSX workbook. Save it as XLSX or CSV."))
            return None
        return records

    def _table(self, kind: str, records: list[tuple[int, list[str]]]) -> None:
        if not records or _blank(records[0][1]):
            self.problem(kind, 1, "", _("The first line must name the columns; it is empty."))
            return
        headers = [str(h).strip().lower() for h in records[0][1]]
        bad_header = False
        for i, name in enumerate(headers):
            if name and name in headers[:i]:
                self.problem(kind, 1, name, _("This column appears twice in the header row."))
                bad_header = True
        for column in COLUMNS[kind]:
            if column.required and column.name not in headers:
                self.problem(kind, 1, column.name, _("This column is missing from the header row."))
                bad_header = True
        if bad_header:
            return
        data_rows = records[1:]
        if len(data_rows) > self.max_rows:
            self.problem(
                kind,
                None,
                "",
                ngettext(
                    "The file has more than %(max)d row; split it into smaller files.",
                    "The file has more than %(max)d rows; split it into smaller files.",
                    self.max_rows,
                )
                % {"max": self.max_rows},
            )
            return
        rows = []
        for line, cells in data_rows:
            if len(cells) > len(headers) and not _blank(cells[len(headers) :]):
                self.problem(
                    kind,
                    line,
                    "",
                    _("This line has %(found)d values but the header row names %(expected)d columns.")
                    % {"found": len(cells), "expected": len(headers)},
                )
                continue
            cells = [str(c).strip() for c in cells] + [""] * (len(headers) - len(cells))
            if any("\x00" in cell for cell in cells):  # PostgreSQL cannot store them: refuse, not crash
                self.problem(kind, line, "", _("Null characters are not allowed."))
                continue
            values = {name: value for name, value in zip(headers, cells, strict=False) if name}
            # Invisible control characters break pages and e-mail subjects: name each cell, with the code.
            controlled = False
            for name, value in values.items():
                found = control_characters(value, line_breaks=name in MULTILINE_COLUMNS.get(kind, ()))
                if found:
                    self.problem(kind, line, name, control_character_message(found))
                    controlled = True
            if not controlled:
                rows.append((line, values))
        self.tables[kind] = _Table(headers=headers, rows=rows)

    # Checking --------------------------------------------------------------------------

    def check(self) -> None:
        """Check every row, then every reference against the database and the other files."""
        self._check_committees()
        self._check_workplaces()
        self._check_people()
        self._check_blackouts()
        self._check_history()
        self._load()
        self._check_references()
        self._check_single_seats()

    def _rows(self, kind: str):
        table = self.tables.get(kind)
        for line, values in table.rows if table else ():
            yield _Row(self, kind, line, values)

    def _unique(self, row: _Row, column: str, key, seen: dict, label: str) -> bool:
        if key in seen:
            row.error(
                column,
                _("%(value)s already appears on line %(line)d of this file.") % {"value": label, "line": seen[key]},
            )
            return False
        seen[key] = row.line
        return True

    def _check_committees(self) -> None:
        seen: dict = {}
        for row in self._rows("committees"):
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
            if row.has("active"):
                fields["is_active"] = row.yes_no("active", default=True)
            if slug and self._unique(row, "slug", slug, seen, slug) and row.ok:
                self.committee_plans[slug] = _Plan(row.line, fields)
        self.file_committees = set(seen)

    def _check_workplaces(self) -> None:
        seen: dict = {}
        for row in self._rows("workplaces"):
            slug = row.slug("slug")
            latitude = row.coordinate("latitude", limit=90)
            longitude = row.coordinate("longitude", limit=180)
            if bool(row.values.get("latitude")) != bool(row.values.get("longitude")):
                row.error(
                    "longitude" if row.values.get("latitude") else "latitude",
                    _("Give both latitude and longitude, or neither."),
                )
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
            if slug and self._unique(row, "slug", slug, seen, slug) and row.ok:
                self.workplace_plans[slug] = _WorkplacePlan(row.line, fields, kind, district, committees)
        self.file_workplaces = set(seen)

    def _check_people(self) -> None:
        seen: dict = {}
        for row in self._rows("people"):
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
                    _("'%(value)s' is not a role; use administrator, politician, leader or trio.")
                    % {"value": role_text},
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
                seat = _Seat(row.line, committee_role, start_date)
            elif role in ("leader", "trio"):
                if not workplace:
                    row.error("workplace", _("A leader or trio member needs the slug of a workplace."))
                wp_role = WorkplaceRole.Role.LEADER if role == "leader" else WorkplaceRole.Role.TRIO
                seat = _Seat(row.line, wp_role, start_date, title)
            if role != "politician":
                for column, value in (("committee", committee), ("committee_role", committee_role_text)):
                    if value and role:
                        row.error(column, _("Only rows with the role politician have a committee."))
            if role not in ("leader", "trio") and workplace and role:
                row.error("workplace", _("Only rows with the role leader or trio have a workplace."))
            if not (row.ok and email and role):
                continue
            person = self.person_plans.get(email)
            if person is None:
                person = self.person_plans[email] = _PersonPlan(row.line, full_name)
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
                if self._unique(row, "committee", (email, committee), seen, f"{email} – {committee}"):
                    person.memberships[committee] = seat
            elif self._unique(row, "workplace", (email, workplace, role), seen, f"{email} – {workplace} – {role}"):
                person.workplace_roles[(workplace, seat.role)] = seat

    def _check_blackouts(self) -> None:
        seen: dict = {}
        self.blackout_refs: list[tuple[int, str]] = []
        for row in self._rows("blackouts"):
            workplace = row.slug("workplace")
            first_day = row.date("first_day", required=True)
            last_day = row.date("last_day", required=True)
            reason = row.text("reason", max_length=200)
            if first_day and last_day and last_day < first_day:
                row.error("last_day", _("The last day is before the first day."))
            if workplace:
                self.blackout_refs.append((row.line, workplace))
            if not row.ok:
                continue
            key = (workplace, first_day, last_day)
            if self._unique(row, "first_day", key, seen, f"{workplace} {first_day}–{last_day}"):
                self.blackout_plans[key] = _Plan(row.line, {"reason": reason})

    def _check_history(self) -> None:
        seen: dict = {}
        today = timezone.localdate()
        for row in self._rows("history"):
            committee = row.slug("committee")
            day = row.date("date", required=True)
            workplace = row.slug("workplace")
            if day and day > today:
                row.error("date", _("A past hosting cannot be in the future."))
            if not row.ok:
                continue
            if self._unique(row, "date", (committee, day), seen, f"{committee} {day}"):
                self.hosting_plans[(committee, day)] = (row.line, workplace)

    def _load(self) -> None:
        """Fetch every row the files mention, a fixed number of queries however long the files are."""
        committee_slugs = set(self.file_committees) if "committees" in self.tables else set()
        for plan in self.workplace_plans.values():
            committee_slugs.update(plan.committees)
        for person in self.person_plans.values():
            committee_slugs.update(person.memberships)
        workplace_slugs = set(self.file_workplaces) if "workplaces" in self.tables else set()
        workplace_slugs.update(slug for _line, slug in self.blackout_refs)
        committee_slugs.update(committee for committee, _day in self.hosting_plans)
        workplace_slugs.update(workplace for _line, workplace in self.hosting_plans.values())
        for person in self.person_plans.values():
            workplace_slugs.update(slug for slug, _role in person.workplace_roles)

        self.committees = {c.slug: c for c in Committee.objects.filter(slug__in=committee_slugs)}
        self.workplaces = {
            w.slug: w for w in Workplace.objects.filter(slug__in=workplace_slugs).prefetch_related("committees")
        }
        self.kinds = list(WorkplaceKind.objects.all())
        self.districts = {d.name.lower(): d for d in District.objects.all()}
        self.users = {
            u.email.lower(): u
            for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=self.person_plans)
        }
        self.memberships = {
            (m.user_id, m.committee_id): m
            for m in CommitteeMembership.objects.filter(end_date__isnull=True, user__in=self.users.values())
        }
        self.seat_holders = list(
            CommitteeMembership.objects.filter(
                end_date__isnull=True, role__in=SINGLE_SEATS, committee__in=self.committees.values()
            ).select_related("user", "committee")
        )
        self.workplace_roles = {
            (r.user_id, r.workplace_id, r.role): r
            for r in WorkplaceRole.objects.filter(end_date__isnull=True, user__in=self.users.values())
        }
        self.hostings = {
            (h.committee.slug, h.date): h
            for h in Hosting.objects.filter(
                committee__in=self.committees.values(), date__in={day for _c, day in self.hosting_plans}
            ).select_related("committee", "workplace")
        }
        self.blackouts = {
            (b.workplace.slug, b.first_day, b.last_day): b
            for b in Blackout.objects.filter(workplace__in=self.workplaces.values()).select_related("workplace")
        }

    def _known(self, kind: str, slug: str) -> bool:
        if kind == "committees":
            return slug in self.committees or slug in self.file_committees or "committees" in self.unreadable
        return slug in self.workplaces or slug in self.file_workplaces or "workplaces" in self.unreadable

    def _check_references(self) -> None:
        unknown_committee = _("There is no committee with the slug '%(slug)s' in the portal or the committees file.")
        unknown_workplace = _("There is no workplace with the slug '%(slug)s' in the portal or the workplaces file.")
        for plan in self.workplace_plans.values():
            for slug in plan.committees:
                if not self._known("committees", slug):
                    self.problem("workplaces", plan.line, "committees", unknown_committee % {"slug": slug})
        for person in self.person_plans.values():
            for slug, seat in person.memberships.items():
                if not self._known("committees", slug):
                    self.problem("people", seat.line, "committee", unknown_committee % {"slug": slug})
            for (slug, _role), seat in person.workplace_roles.items():
                if not self._known("workplaces", slug):
                    self.problem("people", seat.line, "workplace", unknown_workplace % {"slug": slug})
        for line, slug in self.blackout_refs:
            if not self._known("workplaces", slug):
                self.problem("blackouts", line, "workplace", unknown_workplace % {"slug": slug})
        for (committee, day), (line, workplace) in self.hosting_plans.items():
            if not self._known("committees", committee):
                self.problem("history", line, "committee", unknown_committee % {"slug": committee})
            if not self._known("workplaces", workplace):
                self.problem("history", line, "workplace", unknown_workplace % {"slug": workplace})
            existing = self.hostings.get((committee, day))
            if (
                existing is not None
                and existing.source == Hosting.Source.PORTAL
                and existing.workplace.slug != workplace
            ):
                self.problem(
                    "history",
                    line,
                    "workplace",
                    _("The portal already records that %(workplace)s hosted the committee on this day.")
                    % {"workplace": existing.workplace.slug},
                )

    def _check_single_seats(self) -> None:
        """A committee has one open chair and one open vice-chair, counting the database and the file."""
        for role in SINGLE_SEATS:
            holders: dict[str, dict[str, int | None]] = {}  # committee slug → {email: line, or None if in the db}
            for membership in self.seat_holders:
                email = membership.user.email.lower()
                person = self.person_plans.get(email)
                if membership.role == role and not (person and membership.committee.slug in person.memberships):
                    holders.setdefault(membership.committee.slug, {})[email] = None
            for email, person in self.person_plans.items():
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
                        self.problem("people", line, "committee_role", reason)

    # Applying --------------------------------------------------------------------------

    def apply(self) -> ImportResult:
        result = ImportResult()
        for slug, plan in self.committee_plans.items():
            committee = self.committees.get(slug)
            if committee is None:
                self.committees[slug] = Committee.objects.create(slug=slug, **plan.fields)
                result["committees"].count("created")
            else:
                result["committees"].count(_save_changes(committee, plan.fields))

        for slug, plan in self.workplace_plans.items():
            fields = {
                **plan.fields,
                "kind": self._kind(plan.kind, result),
                "district": self._district(plan.district, result),
            }
            committee_ids = {self.committees[s].pk for s in plan.committees}
            workplace = self.workplaces.get(slug)
            if workplace is None:
                workplace = self.workplaces[slug] = Workplace.objects.create(slug=slug, **fields)
                workplace.committees.set(committee_ids)
                result["workplaces"].count("created")
                continue
            outcome = _save_changes(workplace, fields)
            if {c.pk for c in workplace.committees.all()} != committee_ids:
                workplace.committees.set(committee_ids)
                outcome = "updated"
            result["workplaces"].count(outcome)

        self._apply_people(result)

        new_blackouts = []
        for (slug, first_day, last_day), plan in self.blackout_plans.items():
            blackout = self.blackouts.get((slug, first_day, last_day))
            if blackout is None:
                workplace = self.workplaces[slug]
                new_blackouts.append(
                    Blackout(workplace=workplace, first_day=first_day, last_day=last_day, **plan.fields)
                )
                result["blackouts"].count("created")
            else:
                result["blackouts"].count(_save_changes(blackout, plan.fields))
        Blackout.objects.bulk_create(new_blackouts)

        new_hostings = []
        for (committee, day), (_line, slug) in self.hosting_plans.items():
            workplace = self.workplaces[slug]
            existing = self.hostings.get((committee, day))
            if existing is None:
                new_hostings.append(
                    Hosting(committee=self.committees[committee], date=day, workplace=workplace, source="import")
                )
                result["hostings"].count("created")
            else:
                result["hostings"].count(_save_changes(existing, {"workplace": workplace}))
        Hosting.objects.bulk_create(new_hostings)
        return result

    def _kind(self, value: str, result: ImportResult) -> WorkplaceKind:
        """A kind by slug or name; an unknown one is created with the slugified name."""
        slug = danish_slugify(value)[:SLUG_MAX]
        for kind in self.kinds:
            if value in (kind.slug, kind.name) or kind.name.lower() == value.lower() or kind.slug == slug:
                return kind
        kind = WorkplaceKind.objects.create(slug=slug, name=value)
        self.kinds.append(kind)
        result["workplace_kinds"].count("created")
        return kind

    def _district(self, name: str, result: ImportResult) -> District:
        district = self.districts.get(name.lower())
        if district is None:
            district = self.districts[name.lower()] = District.objects.create(name=name)
            result["districts"].count("created")
        return district

    def _apply_people(self, result: ImportResult) -> None:
        today = timezone.localdate()
        new_memberships, membership_changes = [], []
        new_roles = []
        for email, plan in self.person_plans.items():
            fields = {"full_name": plan.full_name}
            if plan.administrator:
                fields.update(is_staff=True, is_superuser=True)
            user = self.users.get(email)
            existing = user is not None
            if user is None:
                user = self.users[email] = User.objects.create_user(email=email, **fields)
                self.new_people.append(user)
                result["people"].count("created")
            else:
                self.stored_names[user.pk] = user.full_name  # the name the secretariat knows the account by
                if plan.administrator and not (user.is_staff and user.is_superuser):
                    self._raise(user, plan.line, "administrator")
                result["people"].count(_save_changes(user, fields))

            for slug, seat in plan.memberships.items():
                committee = self.committees[slug]
                membership = self.memberships.get((user.pk, committee.pk))
                if membership is None:
                    if existing:
                        self._raise(user, seat.line, "committee", seat.role, committee)
                    new_memberships.append(
                        CommitteeMembership(
                            user=user, committee=committee, role=seat.role, start_date=seat.start_date or today
                        )
                    )
                    result["memberships"].count("created")
                    continue
                if SEAT_WEIGHT[seat.role] > SEAT_WEIGHT[membership.role]:
                    self._raise(user, seat.line, "committee", seat.role, committee)
                changes = {"role": seat.role}
                if seat.start_date:
                    changes["start_date"] = seat.start_date
                membership_changes.append((membership, changes))

            for (slug, role), seat in plan.workplace_roles.items():
                workplace = self.workplaces[slug]
                workplace_role = self.workplace_roles.get((user.pk, workplace.pk, role))
                changes = {}
                if seat.title is not None:
                    changes["title"] = seat.title
                if seat.start_date:
                    changes["start_date"] = seat.start_date
                if workplace_role is None:
                    if existing:
                        self._raise(user, seat.line, "workplace", role, workplace)
                    changes.setdefault("start_date", today)
                    new_roles.append(WorkplaceRole(user=user, workplace=workplace, role=role, **changes))
                    result["workplace_roles"].count("created")
                else:
                    result["workplace_roles"].count(_save_changes(workplace_role, changes))

        # A chair and a vice-chair may swap seats: free the single seats first so that no moment
        # has two open chairs (a database constraint), then give everyone their new role.
        for membership, changes in membership_changes:
            if membership.role in SINGLE_SEATS and changes["role"] != membership.role:
                membership.role = CommitteeMembership.Role.MEMBER
                membership.save(update_fields=["role"])
        for membership, changes in membership_changes:
            result["memberships"].count(_save_changes(membership, changes))
        CommitteeMembership.objects.bulk_create(new_memberships)
        WorkplaceRole.objects.bulk_create(new_roles)

    def _raise(self, user: User, line: int, right: str, role: str = "", where=None) -> None:
        """Note a right an existing account gains (its values as stored before the import)."""
        self.raises.append(
            RightsRaise(
                user_id=user.pk,
                email=user.email,
                person=self.stored_names.get(user.pk, user.full_name),
                line=line,
                right=right,
                role=str(role),
                where_id=where.pk if where is not None else None,
                where=where.name if where is not None else "",
            )
        )


def _save_changes(obj, fields: dict) -> str:
    """Save only the fields whose values differ; 'updated' or 'unchanged'."""
    changed = [name for name, value in fields.items() if _current(obj, name, value) != _comparable(value)]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(obj, name, fields[name])
    obj.save(update_fields=changed)
    return "updated"


def _comparable(value):
    return value.pk if isinstance(value, models.Model) else value


def _current(obj, name: str, value):
    # Compare a foreign key by id, so that an unchanged row costs no query.
    return getattr(obj, f"{name}_id") if isinstance(value, models.Model) else getattr(obj, name)
