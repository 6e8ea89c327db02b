"""Demo data for the codex of trust: version 1 published and mostly signed, a draft version 2,
three mirror questions with anonymous answers. Idempotent: a second run changes nothing."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from codex import selectors, services
from codex.models import (
    AnswerReceipt,
    CodexPrinciple,
    CodexSection,
    CodexValue,
    CodexVersion,
    MirrorAnswer,
    MirrorQuestion,
    OccasionKind,
    SignatureEvent,
)
from meetings.models import Committee, CommitteeMembership, User

TITLE = "Kodeks for tillid"
INTRODUCTION = (
    "Kodekset er spillereglerne mellem byrådets politikere, forvaltningens øverste ledelse og "
    "kommunens ledere og medarbejdere. Det skal give mere tid til kerneopgaven og mere arbejdsglæde, "
    "fordi vi styrer efter tydelige hensigter og måler på effekter – ikke på processer.\n\n"
    "Jo færre styringskrav, jo flere kræfter kan ledere og medarbejdere bruge på borgerne."
)
SECTIONS = [
    (
        "Politikerne sætter rammerne",
        [
            (
                "Vi beslutter de store mål og giver slip på detaljen",
                "Byrådet og udvalgene fastlægger de overordnede politiske og faglige mål. Inden for dem får "
                "ledere og medarbejdere så stort et lokalt handlerum som muligt til at bruge deres faglighed.",
            ),
            (
                "Vi holder kun de strategier og planer, der kan forsvares",
                "Vi gennemgår jævnligt kommunens strategier, planer og politikker og beholder en kort "
                "*positivliste*. Krav, der ikke gør en forskel for borgerne, foreslås forenklet eller afskaffet.",
            ),
            (
                "Vi løser enkeltsager lokalt",
                "Når en sag rammer pressen, undersøger vi problemets omfang og hjælper lederen, hvor det opstod. "
                "En enkeltsag bliver ikke til en ny regel for alle.",
            ),
        ],
    ),
    (
        "Forvaltningen gennemfører",
        [
            (
                "Effekter frem for procesmål",
                "Forvaltningen vælger få faglige pejlemærker og effektmål, der viser, hvad der ændrer sig for "
                "borgerne – ikke hvor mange skemaer der er udfyldt.",
            ),
            (
                "Hjælp til de lokale ledere",
                "En leder, der står med en faglig eller ledelsesmæssig udfordring, kan altid hente hjælp – hos en "
                "faglig referenceperson, en HR-partner eller i centeret – og har pligt til at gøre det i tide.",
            ),
            (
                "Et tillidsrum, der passer til opgaven",
                "Faglige, økonomiske og juridiske hensyn sætter grænser, der varierer fra opgave til opgave. "
                "Topledelsen holder grænserne så små som muligt.",
            ),
            (
                "Plads til forskellige synspunkter",
                "Vi belyser sager fra flere sider og anerkender uenighed. Det giver bedre beslutninger og "
                "styrker fagligheden.",
            ),
        ],
    ),
    (
        "Ledere og medarbejdere tager ansvar",
        [
            (
                "Ansvar for kerneopgaven",
                "Medarbejdere og ledere tager ansvar for kerneopgaven og udvikler sammen velfærden til gavn for "
                "borgerne. Udviklingen forankres i de lokale enheder.",
            ),
            (
                "Åbenhed om det, der ikke lykkes",
                "Vi fortæller også om fejl og udfordringer, når vi mødes med politikerne. Det, der siges i et "
                "dialogmøde, bruges til at blive klogere – ikke i en valgkamp.",
            ),
        ],
    ),
]
VALUES = ["Sandhed", "Faglighed", "Åbenhed om fejl", "Udvikling", "Samarbejde"]
MIRROR_QUESTIONS = [
    "Jeg kunne tale åbent om fejl og udfordringer",
    "Vi talte om effekter for borgerne, ikke om procesmål",
    "Jeg oplevede tillid mellem politikere og arbejdsplads",
]
# About one in eight who must sign has not yet; the demo politician login is among them.
UNSIGNED_SHARE = 8
UNSIGNED_LOGINS = {"politiker@"}


def _write(draft: CodexVersion, sections, values) -> None:
    for order, (title, principles) in enumerate(sections, start=1):
        section = CodexSection.objects.create(version=draft, order=order, title=title)
        for p_order, (heading, text) in enumerate(principles, start=1):
            CodexPrinciple.objects.create(section=section, order=p_order, heading=heading, text=text)
    for order, name in enumerate(values, start=1):
        CodexValue.objects.create(version=draft, order=order, name=name)


def seed_codex(*, stdout=None, demo=None, **kwargs) -> list[str]:
    """Publish version 1, sign it for most people, write a draft version 2 and mirror answers."""
    today = getattr(demo, "today", None) or timezone.localdate()
    admin = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if admin is None:
        return ["Codex: no administrator yet; run the organisation step first."]
    if stdout:
        stdout.write("Seeding the codex of trust …")
    with transaction.atomic():
        v1 = CodexVersion.objects.filter(number=1).first()
        if v1 is None:
            v1 = services.codex_version_create(actor=admin, title=TITLE, introduction=INTRODUCTION)
            _write(v1, SECTIONS, VALUES)
        if not v1.is_published:
            v1 = services.codex_version_publish(
                version=v1,
                actor=admin,
                change_kind=CodexVersion.ChangeKind.MATERIAL,
                published_on=today - dt.timedelta(days=90),
                notify=False,  # the demo does not e-mail a whole municipality
            )
        signed = _sign_most(v1)
        v2 = CodexVersion.objects.filter(number=2).first()
        if v2 is None:
            v2 = services.codex_version_revise(version=v1, actor=admin)
            principle = CodexPrinciple.objects.filter(section__version=v2, heading="Åbenhed om det, der ikke lykkes")
            principle.update(
                text="Vi fortæller også om fejl og udfordringer, når vi mødes med politikerne. Det, der siges i et "
                "dialogmøde eller et besøg, bruges til at blive klogere – aldrig i en valgkamp eller mod den enkelte."
            )
        answers = _mirror(v1, today)
    missing = selectors.people_still_to_sign(v1).count()
    return [
        f"Codex: version 1 published ({signed} signatures, {missing} still to sign), "
        f"draft version {v2.number}, {answers} mirror answers."
    ]


def _sign_most(version: CodexVersion) -> int:
    people = list(selectors.people_who_must_sign(version).order_by("email"))
    already = set(SignatureEvent.objects.active().filter(version=version).values_list("person_id", flat=True))
    for index, person in enumerate(people):
        if person.pk in already or index % UNSIGNED_SHARE == UNSIGNED_SHARE - 1:
            continue
        if any(person.email.startswith(prefix) for prefix in UNSIGNED_LOGINS):
            continue
        services.codex_sign(person=person, version=version, typed_name=person.full_name, has_read=True)
    return SignatureEvent.objects.active().filter(version=version).count()


def _mirror(version: CodexVersion, today: dt.date) -> int:
    questions = list(MirrorQuestion.objects.all())
    if not questions:
        questions = [
            MirrorQuestion.objects.create(version=version, text=text, order=order)
            for order, text in enumerate(MIRROR_QUESTIONS, start=1)
        ]
    if MirrorAnswer.objects.exists():
        return MirrorAnswer.objects.count()
    rng = random.Random(2026)
    quarters = [selectors.quarter_start(today - dt.timedelta(days=91 * back)) for back in (3, 2, 1, 0)]
    for committee in Committee.objects.active():
        members = list(
            CommitteeMembership.objects.current().filter(committee=committee).select_related("user").order_by("pk")
        )
        for q_index, quarter in enumerate(quarters):
            # The latest quarter has few answers so far: the page shows that they are held back.
            participants = members[:3] if q_index == len(quarters) - 1 else members[:7]
            # A year of fictional answers, written as the service writes them (a receipt apart from the scores)
            # but not through it: the service asks for a real meeting that has taken place.
            for person in [m.user for m in participants]:
                _receipt, created = AnswerReceipt.objects.get_or_create(
                    person=person, occasion_key=f"demo:{committee.slug}:{quarter.isoformat()}"
                )
                if not created:
                    continue
                answers = [
                    MirrorAnswer(
                        question=q,
                        committee=committee,
                        occasion_kind=OccasionKind.MEETING,
                        quarter=quarter,
                        score=min(5, max(1, round(rng.gauss(3.4 + q_index * 0.3, 0.8)))),
                    )
                    for q in questions
                ]
                rng.shuffle(answers)
                MirrorAnswer.objects.bulk_create(answers)
    return MirrorAnswer.objects.count()
