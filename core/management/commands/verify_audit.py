"""Verify the hash chains and what they protect: the audit log, the codex's signature log and the development
agreements' frozen texts and signatures. Exit status 1 naming each break (the nightly job runs the same checks)."""

from django.core.management.base import BaseCommand, CommandError, no_translations

from core import chains


class Command(BaseCommand):
    help = (
        "Re-compute the audit log's and the signature log's keyed hash chains, compare their heads with the anchor "
        "files, and re-fingerprint the agreements' frozen texts; fail naming every entry that was altered."
    )

    @no_translations  # for IT staff and logs: English, like Django's own commands
    def handle(self, *args, **options):
        found = chains.reports()
        problems = chains.command_output(self, found)
        if problems:
            raise CommandError(f"The chains are broken: {problems} problem(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS("All holds."))
