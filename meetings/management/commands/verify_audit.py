"""Verify the hash chains: the audit log and the codex's signature log. Exit status 1 when either is broken."""

from django.core.management.base import BaseCommand, CommandError

from meetings.audit import audit_verify


class Command(BaseCommand):
    help = "Re-compute the audit log's hash chain and the codex signature log; fail when an entry was altered."

    def handle(self, *args, **options):
        from codex.selectors import log_problems
        from meetings.models import AuditEntry

        breaks = audit_verify()
        problems = log_problems()
        for item in breaks:
            self.stderr.write(f"audit log entry #{item.seq}: {item.reason}")
        for problem in problems:
            self.stderr.write(
                f"signature log entry #{problem.entry_id} (version {problem.version_number}): {problem.reason}"
            )
        if breaks or problems:
            raise CommandError(f"The chains are broken: {len(breaks)} audit and {len(problems)} signature problem(s).")
        self.stdout.write(
            self.style.SUCCESS(f"Audit log intact ({AuditEntry.objects.count()} entries); signature log intact.")
        )
