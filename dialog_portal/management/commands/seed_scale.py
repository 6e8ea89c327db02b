"""Fill an empty database with a fictional municipality at scale, for the benchmark (see dialog_portal/bench)."""

import json

from django.core.management.base import BaseCommand, CommandError

from dialog_portal.bench.scale import SCALE_PASSWORD, seed_scale


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database (run migrate first) with a fictional municipality at scale using bulk inserts: "
        "--workplaces 2000 --committees 10 --years 10 is the largest municipality after ten years."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workplaces", type=int, default=2000)
        parser.add_argument("--committees", type=int, default=10)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--json", dest="json_path", help="Also write the counts and timings here.")

    def handle(self, *args, workplaces, committees, years, json_path=None, **options):
        if workplaces < committees or committees < 1 or years < 1:
            raise CommandError("Give at least one committee, one year, and no fewer workplaces than committees.")
        try:
            report = seed_scale(workplaces=workplaces, committees=committees, years=years, stdout=self.stdout)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if json_path:
            with open(json_path, "w", encoding="utf-8") as handle:
                json.dump(report, handle, indent=2)
        total = sum(step["seconds"] for step in report["steps"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Scale data ready in {total:.1f} s. Everyone's password: {SCALE_PASSWORD}")
        )
