"""The positive list's demo step for ``seed_demo``: the city council's list and one per committee, each with items in
force (a few due for review soon, one overdue) and two removed by an »abolish« review some months ago, made through
the real services. The demo tells nobody: its notices are marked delivered before they leave. Run again, it adds
nothing to a list that has its demo items."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from codex.models import PolicyItem
from codex.positive_list import services
from core.models import OutboxMessage
from meetings.models import Committee, User

LINK = "https://dalby.example/dokumenter/{slug}.pdf"

# (title, kind, owner kind, demands (reporting, documentation, meetings), what it demands, review in days from today)
IN_FORCE = [
    (
        "Kvalitetsrapport for området",
        "fixed_requirement",
        "committee",
        (True, True, False),
        "En skriftlig rapport hvert andet år med nøgletal og en beskrivelse af arbejdet med kvaliteten.",
        12,
    ),
    (
        "Handleplan for lavere sygefravær",
        "plan",
        "head_of_centre",
        (True, False, True),
        "Opfølgningsmøde med HR hvert kvartal og en kort indberetning af fraværet.",
        -5,
    ),
    (
        "Strategi for faglig udvikling",
        "strategy",
        "committee",
        (False, False, True),
        "Et årligt dialogmøde om, hvordan arbejdspladsen udvikler sin faglighed.",
        240,
    ),
    (
        "Månedlig indberetning af nøgletal",
        "data_demand",
        "head_of_centre",
        (True, False, False),
        "Belægning, fravær og ventetid indberettes i regneark hver måned (ca. 2 timer).",
        25,
    ),
]
REMOVED = [
    (
        "Ugentlig statusrapport til forvaltningen",
        "steering_demand",
        "Ingen læste rapporterne, og de tog en time hver uge fra kerneopgaven. Afskaffet ved gennemgangen.",
        150,
    ),
    (
        "Dobbeltregistrering af fravær i to systemer",
        "fixed_requirement",
        "Det nye lønsystem har tallene. Afskaffet, så fraværet kun registreres ét sted.",
        60,
    ),
]
COUNCIL_IN_FORCE = [
    (
        "Sammenhængende børne- og ungepolitik",
        "policy",
        "city_council",
        (False, True, False),
        "Arbejdspladserne beskriver i deres udviklingsaftale, hvordan de bidrager.",
        20,
    ),
    (
        "Digitaliseringsstrategi 2025–2028",
        "strategy",
        "city_council",
        (False, False, False),
        "Ingen faste krav til arbejdspladserne.",
        400,
    ),
]
COUNCIL_REMOVED = [
    (
        "Tidsregistrering af alle opgaver",
        "steering_demand",
        "Registreringen gav ikke viden, der blev brugt. Afskaffet af byrådet efter kodeks for tillid.",
        90,
    ),
]


def _slug(title: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60]


def _fill(committee, admin, today, in_force, removed) -> int:
    if PolicyItem.objects.of_list(committee).filter(title__in=[row[0] for row in in_force]).exists():
        return 0
    owner_title = f"Centerchef for {committee.name}" if committee else "Kommunaldirektøren"
    made = 0
    for title, kind, owner_kind, (reporting, documentation, meetings), demands, review_in in in_force:
        services.policy_item_add(
            actor=admin,
            committee=committee,
            title=title,
            kind=kind,
            owner_kind=owner_kind,
            owner_title=owner_title if owner_kind == "head_of_centre" else "",
            link_url=LINK.format(slug=_slug(title)),
            demands_reporting=reporting,
            demands_documentation=documentation,
            demands_meetings=meetings,
            demands=demands,
            adopted_on=today - dt.timedelta(days=700),
            next_review_on=today + dt.timedelta(days=review_in),
        )
        made += 1
    for title, kind, reason, days_ago in removed:
        item = services.policy_item_add(
            actor=admin,
            committee=committee,
            title=title,
            kind=kind,
            owner_kind="committee" if committee else "city_council",
            link_url=LINK.format(slug=_slug(title)),
            demands_reporting=True,
            demands=title + ".",
            adopted_on=today - dt.timedelta(days=1500),
            next_review_on=today - dt.timedelta(days=days_ago),
        )
        services.policy_item_review(
            item=item, actor=admin, decision="abolish", reason=reason, decided_on=today - dt.timedelta(days=days_ago)
        )
        made += 1
    return made


def seed_positive_list(*, stdout=None, demo=None, **kwargs) -> list[str]:
    today = getattr(demo, "today", None) or timezone.localdate()
    admin = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if admin is None:
        return ["Positive list: no administrator yet; run the organisation step first."]
    if stdout:
        stdout.write("Seeding the positive list …")
    with transaction.atomic():
        first_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        made = _fill(None, admin, today, COUNCIL_IN_FORCE, COUNCIL_REMOVED)
        for committee in Committee.objects.active().order_by("name"):
            made += _fill(committee, admin, today, IN_FORCE, REMOVED)
        OutboxMessage.objects.filter(pk__gt=first_outbox, handler__startswith="codex.positive_list.").update(
            delivered_at=timezone.now()
        )
    return [f"Positive list: {made} demo items, {PolicyItem.objects.count()} in all."]
