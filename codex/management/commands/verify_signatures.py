from django.core.management.base import BaseCommand, CommandError, no_translations

from core import chains


class Command(BaseCommand):
    help = (
        "Check every codex signature and the hash chain of the signature log (with its key and its anchor file), and "
        "every development agreement's frozen text and signatures. Exits 1 naming each break."
    )

    @no_translations  # for IT staff and logs: English, like Django's own commands
    def handle(self, *args, **options):
        found = chains.reports(["signatures", "agreements"])
        problems = chains.command_output(self, found)
        if problems:
            raise CommandError(f"{problems} break(s) in the signatures.", returncode=1)
        entries = next(r.checked for r in found if r.name == "signatures")
        self.stdout.write(self.style.SUCCESS(f"All holds: {entries} log entries checked."))
