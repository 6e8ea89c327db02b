"""Demo data for development agreements: a shared-goal catalogue and agreements of Børne- og Ungeudvalget's
workplaces in every state, some adopting shared goals, with comments; the demo leader's school has last year's
closed agreement and this year's signed, active one with a mid-term follow-up. Everything goes through the real
services, so versions, signatures, events and the audit log are what the portal would have written.
Idempotent: an agreement that exists for a workplace, committee and period is left alone."""

import datetime as dt

from django.db import transaction
from django.test import override_settings

from agreements import services
from agreements.models import Agreement, FollowUp, SharedGoal, Status, calendar_year
from meetings.models import Committee, CommitteeMembership, User, Workplace, WorkplaceRole

from .organisation import DEMO_SCHOOL, LOGIN_LEADER

COMMITTEE_SLUG = "boern-og-unge"

SHARED = [
    # (title, text, committee slug or None, years before and after this one)
    (
        "Borgeren er medskaber",
        "Vi inddrager borgere og pårørende i at finde løsninger, så de oplever at blive hørt og kan mere selv.",
        None,
        (1, 1),
    ),
    (
        "Et arbejdsmiljø med tillid",
        "Medarbejderne oplever tillid, faglig frihed og plads til at fortælle om fejl. Sygefraværet falder.",
        None,
        (0, 0),
    ),
    (
        "Alle børn er en del af fællesskabet",
        "Flere børn trives og oplever at høre til i et fællesskab – i dagtilbud, skole og fritid.",
        COMMITTEE_SLUG,
        (1, 1),
    ),
]

OWN_GOALS = {
    "skole": [
        {
            "title": "Flere elever læser med lyst",
            "baseline": "62 % af eleverne i 4. klasse læser alderssvarende.",
            "aim": "Eleverne læser mere, og flere får lyst til at læse selv.",
            "indicator": "Andelen af elever i 4. klasse, der læser alderssvarende i den nationale test.",
            "actions": "Læsebånd hver morgen, skolebibliotekaren hjælper med bogvalg, forældrefolder om læsning.",
            "evaluation": "Vi ser på testresultaterne i maj og drøfter dem i MED i juni.",
            "target": "70 % i 2026",
            "milestones": "Februar: læsebånd i alle klasser\nMaj: nationale test",
        },
        {
            "title": "Mindre fravær i udskolingen",
            "baseline": "Elevernes fravær i 7.–9. klasse er 7,9 %.",
            "aim": "Eleverne kommer i skole, fordi de oplever, at skolen er meningsfuld.",
            "indicator": "Elevfraværet i 7.–9. klasse og elevernes svar om mening i trivselsmålingen.",
            "actions": "Tidlig kontakt til familien ved fravær; valgfag sammen med lokale virksomheder.",
            "evaluation": "Fraværet følges hver måned; vi taler med eleverne om årsager.",
            "target": "Under 6 %",
            "milestones": "",
        },
    ],
    "dagtilbud": [
        {
            "title": "Sproget blomstrer",
            "baseline": "Ved sprogvurderingen har 18 % af de 3-årige behov for en særlig indsats.",
            "aim": "Børnene får et rigt sprog gennem leg og samtale i hverdagen.",
            "indicator": "Andelen af 3-årige med behov for særlig sprogindsats ved sprogvurderingen.",
            "actions": "Dialogisk læsning i små grupper; sprogpakker i garderoben; sprogvejleder på stuemøder.",
            "evaluation": "Sprogvurderinger forår og efterår; pædagogerne deler erfaringer på personalemøder.",
            "target": "Under 12 %",
            "milestones": "April: sprogvurdering\nOktober: sprogvurdering",
        },
        {
            "title": "Forældre som samarbejdspartnere",
            "baseline": "I forældretilfredshedsundersøgelsen svarer 71 %, at de er trygge ved samarbejdet.",
            "aim": "Forældrene oplever, at de bliver hørt og ved, hvordan de kan støtte deres barn.",
            "indicator": "Andelen af forældre, der svarer, at de er trygge ved samarbejdet.",
            "actions": "Korte samtaler ved aflevering, et forældrecafé-møde hvert kvartal.",
            "evaluation": "Forældrebestyrelsen drøfter resultatet af undersøgelsen i november.",
            "target": "80 %",
            "milestones": "",
        },
    ],
}
DEFAULT_GOALS = OWN_GOALS["dagtilbud"]

CORE_TASK = {
    "skole": "Vi giver eleverne faglig viden, lyst til at lære og et trygt fællesskab. Skolen har {n} elever og "
    "arbejder tæt sammen med SFO, PPR og de lokale foreninger.",
    "dagtilbud": "Vi skaber trygge rammer for leg, læring og udvikling for børn fra 0 til 6 år – i tæt samarbejde "
    "med forældrene. Huset har plads til {n} børn.",
}
SUPPORT = "Hjælp fra PPR til sprog- og trivselsvurderinger og fra HR til rekruttering af pædagoger."
FOLLOW_UP = "Vi taler om målene ved udvalgets dialogmøde i foråret og følger op ved besøget i efteråret."

# The state each of Børne- og Ungeudvalget's workplaces (after the demo school, sorted by name) is brought to.
STATES = [
    Status.DRAFT,
    Status.CONSULTATION,
    Status.SUBMITTED,
    Status.CHANGES_REQUESTED,
    Status.RESUBMITTED,
    Status.APPROVED,
    Status.SIGNED,
    Status.FOLLOWED_UP,
]
PATHS = {
    Status.DRAFT: [],
    Status.CONSULTATION: ["consult", "comment"],
    Status.SUBMITTED: ["consult", "comment", "submit", "review_comment"],
    Status.CHANGES_REQUESTED: ["consult", "submit", "request_changes"],
    Status.RESUBMITTED: ["consult", "submit", "request_changes", "resubmit"],
    Status.APPROVED: ["consult", "submit", "approve", "sign_workplace"],
    Status.SIGNED: ["consult", "submit", "approve", "sign_workplace", "sign_committee"],
    Status.ACTIVE: ["consult", "comment", "submit", "approve", "sign_workplace", "sign_committee", "midterm"],
    Status.FOLLOWED_UP: ["consult", "submit", "approve", "sign_workplace", "sign_committee", "final"],
    Status.CLOSED: ["consult", "submit", "approve", "sign_workplace", "sign_committee", "final", "close"],
}


class _Cast:
    def __init__(self, workplace: Workplace, committee: Committee):
        def first(qs):
            return qs.order_by("pk").first()

        roles = WorkplaceRole.objects.current().filter(workplace=workplace)
        self.leader = first(User.objects.filter(workplace_roles__in=roles.filter(role=WorkplaceRole.Role.LEADER)))
        self.trio = first(User.objects.filter(workplace_roles__in=roles.filter(role=WorkplaceRole.Role.TRIO)))
        members = CommitteeMembership.objects.current().filter(committee=committee)
        self.chair = first(User.objects.filter(memberships__in=members.filter(role=CommitteeMembership.Role.CHAIR)))
        self.member = first(User.objects.filter(memberships__in=members.filter(role=CommitteeMembership.Role.MEMBER)))


def _step(agreement: Agreement, people: _Cast, name: str) -> None:
    if name == "consult":
        services.agreement_consultation_open(agreement=agreement, actor=people.leader)
    elif name == "comment":
        goal = agreement.ordered_goals()[-1]
        services.comment_add(
            agreement=agreement,
            actor=people.trio,
            goal=goal,
            body="Godt mål. Kan vi skrive, hvordan medarbejderne får tid til det i hverdagen?",
        )
    elif name == "review_comment":
        services.comment_add(
            agreement=agreement,
            actor=people.member,
            body="Tak for en klar aftale. Hvordan mærker forældrene forskellen?",
            section="goals",
        )
    elif name == "submit":
        services.agreement_submit(agreement=agreement, actor=people.leader)
    elif name == "request_changes":
        services.agreement_changes_request(
            agreement=agreement,
            actor=people.member,
            note="Indikatoren for mål 2 måler aktiviteter. Skriv i stedet, hvad børnene og forældrene mærker.",
        )
    elif name == "resubmit":
        goal = agreement.ordered_goals()[-1]
        data = {f: getattr(goal, f) for f in services.GOAL_TEXT_FIELDS}
        data["indicator"] = "Børnenes og forældrenes egne svar i den årlige undersøgelse."
        services.goal_save(agreement=agreement, actor=people.leader, goal=goal, data=data, shared_goal=goal.shared_goal)
        services.agreement_resubmit(agreement=agreement, actor=people.leader)
    elif name == "approve":
        services.agreement_approve(agreement=agreement, actor=people.chair)
    elif name in ("sign_workplace", "sign_committee"):
        person = people.leader if name == "sign_workplace" else people.chair
        with override_settings(DIALOG_CODEX_GATE=False):  # the demo codex leaves some unsigned on purpose
            services.agreement_sign(
                agreement=agreement,
                actor=person,
                side=name.removeprefix("sign_"),
                typed_name=person.full_name,
                has_read=True,
            )
    elif name == "midterm":
        goals = agreement.ordered_goals()
        statuses = [FollowUp.Status.ON_TRACK, FollowUp.Status.AT_RISK, FollowUp.Status.ON_TRACK]
        notes = ["Vi er godt på vej.", "Vi mangler hænder i foråret; drøftes på dialogmødet.", ""]
        services.followup_record(
            agreement=agreement,
            actor=people.leader,
            entries=[(g, FollowUp.Kind.MIDTERM, s, n) for g, s, n in zip(goals, statuses, notes, strict=False)],
            occasion="dialogmøde",
        )
    elif name == "final":
        goals = agreement.ordered_goals()
        services.followup_record(
            agreement=agreement,
            actor=people.chair,
            entries=[
                (g, FollowUp.Kind.FINAL, FollowUp.Status.ACHIEVED if i % 2 == 0 else FollowUp.Status.NOT_ACHIEVED, "")
                for i, g in enumerate(goals)
            ],
        )
    elif name == "close":
        services.agreement_close(agreement=agreement, actor=people.chair, note="Tak for et godt samarbejde.")
    agreement.refresh_from_db()


def _build(workplace, committee, people, *, year: int, status: str, shared: list, start_from=None) -> Agreement | None:
    start, end = calendar_year(year)
    if Agreement.objects.filter(workplace=workplace, committee=committee, period_start=start).exists():
        return None
    agreement = services.agreement_create(
        workplace=workplace,
        committee=committee,
        actor=people.leader,
        period_start=start,
        period_end=end,
        start_from=start_from,
    )
    if start_from is None:
        kind = workplace.kind.slug
        services.agreement_update(
            agreement=agreement,
            actor=people.leader,
            core_task=CORE_TASK.get(kind, CORE_TASK["dagtilbud"]).format(n=workplace.seats * 8),
            support=SUPPORT,
            follow_up_plan=FOLLOW_UP,
            midterm_on=agreement.midterm_on,
            final_on=agreement.final_on,
        )
        for goal in shared:
            services.goal_save(
                agreement=agreement,
                actor=people.leader,
                data={
                    "title": "",
                    "indicator": "Andelen af børn, der i trivselsmålingen svarer, at de har en god ven.",
                    "actions": "Legegrupper og makkerordninger på tværs af stuer og klasser.",
                    "target": "Lokalt mål: 90 %",
                },
                shared_goal=goal,
            )
        for data in OWN_GOALS.get(kind, DEFAULT_GOALS):
            services.goal_save(agreement=agreement, actor=people.leader, data=data)
    for name in PATHS[status]:
        _step(agreement, people, name)
    return agreement


def seed_agreements(*, stdout=None, demo=None, **kwargs) -> list[str]:
    today = getattr(demo, "today", None)
    committee = Committee.objects.filter(slug=COMMITTEE_SLUG).first()
    admin = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if committee is None or admin is None or today is None:
        return ["Agreements: no demo organisation yet; run the organisation step first."]
    if stdout:
        stdout.write("Seeding development agreements …")
    year = today.year
    with transaction.atomic():
        shared = []
        for title, text, slug, (before, after) in SHARED:
            goal, _created = SharedGoal.objects.get_or_create(
                title=title,
                defaults={
                    "text": text,
                    "committee": Committee.objects.filter(slug=slug).first() if slug else None,
                    "period_start": dt.date(year - before, 1, 1),
                    "period_end": dt.date(year + after, 12, 31),
                    "created_by": admin,
                },
            )
            shared.append(goal)
        children, municipality = shared[2], shared[0]
        workplaces = list(
            Workplace.objects.active().filter(committees=committee).select_related("kind").order_by("name")
        )
        school = next((w for w in workplaces if w.name == DEMO_SCHOOL), None)
        others = [w for w in workplaces if w != school]
        made = 0
        if school is not None:
            people = _Cast(school, committee)
            if people.leader is not None and people.leader.email != LOGIN_LEADER:
                people.leader = User.objects.get(email=LOGIN_LEADER)
            last = _build(school, committee, people, year=year - 1, status=Status.CLOSED, shared=[children])
            made += bool(last)
            last = (
                last
                or Agreement.objects.filter(
                    workplace=school, committee=committee, period_start=dt.date(year - 1, 1, 1)
                ).first()
            )
            made += bool(_build(school, committee, people, year=year, status=Status.ACTIVE, shared=[], start_from=last))
        for workplace, status in zip(others, STATES, strict=False):
            people = _Cast(workplace, committee)
            if None in (people.leader, people.trio, people.chair, people.member):
                continue
            adopts = [children, municipality] if status in (Status.SUBMITTED, Status.APPROVED) else [children]
            year_for = year + 1 if status == Status.SIGNED else year
            made += bool(_build(workplace, committee, people, year=year_for, status=status, shared=adopts))
    counts = {s: Agreement.objects.filter(status=s).count() for s in Status.values}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return [f"Agreements: {len(SHARED)} shared goals, {Agreement.objects.count()} agreements ({summary}); {made} new."]
