"""What an import gives back: the problems that refused it, the rights it would raise, and the counts of what it did.

Plain values (no query): the reading and checking halves report problems here, the applying half counts here.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..errors import MeetingsError
from ..models import CommitteeMembership, WorkplaceRole
from .columns import FILE_LABELS, FILES


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


class Problems:
    """Every problem of one import so far, each naming its file as the person gave it (or the file's label)."""

    def __init__(self):
        self.names: dict[str, str] = {}  # kind → the file's name as given
        self.items: list[Problem] = []

    def add(self, kind: str, line: int | None, column: str, reason: str) -> None:
        self.items.append(Problem(kind, self.names.get(kind) or str(FILE_LABELS[kind]), line, column, reason))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """By file, in the order of FILES, then by line; problems of a whole file first."""
        order = {kind: i for i, kind in enumerate(FILES)}
        return sorted(self.items, key=lambda p: (order.get(p.kind, -1), p.line or 0))


@dataclass(frozen=True)
class FileRead:
    """How one file of an import was read, to show beside its problems or its result: "people.csv: Read as CSV
    separated by semicolons, character set Windows-1252." ``description`` is :meth:`FileFormat.describe`'s text."""

    kind: str
    file: str  # the file's name as given, or its label
    description: str

    def __str__(self):
        return _("%(file)s: %(description)s") % {"file": self.file, "description": self.description}


class OrganisationImportError(MeetingsError):
    """The files were refused; ``problems`` lists every bad row, ``files`` how each file was read. Nothing was
    written."""

    files: list[FileRead] = []

    def __init__(self, problems: list[Problem], *, files: list[FileRead] | None = None):
        self.problems = problems
        self.files = files or []
        super().__init__(
            ngettext(
                "%(count)d problem in the files; nothing was imported.",
                "%(count)d problems in the files; nothing was imported.",
                len(problems),
            )
            % {"count": len(problems)}
        )


def refusal(reason: str) -> OrganisationImportError:
    """A refusal of the import as a whole, not of a row."""
    return OrganisationImportError([Problem("", "", None, "", reason)])


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
    "venues": gettext_lazy("Venues"),
}


@dataclass
class ImportResult:
    """Created/updated/unchanged per kind of row, and how many new people were invited."""

    tallies: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in TALLY_LABELS})
    invited: int = 0
    raises: list[RightsRaise] = field(default_factory=list)  # rights existing people gained (confirmed)
    files: list[FileRead] = field(default_factory=list)  # how each file was read

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
