"""Fill the database with Dalby Kommune, a fictional municipality, and print how to log in as each role."""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from dialog_portal.demo.agreements import seed_agreements
from dialog_portal.demo.challenges import seed_challenges
from dialog_portal.demo.codex import seed_codex
from dialog_portal.demo.hearings import seed_hearings
from dialog_portal.demo.organisation import DemoRun, seed_organisation
from dialog_portal.demo.positive_list import seed_positive_list
from dialog_portal.demo.questions import seed_questions
from dialog_portal.demo.rotation import seed_public_ledger, seed_rotation
from dialog_portal.demo.stories import seed_stories
from dialog_portal.demo.visits import seed_visits
from meetings.models import User

# Each step is called as ``step(stdout=..., demo=DemoRun)`` and may return lines to print at the end.
# A feature adds its demo data (``dialog_portal/demo/<feature>.py``) with one line here, after the steps it builds on.
DEMO_STEPS = [
    seed_organisation,
    seed_codex,
    seed_rotation,
    seed_visits,
    seed_agreements,
    seed_hearings,
    seed_positive_list,
    seed_questions,
    seed_stories,
    seed_challenges,
    seed_public_ledger,
]


class Command(BaseCommand):
    help = (
        "Create or update a fictional municipality (Dalby Kommune) with committees, workplaces and people "
        "for demos. Safe to run again. Password from DEMO_PASSWORD (default demo-dialog-2026)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give every demo person the demo password again, also those who have changed it.",
        )

    def handle(self, *args, force=False, reset_passwords=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo fills the database with a fictional municipality whose people share a known "
                "password, so it only runs with DEBUG on. Pass --force if you really mean this database."
            )
        demo = DemoRun.from_env(reset_passwords=reset_passwords)
        lines: list[str] = []
        with transaction.atomic():
            for step in DEMO_STEPS:
                lines.extend(step(stdout=self.stdout, demo=demo) or [])

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Log in at {settings.PORTAL_BASE_URL}{reverse('account_login')}"))
        self._write_logins(demo)
        self.stdout.write("")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"This run: {demo.changes()}.")
        if getattr(settings, "DIALOG_REQUIRE_MFA", False):
            self.stdout.write("Two-factor is required: politicians and the secretariat set up TOTP at first login.")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

    def _write_logins(self, demo: DemoRun) -> None:
        passwords = dict(
            User.objects.filter(email__in=[login.email for login in demo.logins]).values_list("email", "password")
        )
        rows = [("Role", "Name", "E-mail", "Password")]
        for login in demo.logins:
            # Without the hasher's setter: printing must not rehash anyone's password.
            if check_password(demo.password, passwords.get(login.email)):
                shown = demo.password
            else:
                shown = "(changed; --reset-passwords restores it)"
            rows.append((login.role, login.full_name, login.email, shown))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
