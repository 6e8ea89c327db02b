"""A fictional municipality at scale, written with bulk inserts: ``manage.py seed_scale``.

At ``--workplaces 2000 --committees 10 --years 10`` it holds about what the largest Danish municipality would after
ten years: 2,000 workplaces, some 6,000 people, 50,000 visits, two codex versions with 4,000 signatures, plus what
each feature's step adds (agreements, the rotation's meetings). Counts scale with the number of workplaces, so
``--workplaces 200`` gives a tenth of everything; the benchmark compares query counts at both sizes.

Every step is ``step(ctx: ScaleContext) -> dict`` (counts to report) and is listed in ``SCALE_STEPS``; a feature adds
one line there and its step in ``scale_<feature>.py`` (the shared helpers are in ``bulk.py``). Steps write with
``bulk_create`` in batches and never call services one row at a time, except where a service's invariant is the
point (none so far). The data is fictional and seeded: the same arguments give
the same municipality.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from codex.models import (
    CodexPrinciple,
    CodexSection,
    CodexValue,
    CodexVersion,
    SignatureEvent,
    SignatureLogHead,
    name_digest,
)
from core import chain, chains
from dialog_portal.demo.organisation import DISTRICTS, KINDS, demo_slug
from meetings.models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    User,
    Visit,
    VisitEvent,
    VisitOffer,
    VisitParticipant,
    VisitSlot,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
    roles_version_bump,
)

from . import scale_agreements, scale_questions, scale_rotation
from .bulk import ScaleContext, aware, bulk

DOMAIN = "skala.example"
# Per 2,000 workplaces (the largest municipality); smaller runs scale these down.
VISITS_AT_FULL = 50_000
SIGNATURES_AT_FULL = 4_000
BUSY_FEED_EVENTS = 1_000
POLITICIANS_PER_COMMITTEE = 9
TRIO_PER_WORKPLACE = 2
SCALE_PASSWORD = "skala-dialog-2026"  # noqa: S105 - a published benchmark password, never a real secret

BUSY_EMAIL = f"travl.politiker@{DOMAIN}"
ADMIN_EMAIL = f"sekretariat@{DOMAIN}"


# --- Steps -------------------------------------------------------------------------------------------------------


def organisation(ctx: ScaleContext) -> dict:
    """Committees, districts, kinds, workplaces, people, memberships, workplace roles and blackouts."""

    rng = ctx.rng
    districts = bulk(District, (District(name=f"{d.name}") for d in DISTRICTS))
    kinds = bulk(WorkplaceKind, (WorkplaceKind(slug=k.slug, name=k.name, name_plural=k.name_plural) for k in KINDS))
    committees = bulk(
        Committee,
        (
            Committee(
                slug=f"udvalg-{n + 1:02d}",
                name=f"Udvalg {n + 1} for {['Børn', 'Ældre', 'Job', 'Kultur', 'Miljø', 'Social'][n % 6]}",
                area="Et fiktivt fagudvalg til ydelsesmåling.",
                meeting_weekday=1 + n % 4,
            )
            for n in range(ctx.committees)
        ),
    )
    workplaces = bulk(
        Workplace,
        (
            Workplace(
                slug=f"{demo_slug(kinds[n % len(kinds)].name)}-{n + 1:04d}",
                name=f"{kinds[n % len(kinds)].name} nr. {n + 1}",
                kind=kinds[n % len(kinds)],
                district=districts[n % len(districts)],
                address=f"{DISTRICTS[n % len(DISTRICTS)].streets[n % 4]} {1 + n % 120}, "
                f"{DISTRICTS[n % len(DISTRICTS)].postcode} {DISTRICTS[n % len(DISTRICTS)].town}",
                latitude=Decimal(f"{DISTRICTS[n % len(DISTRICTS)].latitude + rng.uniform(-0.01, 0.01):.6f}"),
                longitude=Decimal(f"{DISTRICTS[n % len(DISTRICTS)].longitude + rng.uniform(-0.01, 0.01):.6f}"),
                seats=rng.choice((8, 14, 20, 30, 45)),
                step_free=rng.random() < 0.7,
                description=KINDS[n % len(KINDS)].description,
            )
            for n in range(ctx.workplaces)
        ),
    )
    through = Workplace.committees.through
    links = []
    for n, workplace in enumerate(workplaces):
        links.append(through(workplace_id=workplace.pk, committee_id=committees[n % len(committees)].pk))
        if n % 10 == 0 and len(committees) > 1:  # a few belong to two committees
            links.append(through(workplace_id=workplace.pk, committee_id=committees[(n + 1) % len(committees)].pk))
    bulk(through, links)

    def person(email: str, name: str, **extra) -> User:
        return User(email=email, full_name=name, password=ctx.password_hash, **extra)

    admin = bulk(User, [person(ADMIN_EMAIL, "Sekretariatet Skala", is_staff=True, is_superuser=True)])[0]
    politicians = bulk(
        User,
        (
            person(
                BUSY_EMAIL if n == 0 else f"politiker{n:03d}@{DOMAIN}",
                "Travl Politiker" if n == 0 else f"Politiker {n:03d}",
            )
            for n in range(ctx.committees * POLITICIANS_PER_COMMITTEE)
        ),
    )
    leaders = bulk(User, (person(f"leder{n:04d}@{DOMAIN}", f"Leder {n:04d}") for n in range(ctx.workplaces)))
    trio = bulk(
        User,
        (person(f"trio{n:05d}@{DOMAIN}", f"Trio {n:05d}") for n in range(ctx.workplaces * TRIO_PER_WORKPLACE)),
    )
    term = dt.date(ctx.first_year, 1, 1)
    memberships = []
    for n, politician in enumerate(politicians):
        committee = committees[n // POLITICIANS_PER_COMMITTEE]
        seat = n % POLITICIANS_PER_COMMITTEE
        role = {0: "chair", 1: "vice_chair"}.get(seat, "member")
        memberships.append(CommitteeMembership(user=politician, committee=committee, role=role, start_date=term))
    bulk(CommitteeMembership, memberships)
    roles = [
        WorkplaceRole(user=leaders[n], workplace=w, role="leader", start_date=term) for n, w in enumerate(workplaces)
    ]
    roles += [
        WorkplaceRole(
            user=trio[n * TRIO_PER_WORKPLACE + k],
            workplace=w,
            role="trio",
            title=("Arbejdsmiljørepræsentant", "Tillidsrepræsentant")[k % 2],
            start_date=term,
        )
        for n, w in enumerate(workplaces)
        for k in range(TRIO_PER_WORKPLACE)
    ]
    bulk(WorkplaceRole, roles)
    blackouts = []
    for n, workplace in enumerate(workplaces):
        for year in range(ctx.first_year, ctx.today.year + 2):
            if n % 3 == 0:
                summer = dt.date(year, 7, 1) + dt.timedelta(days=n % 14)
                blackouts.append(
                    Blackout(workplace=workplace, first_day=summer, last_day=summer + dt.timedelta(days=20), reason="")
                )
    bulk(Blackout, blackouts)

    ctx.ids.update(
        committees=[c.pk for c in committees],
        workplaces=[w.pk for w in workplaces],
        politicians=[p.pk for p in politicians],
        leaders=[p.pk for p in leaders],
        trio=[p.pk for p in trio],
        admin=[admin.pk],
    )
    ctx.maps["workplace_committee"] = {w.pk: committees[n % len(committees)].pk for n, w in enumerate(workplaces)}
    ctx.maps["committee_politicians"] = {
        c.pk: [p.pk for p in politicians[i * POLITICIANS_PER_COMMITTEE : (i + 1) * POLITICIANS_PER_COMMITTEE]]
        for i, c in enumerate(committees)
    }
    ctx.maps["leader_of"] = {w.pk: leaders[n].pk for n, w in enumerate(workplaces)}
    return {
        "committees": len(committees),
        "workplaces": len(workplaces),
        "people": 1 + len(politicians) + len(leaders) + len(trio),
        "blackouts": len(blackouts),
    }


def visits(ctx: ScaleContext) -> dict:
    """Ten years of visits: one offer per workplace and year, a slot per visit, participants and events.

    The busy politician takes part in ``BUSY_FEED_EVENTS`` visits around today, so their calendar feed is large.
    """

    rng = ctx.rng
    total = ctx.scaled(VISITS_AT_FULL)
    workplaces = ctx.ids["workplaces"]
    years = list(range(ctx.first_year, ctx.today.year + 1))
    offers = bulk(
        VisitOffer,
        (
            VisitOffer(
                workplace_id=w,
                kind="weekly",
                weekday=1 + (w % 5),
                start_time=dt.time(9, 0),
                end_time=dt.time(15, 0),
                first_day=dt.date(year, 1, 1),
                last_day=dt.date(year, 12, 31) if year < ctx.today.year else ctx.today + dt.timedelta(days=180),
                created_by_id=ctx.maps["leader_of"][w],
            )
            for year in years
            for w in workplaces
        ),
    )
    offer_of = {(o.workplace_id, o.first_day.year): o.pk for o in offers}
    now = timezone.now()
    busy = ctx.ids["politicians"][0]
    busy_count = min(BUSY_FEED_EVENTS, total // 4)
    plans = []  # (workplace, starts_at, booker, colleague)
    for n in range(total):
        w = workplaces[n % len(workplaces)]
        if n < busy_count:
            # Around today: from 80 days back to a year ahead, so all of them are in the feed.
            day = ctx.today + dt.timedelta(days=-80 + (n * 445) // busy_count)
            booker, colleague = busy, None
        else:
            day = dt.date(ctx.first_year, 1, 1) + dt.timedelta(
                days=rng.randrange((ctx.today - dt.date(ctx.first_year, 1, 1)).days)
            )
            committee_politicians = ctx.maps["committee_politicians"][ctx.maps["workplace_committee"][w]]
            booker = rng.choice(committee_politicians)
            colleague = rng.choice(committee_politicians) if rng.random() < 0.3 else None
            colleague = None if colleague == booker else colleague
        starts = aware(day, dt.time(9 + n % 6, 0))
        plans.append((w, starts, booker, colleague))
    slots = bulk(
        VisitSlot,
        (
            VisitSlot(
                workplace_id=w,
                offer_id=offer_of.get((w, min(starts.year, ctx.today.year)), offer_of[(w, ctx.today.year)]),
                day=timezone.localtime(starts).date(),
                starts_at=starts + dt.timedelta(microseconds=n),  # unique per offer
                ends_at=starts + dt.timedelta(hours=1),
                capacity=4,
                booked_count=1 + (colleague is not None),
            )
            for n, (w, starts, booker, colleague) in enumerate(plans)
        ),
    )

    def status(starts: dt.datetime, n: int) -> str:
        if n % 17 == 0:
            return "cancelled"
        if starts < now:
            return "held"
        return "confirmed" if n % 3 else "requested"

    visit_rows = bulk(
        Visit,
        (
            Visit(
                slot=slot,
                workplace_id=w,
                booked_by_id=booker,
                purpose="Se hverdagen og høre om arbejdet med kerneopgaven.",
                status=status(slot.starts_at, n),
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                seats=1 + (colleague is not None),
            )
            for n, ((w, _s, booker, colleague), slot) in enumerate(zip(plans, slots, strict=True))
        ),
    )
    participants = []
    events = []
    for visit, (_w, _s, booker, colleague) in zip(visit_rows, plans, strict=True):
        participants.append(VisitParticipant(visit=visit, person_id=booker))
        if colleague:
            participants.append(VisitParticipant(visit=visit, person_id=colleague))
        created = visit.starts_at - dt.timedelta(days=14)
        events.append(
            VisitEvent(visit=visit, actor_id=booker, action="requested", to_status="requested", created_at=created)
        )
        if visit.status != "requested":
            events.append(
                VisitEvent(
                    visit=visit,
                    actor_id=booker,
                    action=visit.status,
                    from_status="requested",
                    to_status=visit.status,
                    created_at=created + dt.timedelta(days=2),
                )
            )
    bulk(VisitParticipant, participants)
    bulk(VisitEvent, events)
    ctx.ids["busy_politician"] = [busy]
    return {"visit_offers": len(offers), "visits": len(visit_rows), "visit_events": len(events)}


def codex(ctx: ScaleContext) -> dict:
    """Two published codex versions and their signatures, written as one valid hash chain."""

    admin = ctx.ids["admin"][0]
    versions = []
    for number in (1, 2):
        version = CodexVersion.objects.create(
            number=number,
            title="Kodeks for tillid",
            introduction="Spillereglerne for politikere, direktion og ledere.",
            created_by_id=admin,
        )
        section = CodexSection.objects.create(version=version, order=1, title="Sandhed og faglighed")
        CodexPrinciple.objects.create(
            section=section,
            order=1,
            heading="Vi siger det, som det er",
            text=f"Udgave {number}: ærlighed frem for alt.",
        )
        CodexValue.objects.create(version=version, order=1, name="Tillid")
        published_on = ctx.today - dt.timedelta(days=800 - 400 * number)
        version.fingerprint = CodexVersion.objects.with_text().get(pk=version.pk).compute_fingerprint()
        version.status = CodexVersion.Status.PUBLISHED
        version.change_kind = CodexVersion.ChangeKind.MATERIAL
        version.published_on = published_on
        version.published_at = aware(published_on, dt.time(9))
        version.published_by_id = admin
        version.save()
        versions.append(version)
    # The people whose pages the benchmark opens sign first, so their pages look the same at every scale.
    leaders_by_slug = list(
        WorkplaceRole.objects.filter(role="leader").order_by("workplace__slug").values_list("user_id", flat=True)
    )
    signers = ctx.ids["politicians"][:1] + leaders_by_slug + ctx.ids["politicians"][1:] + ctx.ids["trio"]
    count = min(ctx.scaled(SIGNATURES_AT_FULL), len(signers) * 2)
    previous = chain.GENESIS_HASH
    key_id, key = chains.signing_key()
    events = []
    start = aware(ctx.today - dt.timedelta(days=390), dt.time(8))
    for n in range(count):
        version = versions[0] if n < count // 2 else versions[1]
        person = signers[n % (count // 2 or 1) % len(signers)]
        event = SignatureEvent(
            kind="sign",
            person_id=person,
            version=version,
            typed_name=f"Person {person}",
            typed_name_digest=name_digest(f"Person {person}"),
            text_fingerprint=version.fingerprint,
            previous_hash=previous,
            key_id=key_id,
            created_at=start + dt.timedelta(minutes=7 * n),
        )
        event.entry_hash = chain.entry_hash(previous, event.chain_fields(), key)
        previous = event.entry_hash
        events.append(event)
    bulk(SignatureEvent, events)
    SignatureLogHead.objects.update_or_create(pk=1, defaults={"entry_hash": previous, "entries": len(events)})
    return {"codex_versions": 2, "codex_signatures": len(events)}


# --- Entry point -------------------------------------------------------------------------------------------------


# The steps in order; a feature adds its step here (a module ``scale_<feature>.py`` beside this one).
SCALE_STEPS = [
    organisation,
    visits,
    codex,
    scale_agreements.agreements,
    scale_rotation.rotation,
    scale_questions.questions,
]


def seed_scale(
    *, workplaces: int = 2000, committees: int = 10, years: int = 10, today: dt.date | None = None, stdout=None
) -> dict:
    """Fill an empty database. Returns counts per step and the seconds each took."""

    if Workplace.objects.exists():
        raise ValueError("seed_scale fills an empty database; this one already has workplaces.")
    ctx = ScaleContext(
        workplaces=workplaces,
        committees=committees,
        years=years,
        today=today or timezone.localdate(),
        rng=random.Random(2026),
        password_hash=make_password(SCALE_PASSWORD),
    )
    report: dict = {"workplaces": workplaces, "committees": committees, "years": years, "steps": {}}
    for step in SCALE_STEPS:
        started = time.perf_counter()
        with transaction.atomic():
            counts = step(ctx)
        seconds = round(time.perf_counter() - started, 2)
        report["steps"][step.__name__] = {**counts, "seconds": seconds}
        if stdout:
            stdout.write(f"{step.__module__}.{step.__name__}: {counts} in {seconds} s")
    # People, seats and roles were bulk-created (no signals): a cached person or roles entry for a reused id is stale.
    roles_version_bump()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return report
