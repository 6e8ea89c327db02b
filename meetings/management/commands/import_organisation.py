"""python manage.py import_organisation --committees C.csv --workplaces W.csv --people P.csv [--blackouts B.csv]
[--history H.csv]

All or nothing: every bad row of every file is printed and nothing is written. See docs/import.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.imports import FILES, OrganisationImportError, organisation_import


class Command(BaseCommand):
    help = (
        "Import committees, workplaces, people and blackout periods from CSV or XLSX files. "
        "Rows are matched by slug or e-mail; importing the same files again changes nothing. "
        "A file with any bad row imports nothing. The columns are described in docs/import.md."
    )

    def add_arguments(self, parser):
        for kind in FILES:
            parser.add_argument(f"--{kind}", metavar="FILE", help=f"The {kind} file (.csv or .xlsx).")
        parser.add_argument(
            "--invite", action="store_true", help="Send an invitation e-mail to every person this import creates."
        )

    def handle(self, *args, **options):
        files = {kind: options[kind] for kind in FILES if options[kind]}
        if not files:
            raise CommandError("Give at least one of --committees, --workplaces, --people, --blackouts, --history.")
        sources = {}
        for kind, path in files.items():
            try:
                sources[kind] = (path, Path(path).read_bytes())
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            result = organisation_import(**sources, invite=options["invite"])
        except OrganisationImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(exc)) from exc
        for line in result.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(result.summary() if not result.changed else "Import finished."))
