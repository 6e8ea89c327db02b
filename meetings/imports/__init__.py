"""Import the organisation – committees, workplaces, people, blackout periods and past hostings – from CSV or XLSX.

The import runs in two phases. First every row of every file is read and checked and every problem is
collected as (file, line, column, reason); a reference may point at the database or at another file of
the same import. Only when there is no problem at all is anything written, in one transaction, and only
values that differ are saved, so importing the same files again changes nothing.

The import adds and updates; it never deletes or ends anything (end a membership in the admin).

The package is in three parts, two of them pure (plain data in, tables, plans and problems out; no ORM, no
database, tested without one):

- :mod:`.reading`: bytes of CSV or XLSX in, a table of text cells out;
- :mod:`.checking`: tables in, plans (what the files ask for) and problems out, first row by row, then every
  reference against the other files and against what the portal holds, handed to it as plain data;
- :mod:`.applying`: the database, in one transaction: it loads what the files mention, writes the plans and
  refuses a raise of rights the secretariat has not confirmed. :func:`organisation_import` is the entry point.

:mod:`.columns` names the files and their columns (docs/import.md must agree with it) and :mod:`.results` the
values that come back. Everything the rest of the portal uses is importable from ``meetings.imports``.
"""

from .applying import organisation_import
from .columns import COLUMNS, FILE_LABELS, FILES, Column, column_summary, danish_slugify
from .results import (
    ImportResult,
    OrganisationImportError,
    Problem,
    RightsRaise,
    RightsRaiseNotConfirmed,
    Tally,
    _raise_refusal,  # noqa: F401 – refusals pickled in the cache before the split name it here
    raises_fingerprint,
)

__all__ = [
    "COLUMNS",
    "FILES",
    "FILE_LABELS",
    "Column",
    "ImportResult",
    "OrganisationImportError",
    "Problem",
    "RightsRaise",
    "RightsRaiseNotConfirmed",
    "Tally",
    "column_summary",
    "danish_slugify",
    "organisation_import",
    "raises_fingerprint",
]
