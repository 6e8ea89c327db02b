"""Development agreements at scale for the benchmark (``seed_scale``; see ``dialog_portal/bench/scale.py``).

About 5,000 agreements with 20,000 goals at 2,000 workplaces: one agreement per workplace for each of the last
two or three years, four goals each, a frozen version, events for every step and a mid-term follow-up on the
active ones. Written with bulk inserts; the frozen text and its fingerprint are computed as the services do.
"""

from __future__ import annotations

import datetime as dt

from agreements import fingerprint as fp
from agreements.models import Agreement, AgreementEvent, AgreementVersion, FollowUp, Goal, Status
from meetings.models import Committee, Workplace

from .bulk import aware, bulk

AGREEMENTS_AT_FULL = 5_000
GOALS_PER_AGREEMENT = 4

GOAL_TITLES = (
    "Flere børn trives i fællesskabet",
    "Færre borgere venter på hjælp",
    "Flere unge i uddannelse eller job",
    "Bedre overgange mellem tilbud",
    "Borgerne oplever sammenhæng",
)


def agreements(ctx) -> dict:

    total = ctx.scaled(AGREEMENTS_AT_FULL)
    workplaces = ctx.ids["workplaces"]
    this_year = ctx.today.year
    years = [this_year - back for back in range(max(1, -(-total // len(workplaces))))]
    plans = []
    for year in years:
        for w in workplaces:
            if len(plans) >= total:
                break
            plans.append((w, year))
    rows = bulk(
        Agreement,
        (
            Agreement(
                workplace_id=w,
                committee_id=ctx.maps["workplace_committee"][w],
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                status=Status.ACTIVE if year == this_year else Status.CLOSED,
                status_changed_at=aware(dt.date(year, 1, 2), dt.time(9)),
                core_task="Vi skaber trygge rammer og gode forløb for borgerne.",
                support="Hjælp fra forvaltningen til data om effekterne.",
                follow_up_plan="Midtvejs i juni og til slut i december, på et dialogmøde.",
                midterm_on=dt.date(year, 6, 15),
                final_on=dt.date(year, 12, 15),
                created_by_id=ctx.maps["leader_of"][w],
                created_at=aware(dt.date(year - 1, 11, 1), dt.time(9)),
                updated_at=aware(dt.date(year - 1, 12, 1), dt.time(9)),
            )
            for w, year in plans
        ),
    )
    goals = bulk(
        Goal,
        (
            Goal(
                agreement=agreement,
                order=n,
                title=GOAL_TITLES[(agreement.pk + n) % len(GOAL_TITLES)],
                baseline="I dag oplever 6 ud af 10 det.",
                aim="8 ud af 10 oplever det ved årets udgang.",
                indicator="Andel borgere, der i den årlige måling svarer ja.",
                actions="Vi arbejder med faste overgange og tæt kontakt til de pårørende.",
                evaluation="Den årlige måling og en samtale med borgerrådet.",
                target="80 %",
            )
            for agreement in rows
            for n in range(GOALS_PER_AGREEMENT)
        ),
    )
    goals_of: dict[int, list] = {}
    for goal in goals:
        goals_of.setdefault(goal.agreement_id, []).append(goal)
    workplace_of = {w.pk: w for w in Workplace.objects.filter(pk__in=workplaces).only("pk", "name")}
    committee_of = {c.pk: c for c in Committee.objects.only("pk", "name")}
    versions = []
    for agreement in rows:
        agreement.workplace = workplace_of[agreement.workplace_id]
        agreement.committee = committee_of[agreement.committee_id]
        data = fp.canonical_dict(agreement.text(goals_of[agreement.pk]))
        versions.append(
            AgreementVersion(
                agreement=agreement,
                number=1,
                text=data,
                fingerprint=fp.fingerprint_of_canonical(data),
                created_by_id=agreement.created_by_id,
                created_at=agreement.updated_at,
            )
        )
    versions = bulk(AgreementVersion, versions)
    steps = [
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.APPROVED),
        (Status.APPROVED, Status.SIGNED),
        (Status.SIGNED, Status.ACTIVE),
    ]
    events = []
    for agreement, version in zip(rows, versions, strict=True):
        for n, (before, after) in enumerate(steps):
            events.append(
                AgreementEvent(
                    agreement=agreement,
                    actor_id=agreement.created_by_id,
                    action=after,
                    from_status=before,
                    to_status=after,
                    version=version if after == Status.SUBMITTED else None,
                    created_at=agreement.updated_at + dt.timedelta(days=3 * n),
                )
            )
        if agreement.status == Status.CLOSED:
            events.append(
                AgreementEvent(
                    agreement=agreement,
                    actor_id=agreement.created_by_id,
                    action=Status.CLOSED,
                    from_status=Status.ACTIVE,
                    to_status=Status.CLOSED,
                    created_at=aware(agreement.period_end, dt.time(12)),
                )
            )
    bulk(AgreementEvent, events)
    followups = bulk(
        FollowUp,
        (
            FollowUp(
                goal=goal,
                kind="midterm",
                status=("on_track", "at_risk", "achieved")[goal.pk % 3],
                note="Status fra dialogmødet.",
                recorded_by_id=ctx.maps["leader_of"][agreement.workplace_id],
                recorded_at=aware(agreement.midterm_on, dt.time(15)),
            )
            for agreement in rows
            if agreement.midterm_on <= ctx.today
            for goal in goals_of[agreement.pk]
        ),
    )
    ctx.ids["agreements"] = [a.pk for a in rows]
    return {
        "agreements": len(rows),
        "goals": len(goals),
        "agreement_versions": len(versions),
        "agreement_events": len(events),
        "followups": len(followups),
    }
