"""python manage.py import_organisation --committees C.csv --workplaces W.csv --people P.csv [--blackouts B.csv]
[--history H.csv] [--venues V.csv] [--invite] [--dry-run] [--confirm-raises]

All or nothing: every bad row of every file is printed and nothing is written. An import that would give people
who already have an account more rights (administrator, a committee seat, a workplace role) prints each raise and
writes nothing unless --confirm-raises is given. See docs/import.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.imports import FILES, OrganisationImportError, RightsRaiseNotConfirmed, organisation_import


class Command(BaseCommand):
    help = (
        "Import committees, workplaces, people, blackout periods, past hostings and venues from CSV or XLSX files. "
        "Rows are matched by slug or e-mail; importing the same files again changes nothing. "
        "A file with any bad row imports nothing. The columns are described in docs/import.md."
    )

    def add_arguments(self, parser):
        for kind in FILES:
            parser.add_argument(f"--{kind}", metavar="FILE", help=f"The {kind} file (.csv or .xlsx).")
        parser.add_argument(
            "--invite", action="store_true", help="Send an invitation e-mail to every person this import creates."
        )
        parser.add_argument(
            "--confirm-raises",
            action="store_true",
            help="Apply the rights that people who already have an account would gain (administrator, a committee "
            "seat, a workplace role). Without it such an import prints each raise and imports nothing.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the files and print what would change; write nothing."
        )

    def handle(self, *args, **options):
        files = {kind: options[kind] for kind in FILES if options[kind]}
        if not files:
            raise CommandError(
                "Give at least one of --committees, --workplaces, --people, --blackouts, --history, --venues."
            )
        sources = {}
        for kind, path in files.items():
            try:
                sources[kind] = (path, Path(path).read_bytes())
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            result = organisation_import(
                **sources,
                invite=options["invite"] and not options["dry_run"],
                confirm_raises=options["confirm_raises"],
                dry_run=options["dry_run"],
            )
        except RightsRaiseNotConfirmed as exc:
            self._files(exc.preview.files)
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{exc} (Run again with --confirm-raises.)") from exc
        except OrganisationImportError as exc:
            self._files(exc.files)
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(exc)) from exc
        self._files(result.files)
        for line in result.lines():
            self.stdout.write(line)
        for granted in result.raises:
            verb = "would gain" if options["dry_run"] else "gained"
            self.stdout.write(f"{granted.person} ({granted.email}) {verb}: {granted.describe()}")
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
            return
        self.stdout.write(self.style.SUCCESS(result.summary() if not result.changed else "Import finished."))

    def _files(self, files) -> None:
        """How each file was read ("people.csv: Read as CSV separated by semicolons, character set Windows-1252.")."""
        for read in files:
            self.stdout.write(str(read))
