"""Plan a committee's year synchronously – the same service the Celery task runs – and optionally publish it."""

import json

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Committee
from meetings.rotation import inputs as planner_inputs
from meetings.rotation import selectors, services
from meetings.rotation.planner import PLANNER_VERSION, plan_year

# Exit codes of --verify: 0 the same plan, 1 another plan comes out, 2 the file is not the published record
# (unreadable, or its fingerprint does not match its content).
VERIFY_DIFFERENT = 1
VERIFY_BAD_FILE = 2


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
                "guests": sorted(slug for _pk, _name, slug in row.guest_rows),
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
        "the draft; --json writes the plan as JSON. --verify INPUT.json re-plans from a published inputs file "
        "and exits 0 when the same plan comes out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--committee", help="The committee's slug.")
        parser.add_argument("--year", type=int)
        parser.add_argument(
            "--verify",
            metavar="INPUT.json",
            help="Re-plan from a published inputs file (the public plan page offers it) and compare with its plan.",
        )
        parser.add_argument("--publish", action="store_true", help="Publish the plan (creates the meetings).")
        parser.add_argument("--json", dest="json_path", help="Write the plan as JSON to this file ('-' for stdout).")

    def handle(self, *args, committee=None, year=None, publish=False, json_path=None, verify=None, **options):
        if verify:
            return self.verify(verify)
        if not committee or year is None:
            raise CommandError("Give --committee and --year (or --verify INPUT.json).")
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

    def verify(self, path: str) -> None:
        """Re-plan from the published record and say whether the planner's own plan comes out again; then list the
        hand changes the record holds, with their reasons."""
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}", returncode=VERIFY_BAD_FILE) from error
        fingerprint_ok = planner_inputs.fingerprint_matches(data)
        try:
            workplaces, meetings, params = planner_inputs.inputs_load(data)
        except planner_inputs.InputsError as error:
            raise CommandError(f"{path} is not a readable inputs file: {error}", returncode=VERIFY_BAD_FILE) from error
        if data.get("planner_version") != PLANNER_VERSION:
            self.stdout.write(
                f"Note: the file was made by planner {data.get('planner_version')}; this is planner {PLANNER_VERSION}."
            )
        replanned = planner_inputs.plan_dump(plan_year(workplaces, meetings, params))
        differences = planner_inputs.plan_differences(data.get("planned") or [], replanned)
        for change in data.get("hand_changes") or []:
            self.stdout.write("Hand change: " + _hand_change(change))
        for difference in differences:
            self.stderr.write(
                f"Differs on {difference.date}: {difference.field} is {_shown(difference.recorded)} in the file, "
                f"{_shown(difference.replanned)} when re-planned."
            )
        if not fingerprint_ok:
            raise CommandError(
                f"The fingerprint does not match: the file says {data.get('fingerprint')!r}, its content gives "
                f"{planner_inputs.fingerprint(data)!r}. The file was changed after it was published.",
                returncode=VERIFY_BAD_FILE,
            )
        if differences:
            raise CommandError(
                f"Another plan comes out: {len(differences)} difference(s) from the recorded plan.",
                returncode=VERIFY_DIFFERENT,
            )
        self.stdout.write(
            f"Same plan: re-planning {data.get('committee')} {data.get('year')} from the file gives the recorded "
            f"{len(replanned)} meetings; fingerprint {data['fingerprint']} matches."
        )


def _shown(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return ", ".join(value) if value else "no one"
    return str(value)


def _hand_change(change: dict) -> str:
    if change.get("kind") == "host":
        text = f"{change.get('date')} host {change.get('from') or 'none'} -> {change.get('to')}"
    else:
        text = f"{change.get('workplace')} guest {change.get('from') or 'not invited'} -> {change.get('to')}"
    reason = change.get("reason") or "no reason given (it broke no rule)"
    return f"{text}; reason: {reason}"
