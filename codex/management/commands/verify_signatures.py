from django.core.management.base import BaseCommand, CommandError

from codex import selectors
from codex.models import SignatureEvent

REASONS = {
    "link": "does not follow the entry before it (an entry was removed, inserted or reordered)",
    "hash": "was changed after it was written",
    "text": "the text of its version no longer matches the fingerprint signed",
    "version": "the published text no longer matches its fingerprint",
    "head": "entries are missing at the end of the log",
    "name": "the typed name was changed after signing (the person's data was not erased)",
}


class Command(BaseCommand):
    help = "Check every codex signature and the hash chain of the signature log. Exits 1 naming each break."

    def handle(self, *args, **options):
        problems = selectors.log_problems()
        if not problems:
            count = SignatureEvent.objects.count()
            self.stdout.write(self.style.SUCCESS(f"All holds: {count} log entries checked."))
            return
        for problem in problems:
            where = f"entry #{problem.entry_id}" if problem.entry_id else "log"
            if problem.version_number:
                where += f" (version {problem.version_number})"
            self.stderr.write(f"BROKEN {where}: {REASONS[problem.reason]}")
        raise CommandError(f"{len(problems)} break(s) in the codex signature log.", returncode=1)
