"""The challenges' demo step for ``seed_demo``: for every committee a challenge of a rule in each state (a draft,
one waiting with another workplace joined, one on a meeting, granted, a trial running, a trial ending soon,
rejected, passed to the city council, a stopped trial), made through the real services. A granted one challenges a
documentation demand on the committee's positive list when there is one, so the list shows it removed. The demo
tells nobody: its notices are marked delivered before they leave. Run again, it adds nothing for a committee that
has challenges."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from codex.challenges import services
from codex.challenges.models import Challenge
from codex.positive_list.models import PolicyItem
from core.models import OutboxMessage
from meetings.models import Committee, CommitteeMembership, Meeting, User, Workplace, WorkplaceRole

# (rule, what it costs, hours a month, proposal, the state to bring it to)
CASES = [
    (
        "Ugentlig registrering af aktiviteter i fagsystemet",
        "Hver medarbejder bruger en halv time om ugen.",
        20,
        "simplify",
        "draft",
    ),
    (
        "Månedlig trivselsrapport til forvaltningen",
        "Rapporten skrives af lederen og tager en hel dag.",
        8,
        "abolish",
        "submitted",
    ),
    (
        "Dobbelt registrering af fravær",
        "Fravær skrives både i lønsystemet og i et regneark.",
        6,
        "abolish",
        "scheduled",
    ),
    (
        "Skriftlig dokumentation af hver forældresamtale",
        "Referatet tager længere tid end samtalen.",
        15,
        "trial",
        "granted",
    ),
    ("Fast dagsorden for personalemøder", "Dagsordenen passer ikke til små arbejdspladser.", 4, "trial", "trial"),
    (
        "Kvartalsvis tjekliste for legepladsen",
        "Tjeklisten gentager det, vi allerede gør dagligt.",
        3,
        "trial",
        "trial_ending",
    ),
    ("Lovpligtig tilsynsrapport", "Rapporten tager to dage om året.", 2, "abolish", "rejected"),
    (
        "Kommunens fælles indkøbsaftale",
        "Vi må ikke købe lokalt, selv når det er billigere.",
        5,
        "simplify",
        "passed_on",
    ),
    ("Daglig skriftlig overlevering", "Overleveringen sker allerede mundtligt.", 10, "trial", "stopped"),
]


def _leader(workplace: Workplace) -> User | None:
    role = WorkplaceRole.objects.current().filter(workplace=workplace, role="leader").select_related("user").first()
    return role.user if role else None


def _chair(committee: Committee) -> User | None:
    seat = (
        CommitteeMembership.objects.current().filter(committee=committee, role="chair").select_related("user").first()
    )
    return seat.user if seat else None


def seed_challenges(*, stdout=None, demo=None, **kwargs) -> list[str]:
    today = getattr(demo, "today", None) or timezone.localdate()
    if stdout:
        stdout.write("Seeding challenges of rules …")
    made = 0
    with transaction.atomic():
        first_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for committee in Committee.objects.active().order_by("name"):
            if Challenge.objects.filter(committee=committee).exists():
                continue
            chair = _chair(committee)
            led = [(w, _leader(w)) for w in Workplace.objects.active().under(committee).order_by("name")]
            led = [(w, leader) for w, leader in led if leader is not None]
            if chair is None or len(led) < 2:
                continue
            made += _committee_challenges(committee, chair, led, today)
        # The challenges' notices, and the positive list's for the item a granted challenge removed.
        OutboxMessage.objects.filter(pk__gt=first_outbox, handler__startswith="codex.").update(
            delivered_at=timezone.now()
        )
    return [f"Challenges of rules: {made} demo challenges, {Challenge.objects.count()} in all."]


def _committee_challenges(committee, chair, led, today) -> int:
    meeting = (
        Meeting.objects.filter(committee=committee, status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    documentation = (
        PolicyItem.objects.in_force().filter(committee=committee, demands_documentation=True).order_by("pk").first()
    )
    for number, (rule, cost, hours, proposal, state) in enumerate(CASES):
        workplace, leader = led[number % len(led)]
        other, other_leader = led[(number + 1) % len(led)]
        item = documentation if state == "granted" else None
        challenge = services.challenge_create(
            actor=leader,
            workplace=workplace,
            committee=committee,
            policy_item=item,
            rule="" if item else rule,
            description=cost,
            hours_per_month=hours,
            proposal=proposal,
            proposal_detail="Vi foreslår at prøve det i et halvt år og måle på tiden med børnene.",
            trio_agrees=state != "draft",
        )
        if state == "draft":
            continue
        challenge = services.challenge_submit(challenge=challenge, actor=leader)
        if other.pk != workplace.pk and state in ("submitted", "granted", "trial"):
            services.challenge_join(
                challenge=challenge, actor=other_leader, workplace=other, hours_per_month=max(1, hours // 2)
            )
        if state == "submitted":
            continue
        # The one waiting is on the next meeting; those decided were treated today (a decision is recorded on the
        # day of the meeting or later).
        on = timezone.localdate(meeting.starts_at) if meeting and state == "scheduled" else today
        challenge = services.challenge_schedule(
            challenge=challenge, actor=chair, meeting=meeting if state == "scheduled" else None, treated_on=on
        )
        if state == "scheduled":
            continue
        _decide(challenge, chair, state, today)
    return len(CASES)


def _decide(challenge, chair, state, today) -> None:
    if state == "granted":
        services.challenge_grant(challenge=challenge, actor=chair, reason="Udvalget er enigt: kravet giver ikke værdi.")
    elif state == "rejected":
        services.challenge_reject(challenge=challenge, actor=chair, reason="Rapporten er lovbestemt.")
    elif state == "passed_on":
        services.challenge_pass_on(challenge=challenge, actor=chair, reason="Aftalen gælder hele kommunen.")
    else:
        ends = today + dt.timedelta(days=20 if state == "trial_ending" else 150)
        challenge = services.challenge_grant_trial(
            challenge=challenge,
            actor=chair,
            trial_ends_on=ends,
            trial_evaluation="Lederen og trioen fortæller udvalget, hvad tiden blev brugt på.",
        )
        if state == "stopped":
            services.challenge_stop_trial(
                challenge=challenge, actor=chair, note="Forældrene savnede den skriftlige besked."
            )
