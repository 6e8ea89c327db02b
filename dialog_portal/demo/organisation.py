"""Dalby Kommune: a believable, fictional municipality for demos and manual testing.

Everything here is made up: the municipality, its towns, streets, workplaces and people. People's names
combine ordinary Danish first and last names at random (with a fixed seed) and skip a list of combinations
that belong to well-known public figures. All e-mail addresses are on the reserved domain ``dalby.example``.

``build_plan`` is pure data (no ORM): the same input date gives the same plan. ``seed_organisation`` writes
the plan keyed by slug and e-mail, so running it again changes nothing. The other steps beside this module
(in the order of ``DEMO_STEPS`` in the ``seed_demo`` command) share a ``DemoRun`` for people and passwords.
"""

import datetime as dt
import itertools
import os
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from meetings.models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    User,
    Venue,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
    roles_version_bump,
)

SEED = 2026
MUNICIPALITY = "Dalby Kommune"
DEMO_DOMAIN = "dalby.example"
# A published demo password, never a real secret; seed_demo refuses to run with DEBUG off unless forced.
DEFAULT_DEMO_PASSWORD = "demo-dialog-2026"  # noqa: S105
# The council term that began after the local elections in November 2025.
TERM_START = dt.date(2026, 1, 1)

AMR_TITLE = "Arbejdsmiljørepræsentant"
TR_TITLE = "Tillidsrepræsentant"


# --- The municipality as data ---------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictData:
    name: str
    town: str
    postcode: str
    latitude: float
    longitude: float
    streets: tuple[str, ...]


DISTRICTS = (
    DistrictData(
        "Midtbyen", "Dalby", "4000", 55.6410, 11.8120, ("Torvegade", "Rådhusstræde", "Vægtergade", "Møllegade")
    ),
    DistrictData(
        "Dalby Nord", "Dalby", "4000", 55.6580, 11.8050, ("Nørremarksvej", "Kløvervænget", "Lærkebakken", "Hyldevej")
    ),
    DistrictData(
        "Dalby Syd", "Dalby", "4000", 55.6240, 11.8190, ("Søndermarksvej", "Lindealléen", "Rosenvænget", "Pilevej")
    ),
    DistrictData(
        "Kystbyen", "Kystbyen", "4050", 55.6920, 11.7310, ("Strandvejen", "Havnegade", "Fyrvej", "Klitrosestien")
    ),
    DistrictData(
        "Skovlunde", "Skovlunde", "4060", 55.5870, 11.9040, ("Skovbrynet", "Bøgevænget", "Hjortestien", "Granvej")
    ),
    DistrictData("Ådalen", "Åmølle", "4070", 55.6030, 11.6920, ("Åvej", "Møllebakken", "Engdraget", "Kildevej")),
)


@dataclass(frozen=True)
class KindData:
    slug: str
    name: str
    name_plural: str
    seats: tuple[int, int]
    description: str


KINDS = (
    KindData(
        "skole",
        "Skole",
        "Skoler",
        (30, 60),
        "Folkeskole for børn fra 0. til 9. klasse. Vi giver eleverne faglig viden, lyst til at lære "
        "og et trygt fællesskab at vokse op i.",
    ),
    KindData(
        "dagtilbud",
        "Dagtilbud",
        "Dagtilbud",
        (10, 24),
        "Dagtilbud for børn fra 0 til 6 år. Vi skaber trygge rammer for leg, læring og udvikling "
        "– i tæt samarbejde med forældrene.",
    ),
    KindData(
        "sundhedspleje",
        "Sundhedspleje",
        "Sundhedspleje",
        (10, 14),
        "Sundhedsplejen følger børn og familier fra graviditet til skolealderen med hjemmebesøg, "
        "rådgivning og tidlig opsporing.",
    ),
    KindData(
        "ungdomsskole",
        "Ungdomsskole",
        "Ungdomsskoler",
        (20, 40),
        "Ungdomsskolen giver unge fra 13 til 18 år undervisning, fællesskab og fritidsaktiviteter uden for skoletiden.",
    ),
    KindData(
        "fritidscenter",
        "Fritidscenter",
        "Fritidscentre",
        (15, 35),
        "Fritids- og ungdomsklub, hvor børn og unge mødes om aktiviteter og venskaber – et trygt sted "
        "at være efter skole.",
    ),
    KindData(
        "plejecenter",
        "Plejecenter",
        "Plejecentre",
        (16, 40),
        "Plejecentret er hjem for ældre, der har brug for pleje og omsorg døgnet rundt. Vi arbejder for "
        "en hverdag med værdighed, nærvær og fællesskab.",
    ),
    KindData(
        "hjemmepleje",
        "Hjemmepleje",
        "Hjemmepleje",
        (10, 20),
        "Hjemmeplejen hjælper ældre og syge borgere i eget hjem, så de kan klare sig selv og leve det liv, "
        "de ønsker, så længe som muligt.",
    ),
    KindData(
        "sundhedscenter",
        "Sundhedscenter",
        "Sundhedscentre",
        (20, 40),
        "Genoptræning, forebyggelse og sundhedstilbud til borgere med kronisk sygdom eller efter sygdom "
        "og indlæggelse.",
    ),
    KindData(
        "jobcenter",
        "Jobcenter",
        "Jobcentre",
        (25, 60),
        "Jobcentret hjælper ledige og sygemeldte borgere i job eller uddannelse og hjælper virksomhederne "
        "med at finde den arbejdskraft, de mangler.",
    ),
    KindData(
        "bosted",
        "Bosted",
        "Bosteder",
        (10, 16),
        "Bostedet er et hjem for voksne med handicap eller sindslidelse. Vi støtter beboerne i at leve "
        "et så selvstændigt liv som muligt.",
    ),
    KindData(
        "aktivitetstilbud",
        "Aktivitets- og samværstilbud",
        "Aktivitets- og samværstilbud",
        (12, 30),
        "Meningsfulde aktiviteter, fællesskab og struktur i hverdagen for borgere, der har brug for et ekstra netværk.",
    ),
    KindData(
        "rusmiddelcenter",
        "Rusmiddelcenter",
        "Rusmiddelcentre",
        (10, 20),
        "Rådgivning og behandling til borgere med et problematisk forbrug af alkohol eller stoffer "
        "– og støtte til deres pårørende.",
    ),
    KindData(
        "bibliotek",
        "Bibliotek",
        "Biblioteker",
        (20, 50),
        "Biblioteket er et åbent mødested for alle med bøger, viden og arrangementer – og hjælp til "
        "borgere, der har svært ved det digitale.",
    ),
    KindData(
        "musikskole",
        "Musikskole",
        "Musikskoler",
        (20, 40),
        "Musikskolen giver børn og unge mulighed for at lære at spille, synge og optræde sammen med andre.",
    ),
    KindData(
        "kulturhus",
        "Kulturhus",
        "Kulturhuse",
        (30, 60),
        "Kulturhuset lægger rum til koncerter, foreninger, udstillinger og borgernes egne initiativer.",
    ),
    KindData(
        "idraetsanlaeg",
        "Idrætsanlæg",
        "Idrætsanlæg",
        (20, 60),
        "Svømmehal og idrætshaller for skoler, foreninger og borgere – et samlingssted for motion og fællesskab.",
    ),
)


@dataclass(frozen=True)
class CommitteeData:
    code: str
    slug: str
    name: str
    area: str
    weekday: int
    start: dt.time
    minutes: int = 180


COMMITTEES = (
    CommitteeData(
        "BU",
        "boern-og-unge",
        "Børne- og Ungeudvalget",
        "Folkeskoler, dagtilbud for børn fra 0 til 6 år, sundhedspleje, ungdomsskole og fritidstilbud "
        "for børn og unge.",
        Committee.Weekday.TUESDAY,
        dt.time(16, 0),
    ),
    CommitteeData(
        "AS",
        "aeldre-og-sundhed",
        "Ældre- og Sundhedsudvalget",
        "Plejecentre, hjemmepleje, genoptræning, forebyggelse og sundhedsfremme.",
        Committee.Weekday.WEDNESDAY,
        dt.time(15, 30),
    ),
    CommitteeData(
        "BE",
        "beskaeftigelse",
        "Beskæftigelsesudvalget",
        "Jobcentret, indsatsen for ledige og sygemeldte, unges vej til uddannelse og job samt integration.",
        Committee.Weekday.MONDAY,
        dt.time(16, 0),
    ),
    CommitteeData(
        "SH",
        "social-og-handicap",
        "Social- og Handicapudvalget",
        "Bo- og dagtilbud for voksne med handicap eller sindslidelse, socialpsykiatri og rusmiddelbehandling.",
        Committee.Weekday.THURSDAY,
        dt.time(15, 30),
    ),
    CommitteeData(
        "KF",
        "kultur-og-fritid",
        "Kultur- og Fritidsudvalget",
        "Biblioteker, musikskole, kulturhuse, idrætsanlæg og fritidsliv.",
        Committee.Weekday.MONDAY,
        dt.time(15, 30),
    ),
)

# Seven members each (an odd number, as Danish committees usually have): chair, vice-chair, five members.
COMMITTEE_SIZE = 7

# (name, kind, district, committee codes). Four places answer to two committees.
WORKPLACES = (
    # Børne- og Ungeudvalget
    ("Bakkeskolen", "skole", "Dalby Nord", "BU"),
    ("Engskolen", "skole", "Dalby Syd", "BU"),
    ("Kystskolen", "skole", "Kystbyen", "BU"),
    ("Skovlundeskolen", "skole", "Skovlunde", "BU"),
    ("Ådalsskolen", "skole", "Ådalen", "BU"),
    ("Nørremarksskolen", "skole", "Dalby Nord", "BU"),
    ("Søndermarksskolen", "skole", "Dalby Syd", "BU"),
    ("Lindeskolen", "skole", "Midtbyen", "BU"),
    ("Vestre Skole", "skole", "Midtbyen", "BU"),
    ("Fjordskolen", "skole", "Kystbyen", "BU"),
    ("Møllebakkeskolen", "skole", "Ådalen", "BU"),
    ("Børnehuset Mælkebøtten", "dagtilbud", "Dalby Nord", "BU"),
    ("Vuggestuen Myretuen", "dagtilbud", "Dalby Nord", "BU"),
    ("Børnehuset Solstrålen", "dagtilbud", "Dalby Syd", "BU"),
    ("Børnehuset Regnbuen", "dagtilbud", "Midtbyen", "BU"),
    ("Børnehuset Troldehøj", "dagtilbud", "Skovlunde", "BU"),
    ("Børnehuset Spiren", "dagtilbud", "Ådalen", "BU"),
    ("Børnehuset Kastanjen", "dagtilbud", "Midtbyen", "BU"),
    ("Børnehuset Stjernen", "dagtilbud", "Dalby Syd", "BU"),
    ("Naturbørnehaven Skovtrolden", "dagtilbud", "Skovlunde", "BU"),
    ("Børnehuset Havblik", "dagtilbud", "Kystbyen", "BU"),
    ("Børnehuset Kløverengen", "dagtilbud", "Ådalen", "BU"),
    ("Vuggestuen Humlebien", "dagtilbud", "Kystbyen", "BU"),
    ("Sundhedsplejen Dalby", "sundhedspleje", "Midtbyen", "BU"),
    ("Ungdomsskolen Dalby", "ungdomsskole", "Midtbyen", "BU"),
    ("Fritidscentret Kystbyen", "fritidscenter", "Kystbyen", "BU KF"),
    ("Fritidscentret Skovlunde", "fritidscenter", "Skovlunde", "BU KF"),
    # Ældre- og Sundhedsudvalget
    ("Plejecenter Lindegården", "plejecenter", "Midtbyen", "AS"),
    ("Plejecenter Solbakken", "plejecenter", "Dalby Nord", "AS"),
    ("Plejecenter Egehaven", "plejecenter", "Skovlunde", "AS"),
    ("Plejecenter Strandlyst", "plejecenter", "Kystbyen", "AS"),
    ("Plejecenter Bøgely", "plejecenter", "Dalby Syd", "AS"),
    ("Plejecenter Åhusene", "plejecenter", "Ådalen", "AS"),
    ("Plejecenter Rosenhaven", "plejecenter", "Dalby Syd", "AS"),
    ("Hjemmeplejen Nord", "hjemmepleje", "Dalby Nord", "AS"),
    ("Hjemmeplejen Syd", "hjemmepleje", "Dalby Syd", "AS"),
    ("Hjemmeplejen Kyst og Å", "hjemmepleje", "Kystbyen", "AS"),
    ("Sundhedscenter Dalby", "sundhedscenter", "Midtbyen", "AS SH"),
    ("Aktivitetscentret Kastaniehuset", "aktivitetstilbud", "Dalby Nord", "AS"),
    # Beskæftigelsesudvalget
    ("Jobcenter Dalby", "jobcenter", "Midtbyen", "BE"),
    ("Jobcenter Dalby, afdeling Kystbyen", "jobcenter", "Kystbyen", "BE"),
    ("Ungeenheden Dalby", "jobcenter", "Midtbyen", "BE BU"),
    ("Integrationshuset", "jobcenter", "Dalby Syd", "BE"),
    ("Virksomhedscentret Værkstedet", "jobcenter", "Ådalen", "BE"),
    # Social- og Handicapudvalget
    ("Bostedet Kildehøj", "bosted", "Ådalen", "SH"),
    ("Bostedet Skovbrynet", "bosted", "Skovlunde", "SH"),
    ("Botilbuddet Engvang", "bosted", "Dalby Syd", "SH"),
    ("Bostedet Fyrtårnet", "bosted", "Kystbyen", "SH"),
    ("Bofællesskabet Lærkereden", "bosted", "Dalby Nord", "SH"),
    ("Botilbuddet Åhuse", "bosted", "Ådalen", "SH"),
    ("Værestedet Havnen", "aktivitetstilbud", "Kystbyen", "SH"),
    ("Dagcentret Kornmarken", "aktivitetstilbud", "Midtbyen", "SH"),
    ("Rusmiddelcentret Dalby", "rusmiddelcenter", "Midtbyen", "SH"),
    # Kultur- og Fritidsudvalget
    ("Dalby Bibliotek", "bibliotek", "Midtbyen", "KF"),
    ("Kystbyen Bibliotek", "bibliotek", "Kystbyen", "KF"),
    ("Skovlunde Bibliotek", "bibliotek", "Skovlunde", "KF"),
    ("Åmølle Bibliotek", "bibliotek", "Ådalen", "KF"),
    ("Dalby Musikskole", "musikskole", "Midtbyen", "KF"),
    ("Kulturhuset Pakhuset", "kulturhus", "Kystbyen", "KF"),
    ("Dalby Idrætscenter", "idraetsanlaeg", "Dalby Syd", "KF"),
)

# Too small to seat a committee and the secretariat.
SMALL_SEATS = 8
SMALL = {"Vuggestuen Myretuen", "Børnehuset Spiren", "Botilbuddet Åhuse", "Hjemmeplejen Kyst og Å"}
NOT_STEP_FREE = {
    "Vestre Skole",
    "Børnehuset Troldehøj",
    "Bostedet Kildehøj",
    "Kulturhuset Pakhuset",
    "Åmølle Bibliotek",
}
# The municipality's meeting rooms (fictional), where the small workplaces host in a borrowed venue (issue 20):
# (name, district, street and number, seats, north and east of the district's centre in degrees).
VENUES = (
    ("Dalby Nord Medborgerhus", "Dalby Nord", "Kløvervænget 2", 60, 0.002, -0.004),
    ("Åmølle Forsamlingshus", "Ådalen", "Møllebakken 9", 45, -0.003, 0.005),
    ("Kystbyen Borgerhus", "Kystbyen", "Havnegade 1", 50, 0.001, 0.003),
)
# Closed for now: merged into a neighbour, kept for the record.
INACTIVE = {"Vuggestuen Humlebien", "Jobcenter Dalby, afdeling Kystbyen"}
# One leader for both places.
SHARED_LEADERS = (
    ("Børnehuset Mælkebøtten", "Vuggestuen Myretuen"),
    ("Hjemmeplejen Nord", "Hjemmeplejen Syd"),
    ("Dalby Bibliotek", "Skovlunde Bibliotek"),
    ("Kystbyen Bibliotek", "Åmølle Bibliotek"),
    ("Værestedet Havnen", "Dagcentret Kornmarken"),
)
RENOVATIONS = (
    # (workplace, year offset, first (month, day), last (month, day), reason)
    ("Plejecenter Strandlyst", 1, (2, 1), (3, 31), "Renovering af køkken og fællesstue"),
    ("Kulturhuset Pakhuset", 1, (9, 1), (11, 30), "Nyt tag og ombygning af salen"),
)

FIRST_NAMES = (
    # Ordinary, common Danish first names.
    "Anne", "Astrid", "Bente", "Birgitte", "Camilla", "Charlotte", "Dorthe", "Emma", "Gitte", "Hanne",
    "Helene", "Ida", "Jette", "Julie", "Karina", "Kirsten", "Lene", "Line", "Lone", "Louise", "Maja",
    "Malene", "Maria", "Marianne", "Nanna", "Rikke", "Sanne", "Signe", "Sofie", "Stine", "Susanne", "Tina",
    "Trine", "Ulla", "Vibeke", "Winnie",
    "Allan", "Bo", "Brian", "Christian", "Claus", "Dennis", "Erik", "Flemming", "Frank", "Henrik", "Jan",
    "Jesper", "Jonas", "Jørgen", "Kasper", "Kenneth", "Kim", "Kristoffer", "Mads", "Martin", "Michael",
    "Mikkel", "Morten", "Niels", "Ole", "Per", "Poul", "Rasmus", "René", "Simon", "Steen", "Søren",
    "Thomas", "Tobias", "Torben", "Ulrik",
)  # fmt: skip
LAST_NAMES = (
    "Andersen", "Bach", "Berg", "Bertelsen", "Christensen", "Christiansen", "Dahl", "Eriksen", "Friis",
    "Hansen", "Holm", "Jakobsen", "Jensen", "Johansen", "Jørgensen", "Kjeldsen", "Kjær", "Knudsen",
    "Kristensen", "Larsen", "Lauridsen", "Laursen", "Lund", "Madsen", "Mikkelsen", "Mortensen", "Møller",
    "Nielsen", "Nørgaard", "Olsen", "Pedersen", "Petersen", "Poulsen", "Rasmussen", "Schmidt", "Skov",
    "Sørensen", "Thomsen", "Vestergaard", "Østergaard",
)  # fmt: skip
# Combinations that name (or nearly name) well-known Danish politicians, athletes or artists.
KNOWN_FIGURES = frozenset(
    {
        "Brian Mikkelsen", "Christian Eriksen", "Christian Madsen", "Christian Poulsen", "Erik Christensen",
        "Flemming Møller", "Flemming Mortensen", "Henrik Kristensen", "Henrik Larsen", "Jan Jørgensen",
        "Jesper Christensen", "Jesper Petersen", "Jonas Dahl", "Kim Christensen", "Kim Larsen",
        "Mads Mikkelsen", "Mads Pedersen", "Martin Jørgensen", "Martin Laursen", "Michael Jensen",
        "Michael Madsen", "Michael Rasmussen", "Mikkel Hansen", "Morten Olsen", "Morten Østergaard",
        "Niels Petersen", "Per Møller", "Poul Rasmussen", "Simon Kjær", "Sofie Nielsen", "Søren Larsen",
        "Søren Poulsen", "Thomas Jensen", "Torben Hansen", "Ulrik Thomsen",
    }
)  # fmt: skip

# The people to log in as, one per role.
LOGIN_ADMIN = f"sekretariat@{DEMO_DOMAIN}"
LOGIN_CHAIR = f"formand@{DEMO_DOMAIN}"
LOGIN_POLITICIAN = f"politiker@{DEMO_DOMAIN}"
LOGIN_LEADER = f"leder@{DEMO_DOMAIN}"
LOGIN_TRIO = f"trio@{DEMO_DOMAIN}"
DEMO_SCHOOL = "Bakkeskolen"


# --- The plan: pure data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPlan:
    email: str
    full_name: str
    is_staff: bool = False


@dataclass(frozen=True)
class WorkplacePlan:
    slug: str
    name: str
    kind: str
    district: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    seats: int
    step_free: bool
    is_active: bool
    description: str
    committees: tuple[str, ...]


@dataclass(frozen=True)
class VenuePlan:
    slug: str
    name: str
    district: str
    address: str
    latitude: Decimal
    longitude: Decimal
    seats: int


@dataclass(frozen=True)
class MembershipPlan:
    email: str
    committee: str  # slug
    role: str
    start_date: dt.date


@dataclass(frozen=True)
class WorkplaceRolePlan:
    email: str
    workplace: str  # slug
    role: str
    title: str
    start_date: dt.date


@dataclass(frozen=True)
class BlackoutPlan:
    workplace: str  # slug
    first_day: dt.date
    last_day: dt.date
    reason: str


@dataclass(frozen=True)
class LoginPlan:
    role: str
    email: str


@dataclass
class Plan:
    workplaces: list[WorkplacePlan]
    people: list[PersonPlan]
    memberships: list[MembershipPlan]
    workplace_roles: list[WorkplaceRolePlan]
    blackouts: list[BlackoutPlan]
    logins: list[LoginPlan]
    venues: list[VenuePlan] = field(default_factory=list)


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def demo_slug(text: str) -> str:
    """A readable ASCII slug: 'Børnehuset Mælkebøtten' -> 'boernehuset-maelkeboetten'."""
    return slugify(text.translate(_DANISH))


def _email(full_name: str) -> str:
    return ".".join(demo_slug(part) for part in full_name.split()) + f"@{DEMO_DOMAIN}"


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    """The last given weekday (Monday=0) of a month."""
    day = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def holiday_blackouts(kind: str, year: int) -> list[tuple[dt.date, dt.date, str]]:
    """The usual closures of a kind of workplace in one year, as (first day, last day, reason)."""
    week = dt.date.fromisocalendar
    christmas = (dt.date(year, 12, 21), dt.date(year + 1, 1, 3), "Juleferie")
    if kind == "skole":
        return [
            # From the last Saturday in June, six weeks and two days.
            (_last_weekday(year, 6, 5), _last_weekday(year, 6, 5) + dt.timedelta(days=43), "Sommerferie"),
            (week(year, 42, 1), week(year, 42, 7), "Efterårsferie"),
            christmas,
        ]
    if kind == "dagtilbud":
        return [
            (week(year, 28, 1), week(year, 30, 5), "Sommerlukning (uge 28–30)"),
            (dt.date(year, 12, 24), dt.date(year + 1, 1, 1), "Julelukning"),
        ]
    if kind in {"ungdomsskole", "fritidscenter", "musikskole"}:
        return [(week(year, 28, 1), week(year, 31, 7), "Sommerferie"), christmas]
    if kind == "bibliotek":
        return [
            (dt.date(year, 12, 24), dt.date(year, 12, 26), "Lukket i julen"),
            (dt.date(year, 12, 31), dt.date(year + 1, 1, 1), "Lukket nytårsaften og nytårsdag"),
        ]
    return []


def _people_names(rng: random.Random, count: int) -> list[str]:
    combos = [f"{first} {last}" for first, last in itertools.product(FIRST_NAMES, LAST_NAMES)]
    return rng.sample([name for name in combos if name not in KNOWN_FIGURES], count)


def build_plan(*, today: dt.date) -> Plan:
    """The whole demo organisation. Only the blackout years and start dates depend on ``today``."""
    rng = random.Random(SEED)
    districts = {d.name: d for d in DISTRICTS}
    kinds = {k.slug: k for k in KINDS}
    committees = {c.code: c for c in COMMITTEES}

    workplaces = []
    for name, kind_slug, district_name, codes in WORKPLACES:
        district, kind = districts[district_name], kinds[kind_slug]
        street = rng.choice(district.streets)
        number = rng.randint(1, 140)
        seats = rng.randint(*kind.seats)
        has_coordinates = rng.random() > 0.1
        lat = district.latitude + rng.uniform(-0.012, 0.012)
        lon = district.longitude + rng.uniform(-0.02, 0.02)
        workplaces.append(
            WorkplacePlan(
                slug=demo_slug(name),
                name=name,
                kind=kind_slug,
                district=district_name,
                address=f"{street} {number}, {district.postcode} {district.town}",
                latitude=_coordinate(lat) if has_coordinates else None,
                longitude=_coordinate(lon) if has_coordinates else None,
                seats=SMALL_SEATS if name in SMALL else seats,
                step_free=name not in NOT_STEP_FREE,
                is_active=name not in INACTIVE,
                description=kind.description,
                committees=tuple(committees[code].slug for code in codes.split()),
            )
        )
    venues = [
        VenuePlan(
            slug=demo_slug(name),
            name=name,
            district=district_name,
            address=f"{street}, {districts[district_name].postcode} {districts[district_name].town}",
            latitude=_coordinate(districts[district_name].latitude + north),
            longitude=_coordinate(districts[district_name].longitude + east),
            seats=seats,
        )
        for name, district_name, street, seats, north, east in VENUES
    ]
    by_name = {w.name: w for w in workplaces}

    leader_groups: list[list[WorkplacePlan]] = []
    shared = {name: group for group in SHARED_LEADERS for name in group}
    seen: set[str] = set()
    for workplace in workplaces:
        if workplace.name in seen:
            continue
        group = shared.get(workplace.name, (workplace.name,))
        seen.update(group)
        leader_groups.append([by_name[n] for n in group])

    politician_count = 30
    names = iter(_people_names(rng, 1 + politician_count + len(leader_groups) + 2 * len(workplaces)))
    people: list[PersonPlan] = [PersonPlan(LOGIN_ADMIN, next(names), is_staff=True)]

    # Politicians: each committee gets its own six, plus a member of the next committee who sits on both.
    politicians = [PersonPlan(_email(n), n) for n in itertools.islice(names, politician_count)]
    politicians[0] = PersonPlan(LOGIN_CHAIR, politicians[0].full_name)
    politicians[2] = PersonPlan(LOGIN_POLITICIAN, politicians[2].full_name)
    people.extend(politicians)
    term_start = min(TERM_START, today)
    memberships = []
    own = politician_count // len(COMMITTEES)
    for i, committee in enumerate(COMMITTEES):
        block = politicians[i * own : (i + 1) * own]
        guest = politicians[((i + 1) * own) % politician_count + 2]
        roster = [*block, guest][:COMMITTEE_SIZE]
        for position, person in enumerate(roster):
            role = {0: CommitteeMembership.Role.CHAIR, 1: CommitteeMembership.Role.VICE_CHAIR}.get(
                position, CommitteeMembership.Role.MEMBER
            )
            memberships.append(MembershipPlan(person.email, committee.slug, role, term_start))

    def started(first_year: int) -> dt.date:
        return min(dt.date(rng.randint(first_year, 2025), rng.randint(1, 12), 1), today)

    roles = []
    for group in leader_groups:
        name = next(names)
        leader = PersonPlan(LOGIN_LEADER if group[0].name == DEMO_SCHOOL else _email(name), name)
        people.append(leader)
        since = started(2010)
        roles.extend(WorkplaceRolePlan(leader.email, w.slug, WorkplaceRole.Role.LEADER, "", since) for w in group)
    for workplace in workplaces:
        for title in (AMR_TITLE, TR_TITLE):
            name = next(names)
            is_demo_trio = workplace.name == DEMO_SCHOOL and title == TR_TITLE
            person = PersonPlan(LOGIN_TRIO if is_demo_trio else _email(name), name)
            people.append(person)
            roles.append(WorkplaceRolePlan(person.email, workplace.slug, WorkplaceRole.Role.TRIO, title, started(2016)))

    blackouts = []
    for year in (today.year, today.year + 1):
        for workplace in workplaces:
            if workplace.is_active:
                blackouts.extend(
                    BlackoutPlan(workplace.slug, first, last, reason)
                    for first, last, reason in holiday_blackouts(workplace.kind, year)
                )
    for name, offset, (m1, d1), (m2, d2), reason in RENOVATIONS:
        year = today.year + offset
        blackouts.append(BlackoutPlan(by_name[name].slug, dt.date(year, m1, d1), dt.date(year, m2, d2), reason))

    bu = COMMITTEES[0].name
    logins = [
        LoginPlan("Administrator (secretariat)", LOGIN_ADMIN),
        LoginPlan(f"Chair, {bu}", LOGIN_CHAIR),
        LoginPlan(f"Politician, {bu} and {COMMITTEES[-1].name}", LOGIN_POLITICIAN),
        LoginPlan(f"Workplace leader, {DEMO_SCHOOL}", LOGIN_LEADER),
        LoginPlan(f"Trio member ({TR_TITLE}), {DEMO_SCHOOL}", LOGIN_TRIO),
    ]
    return Plan(workplaces, people, memberships, roles, blackouts, logins, venues)


# --- Writing it ------------------------------------------------------------------------------------


@dataclass
class DemoLogin:
    role: str
    email: str
    full_name: str


@dataclass
class DemoRun:
    """What the demo steps of one ``seed_demo`` run share: the password rule, a tally of what
    changed, and the logins to print at the end."""

    password: str = DEFAULT_DEMO_PASSWORD
    reset_passwords: bool = False
    today: dt.date = field(default_factory=timezone.localdate)
    logins: list[DemoLogin] = field(default_factory=list)
    tally: Counter = field(default_factory=Counter)
    _password_hash: str = ""

    @classmethod
    def from_env(cls, *, reset_passwords: bool = False) -> "DemoRun":
        return cls(password=os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD, reset_passwords=reset_passwords)

    def password_hash(self) -> str:
        # Hashed once and shared: a couple of hundred people with the same demo password would
        # otherwise cost minutes of key stretching. They share the password anyway.
        if not self._password_hash:
            self._password_hash = make_password(self.password)
        return self._password_hash

    def upsert(self, model: type[models.Model], *, lookup: dict, values: dict, create_only: dict | None = None):
        """Get or create by ``lookup``; bring ``values`` up to date, saving only what differs."""
        obj, created = model.objects.get_or_create(**lookup, defaults={**values, **(create_only or {})})
        label = model._meta.label
        if created:
            self.tally["created", label] += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            self.tally["updated", label] += 1
        return obj

    def person(self, *, email: str, full_name: str, **fields) -> User:
        """A demo person. The demo password is set only where there is no usable password yet
        (or with ``reset_passwords``), so a password someone has changed survives a new run."""
        user = self.upsert(User, lookup={"email": email}, values={"full_name": full_name, **fields})
        has_password = bool(user.password) and user.has_usable_password()
        if (self.reset_passwords or not has_password) and user.password != self.password_hash():
            user.password = self.password_hash()
            user.save(update_fields=["password"])
            self.tally["set the demo password of", User._meta.label] += 1
        return user

    def changes(self) -> str:
        """What this run changed, in English whatever the active language: 'created 5 committees, …'."""
        if not self.tally:
            return "nothing changed"
        with translation.override("en"):
            return ", ".join(
                f"{action} {count} {self._plural(label)}" for (action, label), count in sorted(self.tally.items())
            )

    @staticmethod
    def _plural(label: str) -> str:
        try:
            return str(apps.get_model(label)._meta.verbose_name_plural)
        except (LookupError, ValueError):
            return label


def seed_organisation(*, stdout=None, demo: DemoRun | None = None) -> list[str]:
    """Create or update Dalby Kommune: districts, kinds, committees, workplaces, people, their roles
    and blackouts. Idempotent; returns the lines to print at the end."""
    demo = demo or DemoRun.from_env()
    plan = build_plan(today=demo.today)
    if stdout:
        stdout.write(f"Seeding {MUNICIPALITY} …")
    with transaction.atomic():
        districts = {d.name: demo.upsert(District, lookup={"name": d.name}, values={}) for d in DISTRICTS}
        kinds = {
            k.slug: demo.upsert(
                WorkplaceKind, lookup={"slug": k.slug}, values={"name": k.name, "name_plural": k.name_plural}
            )
            for k in KINDS
        }
        committees = {
            c.slug: demo.upsert(
                Committee,
                lookup={"slug": c.slug},
                values={
                    "name": c.name,
                    "area": c.area,
                    "meeting_weekday": c.weekday,
                    "meeting_start": c.start,
                    "meeting_minutes": c.minutes,
                    "is_active": True,
                },
            )
            for c in COMMITTEES
        }
        workplaces = {}
        for w in plan.workplaces:
            workplace = demo.upsert(
                Workplace,
                lookup={"slug": w.slug},
                values={
                    "name": w.name,
                    "kind": kinds[w.kind],
                    "district": districts[w.district],
                    "address": w.address,
                    "latitude": w.latitude,
                    "longitude": w.longitude,
                    "seats": w.seats,
                    "step_free": w.step_free,
                    "is_active": w.is_active,
                    "description": w.description,
                },
            )
            wanted = {committees[slug].pk for slug in w.committees}
            before = set(workplace.committees.values_list("pk", flat=True))
            if before != wanted:
                workplace.committees.set(wanted)
                if before:
                    demo.tally["changed the committees of", Workplace._meta.label] += 1
            workplaces[w.slug] = workplace

        people = {
            p.email: demo.person(email=p.email, full_name=p.full_name, is_staff=p.is_staff, is_superuser=p.is_staff)
            for p in plan.people
        }

        # The demo's chairs and vice-chairs take their seats; anyone else holding one steps down to member.
        for m in plan.memberships:
            if m.role != CommitteeMembership.Role.MEMBER:
                CommitteeMembership.objects.filter(
                    committee=committees[m.committee], role=m.role, end_date__isnull=True
                ).exclude(user=people[m.email]).update(role=CommitteeMembership.Role.MEMBER)
                roles_version_bump()  # an update sends no signals: the cached roles are out of date
        for m in plan.memberships:
            demo.upsert(
                CommitteeMembership,
                lookup={"user": people[m.email], "committee": committees[m.committee], "end_date": None},
                values={"role": m.role},
                create_only={"start_date": m.start_date},
            )
        for r in plan.workplace_roles:
            demo.upsert(
                WorkplaceRole,
                lookup={
                    "user": people[r.email],
                    "workplace": workplaces[r.workplace],
                    "role": r.role,
                    "end_date": None,
                },
                values={"title": r.title},
                create_only={"start_date": r.start_date},
            )
        for b in plan.blackouts:
            demo.upsert(
                Blackout,
                lookup={"workplace": workplaces[b.workplace], "first_day": b.first_day, "last_day": b.last_day},
                values={"reason": b.reason},
            )
        for v in plan.venues:
            demo.upsert(
                Venue,
                lookup={"slug": v.slug},
                values={
                    "name": v.name,
                    "district": districts[v.district],
                    "address": v.address,
                    "latitude": v.latitude,
                    "longitude": v.longitude,
                    "seats": v.seats,
                    "step_free": True,
                    "is_active": True,
                },
            )

    demo.logins.extend(DemoLogin(login.role, login.email, people[login.email].full_name) for login in plan.logins)
    return [
        f"{MUNICIPALITY}: {len(COMMITTEES)} committees, {len(plan.workplaces)} workplaces "
        f"({len(KINDS)} kinds, {len(DISTRICTS)} districts), {len(plan.people)} people "
        f"({len({m.email for m in plan.memberships})} politicians, "
        f"{len({r.email for r in plan.workplace_roles if r.role == WorkplaceRole.Role.LEADER})} leaders, "
        f"{sum(r.role == WorkplaceRole.Role.TRIO for r in plan.workplace_roles)} trio members, 1 administrator), "
        f"{len(plan.blackouts)} blackout periods, {len(plan.venues)} venues.",
    ]
