"""Measure the portal at the scale of the largest municipality (see dialog_portal/bench and the README)."""

import argparse
import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from dialog_portal.bench import celery_bench, contention, pages, queries, runner
from dialog_portal.bench import profile as page_profile
from dialog_portal.bench.runner import Options, publish, run, table
from meetings.models import User


class Command(BaseCommand):
    help = (
        "Seed a fictional municipality at 1× and 10× scale on SQLite and on PostgreSQL + Redis, then measure query "
        "counts, pages under load (gunicorn + wrk, against a bare Django view), booking contention and the rotation "
        "planner. Prints Markdown tables and writes JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workplaces", type=int, default=2000, help="10× size (1× is a tenth).")
        parser.add_argument("--committees", type=int, default=10)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--seconds", type=int, default=10, help="Load per page.")
        parser.add_argument("--clients", type=int, default=16, help="Concurrent clients.")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers.")
        parser.add_argument("--backends", default="sqlite,postgresql")
        parser.add_argument("--json", dest="json_path", default="var/bench/benchmark.json")
        parser.add_argument("--rounds", type=int, default=5, help="CPU figures: interleaved rounds of every page.")
        parser.add_argument("--batch-seconds", type=float, default=1.0, help="CPU figures: seconds a page a round.")
        parser.add_argument("--scales", default="1x,10x", help="Which scales to seed and measure (1x, 10x).")
        parser.add_argument("--notices", type=int, default=10_000, help="Celery notices to send (0: no Celery).")
        parser.add_argument(
            "--profile",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Profile the key pages above the CPU target after the rounds (default: on, off with --smoke).",
        )
        parser.add_argument("--keep-databases", action="store_true", help="Keep this run's PostgreSQL databases.")
        parser.add_argument("--publish", action="store_true", help="Also write the tables and JSON to docs/benchmark/.")
        parser.add_argument(
            "--smoke", action="store_true", help="A seconds-long run at small scale that proves the benchmark works."
        )
        # Internal: one measurement inside a benchmark database, run by the orchestrating process.
        parser.add_argument("--part", help=argparse.SUPPRESS)
        parser.add_argument("extra", nargs="?", help=argparse.SUPPRESS)

    def handle(self, *args, part=None, **options):
        if part:
            return self._part(part, **options)

        opts = Options(
            workplaces=options["workplaces"],
            committees=options["committees"],
            years=options["years"],
            seconds=options["seconds"],
            clients=options["clients"],
            workers=options["workers"],
            backends=tuple(b.strip() for b in options["backends"].split(",") if b.strip()),
            smoke=options["smoke"],
            notices=options["notices"],
            rounds=options["rounds"],
            batch_seconds=options["batch_seconds"],
            scales=tuple(s.strip() for s in options["scales"].split(",") if s.strip()),
            keep_databases=options["keep_databases"],
        )
        profile_flag = options["profile"]
        if not opts.scales or set(opts.scales) - {"1x", "10x"}:
            raise CommandError("--scales takes 1x, 10x or both")
        if opts.smoke:
            # Small, and each part only as large as it takes to prove it works (docs/benchmark.md, "The smoke run"):
            # query counts and CPU figures at both scales (side by side, as in a full run, so the growth is measured
            # too), wrk on the floors and one key page, 20 politicians racing for the 10 places, a Celery plan of 300
            # meetings (past its first year, so the publish also writes invitations) and 20 notices.
            opts.workplaces, opts.committees, opts.years, opts.seconds, opts.clients, opts.workers = 60, 3, 2, 1, 4, 2
            opts.notices, opts.rounds, opts.batch_seconds = 20, 2, 0.3
            opts.load_pages, opts.politicians, opts.meetings = 1, 20, 300
        # The profile of the pages that miss the CPU target: on for a full run, off for the smoke run (CI).
        opts.profile = (not opts.smoke) if profile_flag is None else profile_flag
        report = run(opts, say=self.stdout.write)
        path = Path(options["json_path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        self.stdout.write("")
        self.stdout.write(table(report))
        if options["publish"]:
            self.stdout.write(f"Published to {publish(report)}")
        self.stdout.write(self.style.SUCCESS(f"Written to {path}"))

    def _part(self, part, **options):

        if part == "queries":
            result = queries.measure_all()
        elif part == "sessions":
            result = []
            for page in [*pages.FLOORS.values(), *pages.KEY_PAGES]:
                client = Client()
                email = page.who()
                if email:
                    client.force_login(User.objects.get(email=email))
                result.append(
                    {
                        "page": page.name,
                        "path": page.path(),
                        "session": client.cookies["sessionid"].value if email else "",
                    }
                )
        elif part == "profile":
            result = page_profile.profile_pages(
                json.loads(options["extra"]),
                requests=runner.PROFILE_REQUESTS,
                let_go=runner.kept_pages_emptier(dict(os.environ)),
            )
        elif part == "celery-publish":
            result = celery_bench.publish(meetings=int(options["extra"] or celery_bench.MEETINGS))
        elif part == "celery-queue":
            result = celery_bench.queue(notices=int(options["extra"] or celery_bench.NOTICES))
        elif part == "celery-pending":
            first, last = (int(x) for x in options["extra"].split(":"))
            result = celery_bench.pending(first, last)
        elif part == "contention-prepare":
            result = contention.prepare(politicians=int(options["extra"] or contention.POLITICIANS))
        elif part == "contention-verify":
            result = contention.verify(slots=json.loads(options["extra"]))
        else:
            raise CommandError(f"Unknown part {part}")
        self.stdout.write(json.dumps(result))
