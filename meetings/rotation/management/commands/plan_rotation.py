"""Plan a committee's year synchronously – the same service the Celery task runs – and optionally publish it."""

import json

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Committee
from meetings.rotation import selectors, services


def plan_as_json(plan) -> dict:
    """The draft or published plan in the documented shape (README, "plan_rotation")."""
    return {
        "committee": plan.committee.slug,
        "year": plan.year,
        "meetings": [
            {
                "date": row.date.isoformat(),
                "start": row.start.strftime("%H:%M"),
                "host": row.host.slug if row.host else None,
                "venue": row.borrowed_room.slug if row.borrowed_room else None,
                "guests": sorted(g.slug for g in row.guests.all()),
                "why": row.why,
            }
            for row in selectors.planned_meetings(plan)
        ],
        "fairness": plan.fairness,
        "broken_rules": plan.broken_rules,
        "cannot_host": plan.cannot_host,
        "wishes_unmet": plan.wishes_unmet,
    }


class Command(BaseCommand):
    help = (
        "Plan the year's on-site meetings of a committee (hosts and invited guests) and save them as the draft; "
        "generates the meeting dates from the committee's pattern first when there are none. --publish publishes "
        "the draft; --json writes the plan as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="The committee's slug.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--publish", action="store_true", help="Publish the plan (creates the meetings).")
        parser.add_argument("--json", dest="json_path", help="Write the plan as JSON to this file ('-' for stdout).")

    def handle(self, *args, committee, year, publish=False, json_path=None, **options):
        found = Committee.objects.filter(slug=committee).first()
        if found is None:
            raise CommandError(f"No committee with the slug {committee!r}.")
        if not 2000 <= year <= 2100:
            raise CommandError("Give a year from 2000 to 2100.")
        try:
            plan = services.rotation_plan_draft(committee=found, year=year)
            if publish:
                services.rotation_plan_publish(plan=plan, actor=None)
                plan.refresh_from_db()
        except services.RotationError as error:
            raise CommandError(str(error)) from error
        data = plan_as_json(plan)
        if json_path == "-":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif json_path:
            with open(json_path, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=2)
        if json_path != "-":
            fairness = plan.fairness
            self.stdout.write(
                f"{found.name} {year}: {len(data['meetings'])} meetings, spread {fairness.get('spread_after')} "
                f"(best possible {fairness.get('best_possible_spread')}), {len(plan.broken_rules)} broken rules, "
                f"{'published' if publish else 'saved as draft'}."
            )
