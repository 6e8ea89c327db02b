"""Export or erase one person's personal data (GDPR). See the README, "Personal data"."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from dialog_portal.privacy import person_erase, person_export
from meetings.errors import MeetingsError
from meetings.models import User


class Command(BaseCommand):
    help = "Export (JSON) or erase one person's personal data; signatures and the audit log keep a pseudonym."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("--email", required=True, help="The person's e-mail address.")
        parser.add_argument("--out", help="Write the export to this file instead of standard output.")
        parser.add_argument("--yes", action="store_true", help="Confirm the erasure (it cannot be undone).")

    def handle(self, *args, action, email, out=None, yes=False, **options):
        person = User.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"No person with the e-mail address {email}.")
        if action == "export":
            text = json.dumps(person_export(person=person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            if out:
                with open(out, "w", encoding="utf-8") as handle:
                    handle.write(text + "\n")
                self.stdout.write(f"Wrote {out}.")
            else:
                self.stdout.write(text)
            return
        if not yes:
            raise CommandError("Erasure cannot be undone: add --yes to confirm.")
        try:
            removed = person_erase(person=person)
        except MeetingsError as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{name}: {count}" for name, count in removed.items())
        self.stdout.write(self.style.SUCCESS(f"Erased person #{person.pk} ({summary})."))
