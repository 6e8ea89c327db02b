"""Bad input on every form of the portal (issue 8): hostile values never cause a 500, a refused form comes back
with what was typed and explains itself in Danish, and what is stored never comes back as markup that runs.

Each form is reached through its real view by a person allowed to use it. Hypothesis corrupts a random set of
its fields (the others keep a valid value), so both refusals and stored hostile values are tried. Every example
runs inside a savepoint that is rolled back, so each starts from the same data.
"""

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.messages import constants as message_levels
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import FollowUp, Status
from codex.models import CodexVersion, MirrorQuestion
from meetings.models import Meeting, MeetingDate, Visit, WorkplaceTie
from meetings.workdays import add_working_days
from tests import factories
from tests.agreements.conftest import GOAL, make_agreement
from tests.codex.conftest import publish, write_draft

from . import figures
from .hostile import OMIT, PAYLOADS, hostile, is_danish, is_english_msgid, runnable_in, text

pytestmark = pytest.mark.django_db

EXAMPLES = 10  # per form; the whole file stays around a minute on SQLite
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs in CI every run; nothing written to the checkout
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
TALLY = Counter()  # examples tried, refused and stored, over the module
TEXT_WIDGETS = ("textinput", "textarea", "dateinput", "timeinput", "datetimeinput", "numberinput", "urlinput")


# --- The forms ------------------------------------------------------------------------------------------------------


@dataclass
class Drill:
    """One form reached through its view: who uses it, where, a valid submission and the kinds of its fields."""

    name: str
    form: str  # the form class, for the count of forms covered
    actor: str  # a member of the cast
    setup: Callable  # (cast) -> world, a dict
    url: Callable  # (world) -> str
    valid: Callable  # (world) -> dict of a submission that is accepted
    fields: dict  # field name -> kind (see hostile.KINDS)
    shows: Callable = lambda w: []  # (world) -> [(cast member, url)]: pages that show what was stored
    shown: str = ""  # a text field whose stored value is shown on those pages
    method: str = "post"
    refusal: str = "form"  # "form": the form comes back; "message": a redirect with an error message
    refused_status: tuple = (200,)
    form_key: str = "form"
    files: dict = field(default_factory=dict)  # file fields: name -> kind of content


PEOPLE_HEADER = "email,full_name,role,committee,committee_role,workplace"


def _w_raises(cast):
    """Files that would make the trio member an administrator, kept as the import page keeps them."""
    from meetings.imports import RightsRaiseNotConfirmed, organisation_import

    files = {"people": ("people.csv", f"{PEOPLE_HEADER}\n{cast.trio.email},{cast.trio.full_name},administrator,,,\n")}
    files = {kind: (name, text.encode()) for kind, (name, text) in files.items()}
    preview = organisation_import(**files, dry_run=True)
    refused = RightsRaiseNotConfirmed(preview.raises, preview)
    return {"files": files, "refused": refused, "admin": cast.administrator, "token": "drill-kept-files-0123456789"}


def _raises_submission(w) -> dict:
    from meetings.import_views import STASH_SECONDS, _stash_key

    # Kept again before every example: each example ends by clearing the cache.
    kept = {"files": w["files"], "invite": False, "refused": w["refused"]}
    cache.set(_stash_key(w["admin"], w["token"]), kept, STASH_SECONDS)
    return {"stash": w["token"], "fingerprint": w["refused"].fingerprint, "confirm_raises": "on"}


def _cast_day(days=14):
    return factories.next_weekday_at(10, days_ahead=days)


def _w_question(cast):
    from meetings.questions import services as question_services

    asked = question_services.question_ask(
        actor=cast.member,
        committee=cast.committee,
        workplaces=[cast.workplace],
        text="Hvordan går det med at skaffe pædagoger?",
        no_individual_case=True,
    )
    return {"question": asked[0]}


def _w_slot(cast):
    return {"slot": factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)}


def _w_visit(cast):
    from tests.meetings.visits.conftest import book

    world = _w_slot(cast)
    world["visit"] = book(world["slot"], cast.member)
    world["later"] = factories.VisitSlotFactory(
        workplace=cast.workplace, starts_at=factories.working_days_after(world["slot"].starts_at, 2)
    )
    return world


def _w_over(cast):
    """A confirmed visit that is over and that nobody has yet said was held."""
    world = _w_visit(cast)
    past = timezone.now() - dt.timedelta(days=3)
    Visit.objects.filter(pk=world["visit"].pk).update(
        status=Visit.Status.CONFIRMED, starts_at=past, ends_at=past + dt.timedelta(hours=1)
    )
    return world


def _w_held(cast):
    world = _w_over(cast)
    Visit.objects.filter(pk=world["visit"].pk).update(status=Visit.Status.HELD)
    version = publish(cast.administrator, write_draft(cast.administrator))
    world["question"] = MirrorQuestion.objects.create(version=version, text="Vi lyttede til hinanden.")
    from codex.services import codex_sign

    for person in (cast.member, cast.leader):
        codex_sign(person=person, version=version, typed_name=person.full_name, has_read=True)
    return world


def _w_rotation(cast):
    from meetings.rotation import services

    year = timezone.localdate().year + 1
    for n in range(5):
        workplace = factories.WorkplaceFactory(slug=f"sted-{n}", name=f"Sted {n}", committees=[cast.committee])
        factories.WorkplaceRoleFactory(workplace=workplace, user=factories.UserFactory(email=f"leder{n}@dalby.example"))
    plan = services.rotation_plan_draft(committee=cast.committee, year=year, actor=cast.administrator)
    return {"year": year, "plan": plan}


def _w_swap(cast):
    world = _w_rotation(cast)
    first, second = world["plan"].meetings.filter(host__isnull=False).order_by("date")[:2]
    world.update(planned=first, other_host=second.host)
    return world


def _w_guest(cast):
    world = _w_rotation(cast)
    plan = world["plan"]
    for to in plan.meetings.filter(host__isnull=False).order_by("date"):
        guests = set(to.guests.values_list("pk", flat=True))
        candidates = [w for w in plan.committee.workplaces.all() if w.pk != to.host_id and w.pk not in guests]
        if candidates:
            world.update(to=to, guest=candidates[0])
            return world
    raise AssertionError("no guest to move")


def _w_meeting(cast, *, past=False, held=True):
    from meetings.rotation import services

    world = _w_rotation(cast)
    services.rotation_plan_publish(plan=world["plan"], actor=cast.administrator)
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    if past:
        start = timezone.now() - dt.timedelta(days=2)
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=start, ends_at=start + dt.timedelta(hours=3), outcome="held" if held else ""
        )
        meeting.refresh_from_db()
    world["meeting"] = meeting
    return world


def _w_codex(cast):
    return {"version": publish(cast.administrator, write_draft(cast.administrator))}


def _w_codex_draft(cast):
    from codex import services

    world = _w_codex(cast)
    world["draft"] = services.codex_version_revise(version=world["version"], actor=cast.administrator)
    return world


def _w_admin_add(cast):
    """The management forms of the admin's inlines, as the add page gives them."""
    from django.test import Client

    browser = Client()
    browser.force_login(cast.administrator)
    page = browser.get(reverse("admin:codex_codexversion_add")).content.decode()
    management = dict(re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"', page))
    assert management, "no inline management forms on the admin page"
    return {"management": management}


def _latest_version_page(w):
    return reverse("codex:version-detail", args=[CodexVersion.objects.order_by("-number").first().number])


def _w_agreement(status, goals=2):
    def setup(cast):
        agreement = make_agreement(cast, status, goals=goals)
        return {"agreement": agreement, "goals": list(agreement.goals.order_by("order"))}

    return setup


def _agreement_page(w):
    return w["agreement"].get_absolute_url()


def _meeting_pages(*people):
    return lambda w: [(p, reverse("meetings:meeting-detail", args=[w["meeting"].pk])) for p in people]


def _visit_pages(*people):
    return lambda w: [(p, reverse("meetings:visit-detail", args=[w["visit"].pk])) for p in people]


def _w_matter_date(cast):
    day = TODAY() + dt.timedelta(days=60)
    meeting_date = MeetingDate.objects.create(committee=cast.committee, date=day, start=dt.time(16))
    return {
        "committee": cast.committee,
        "meeting_date": meeting_date,
        "workplace": cast.workplace,
        "deadline": add_working_days(TODAY(), 12),
    }


def _iso(day):
    return day.isoformat()


TODAY = timezone.localdate
YEAR_START = lambda: dt.date(TODAY().year, 1, 1)  # noqa: E731
YEAR_END = lambda: dt.date(TODAY().year, 12, 31)  # noqa: E731
GOAL_FIELDS = ("title", "baseline", "aim", "indicator", "actions", "evaluation", "target", "milestones")

DRILLS = [
    # meetings/forms.py
    Drill(
        "workplace-filter",
        "WorkplaceFilterForm",
        "member",
        setup=lambda cast: {},
        url=lambda w: reverse("meetings:workplace-list"),
        valid=lambda w: {"q": "Sol"},
        fields={"q": "text", "committee": "choice", "kind": "choice", "district": "choice"},
        method="get",
    ),
    # meetings/visits/forms.py
    Drill(
        "visit-finder",
        "VisitFinderForm",
        "member",
        setup=lambda cast: {},
        url=lambda w: reverse("meetings:visit-finder"),
        valid=lambda w: {"q": "Sol", "sort": "name"},
        fields={
            "q": "text",
            "committee": "choice",
            "kind": "choice",
            "district": "choice",
            "free_from": "date",
            "free_to": "date",
            "not_visited": "bool",
            "sort": "choice",
        },
        method="get",
    ),
    Drill(
        "visit-book",
        "VisitBookForm",
        "member",
        setup=_w_slot,
        url=lambda w: reverse("meetings:visit-create", args=[w["slot"].pk]),
        valid=lambda w: {"purpose": "Se sprogarbejdet"},
        fields={"purpose": "text", "colleague": "choice", "tie_seen": "bool"},
        shows=lambda w: [("leader", reverse("meetings:visit-offer-list", args=["solsikken"]))],
        shown="purpose",
    ),
    Drill(
        "visit-offer",
        "VisitOfferForm",
        "leader",
        setup=lambda cast: {},
        url=lambda w: reverse("meetings:visit-offer-create", args=["solsikken"]),
        valid=lambda w: {
            "kind": "single",
            "starts_at": _cast_day().strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (_cast_day() + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "slot_minutes": "60",
            "min_politicians": "1",
            "max_politicians": "4",
            "topics": "Legepladsen",
            "practical_notes": "Hovedindgangen",
        },
        fields={
            "kind": "choice",
            "starts_at": "datetime",
            "ends_at": "datetime",
            "weekday": "choice",
            "start_time": "time",
            "end_time": "time",
            "first_day": "date",
            "last_day": "date",
            "slot_minutes": "int",
            "min_politicians": "int",
            "max_politicians": "int",
            "topics": "text",
            "practical_notes": "text",
        },
        shows=lambda w: [
            ("leader", reverse("meetings:visit-offer-list", args=["solsikken"])),
            ("member", reverse("meetings:visit-slot-list", args=["solsikken"])),
        ],
        shown="topics",
    ),
    Drill(
        "visit-settings",
        "VisitSettingsForm",
        "leader",
        setup=lambda cast: {},
        url=lambda w: reverse("meetings:visit-settings-update", args=["solsikken"]),
        valid=lambda w: {
            "auto_confirm": "on",
            "monthly_cap": "3",
            "booking_notice_days": "2",
            "cancel_notice_days": "1",
        },
        fields={
            "auto_confirm": "bool",
            "monthly_cap": "int",
            "booking_notice_days": "int",
            "cancel_notice_days": "int",
        },
        refusal="message",
    ),
    Drill(
        "visit-decline",
        "ReasonForm",
        "leader",
        setup=_w_visit,
        url=lambda w: reverse("meetings:visit-decline", args=[w["visit"].pk]),
        valid=lambda w: {"reason": "Lukket for besøg"},
        fields={"reason": "text"},
        shows=_visit_pages("leader", "member"),
        shown="reason",
    ),
    Drill(
        "visit-cancel",
        "ReasonForm",
        "member",
        setup=_w_visit,
        url=lambda w: reverse("meetings:visit-cancel", args=[w["visit"].pk]),
        valid=lambda w: {"reason": "Syg"},
        fields={"reason": "text"},
        shows=_visit_pages("leader", "member"),
        shown="reason",
    ),
    Drill(
        "visit-move",
        "VisitMoveForm",
        "member",
        setup=_w_visit,
        url=lambda w: reverse("meetings:visit-move", args=[w["visit"].pk]),
        valid=lambda w: {"slot": str(w["later"].pk)},
        fields={"slot": "choice"},
    ),
    Drill(
        "visit-outcome",
        "OutcomeForm",
        "leader",
        setup=_w_over,
        url=lambda w: reverse("meetings:visit-outcome", args=[w["visit"].pk]),
        valid=lambda w: {"outcome": "held", "note": "Alle kom"},
        fields={"outcome": "choice", "note": "text"},
        shows=_visit_pages("leader", "member"),
        shown="note",
    ),
    Drill(
        "visit-feedback-politician",
        "PoliticianFeedbackForm",
        "member",
        setup=_w_held,
        url=lambda w: reverse("meetings:visit-feedback", args=[w["visit"].pk]),
        valid=lambda w: {"text": "Vi lærte meget", "rating": "4"},
        fields={"text": "text", "rating": "choice"},
        shows=_visit_pages("leader", "member"),
        shown="text",
    ),
    Drill(
        "visit-feedback-workplace",
        "WorkplaceFeedbackForm",
        "leader",
        setup=_w_held,
        url=lambda w: reverse("meetings:visit-feedback", args=[w["visit"].pk]),
        valid=lambda w: {"text": "Vi viste køkkenet"},
        fields={"text": "text"},
        shows=_visit_pages("leader", "member"),
        shown="text",
    ),
    Drill(
        "visit-mirror",
        "MirrorForm",
        "member",
        setup=_w_held,
        url=lambda w: reverse("meetings:visit-mirror", args=[w["visit"].pk]),
        valid=lambda w: {f"q{w['question'].pk}": "4"},
        fields={"q{question}": "choice"},
    ),
    Drill(
        "workplace-tie",
        "WorkplaceTieForm",
        "member",
        setup=lambda cast: {"workplace": cast.other_workplace},
        url=lambda w: reverse("meetings:workplace-tie-list"),
        valid=lambda w: {
            "workplace_navn": w["workplace"].name,
            "workplace": str(w["workplace"].pk),
            "kind": WorkplaceTie.Kind.BOARD,
            "note": "Formand",
        },
        fields={
            "workplace_navn": "text",
            "workplace": "int",
            "workplace_choice": "int",
            "kind": "choice",
            "note": "text",
        },
        shows=lambda w: [("member", reverse("meetings:workplace-tie-list"))],
        shown="note",
    ),
    # meetings/rotation/forms.py
    Drill(
        "meeting-date",
        "MeetingDateForm",
        "administrator",
        setup=_w_rotation,
        url=lambda w: reverse("meetings:meeting-date-create", args=["boern-og-unge", w["year"]]),
        valid=lambda w: {"date": f"{w['year']}-03-03", "start": "16:00", "minutes": "120"},
        fields={"date": "date", "start": "time", "minutes": "int"},
    ),
    Drill(
        "host-swap",
        "HostSwapForm",
        "administrator",
        setup=_w_swap,
        url=lambda w: reverse("meetings:rotation-host-swap", args=[w["plan"].pk, w["planned"].pk]),
        valid=lambda w: {"host": str(w["other_host"].pk), "reason": "Bytter efter aftale"},
        fields={"host": "choice", "reason": "text"},
        shows=lambda w: [("administrator", w["plan"].get_absolute_url())],
        shown="reason",
    ),
    Drill(
        "guest-move",
        "GuestMoveForm",
        "administrator",
        setup=_w_guest,
        url=lambda w: reverse("meetings:rotation-guest-move", args=[w["plan"].pk]),
        valid=lambda w: {"workplace": str(w["guest"].pk), "to": str(w["to"].pk), "reason": "Ønske fra stedet"},
        fields={"workplace": "choice", "to": "choice", "reason": "text"},
        shows=lambda w: [("administrator", w["plan"].get_absolute_url())],
    ),
    Drill(
        "meeting-edit",
        "MeetingEditForm",
        "administrator",
        setup=_w_meeting,
        url=lambda w: reverse("meetings:meeting-edit", args=[w["meeting"].pk]),
        valid=lambda w: {
            "date": timezone.localtime(w["meeting"].starts_at).date().isoformat(),
            "start": "16:00",
            "minutes": "180",
            "agenda_url": "https://dagsorden.example/1",
            "programme": "Rundvisning i køkkenet",
            "note": "",
        },
        fields={
            "date": "date",
            "start": "time",
            "minutes": "int",
            "agenda_url": "url",
            "programme": "text",
            "note": "text",
        },
        shows=lambda w: [
            *_meeting_pages("administrator", "member", "leader")(w),
            (None, reverse("meetings:public-plan", args=["boern-og-unge", w["year"]])),
        ],
        shown="programme",
    ),
    Drill(
        "meeting-presentation",
        "PresentationForm",
        "leader",
        setup=_w_meeting,
        url=lambda w: reverse("meetings:meeting-presentation", args=[w["meeting"].pk]),
        valid=lambda w: {"presentation": "Vi viser køkkenet"},
        fields={"presentation": "text"},
        shows=_meeting_pages("administrator", "member", "leader"),
        shown="presentation",
    ),
    Drill(
        "notice-preferences",
        "NoticePreferencesForm",
        "member",
        setup=lambda cast: {},
        url=lambda w: reverse("meetings:notice-preferences"),
        valid=lambda w: {"questions": "now", "stories": "none"},
        fields={"questions": "choice", "stories": "choice"},
    ),
    Drill(
        "workplace-wishes",
        "HostingWishesForm",
        "leader",
        setup=lambda cast: {"workplace": cast.workplace},
        url=lambda w: reverse("meetings:workplace-wishes", args=[w["workplace"].slug]),
        valid=lambda w: {"prefer": ["5"], "avoid": ["7"]},
        fields={"prefer": "choice", "avoid": "choice"},
    ),
    Drill(
        "meeting-outcome",
        "MeetingOutcomeForm",
        "administrator",
        setup=lambda cast: _w_meeting(cast, past=True, held=False),
        url=lambda w: reverse("meetings:meeting-outcome", args=[w["meeting"].pk]),
        valid=lambda w: {"outcome": "held", "note": "Godt møde"},
        fields={"outcome": "choice", "attended": "choice", "note": "text"},
        shows=_meeting_pages("administrator", "member", "leader"),
        shown="note",
    ),
    Drill(
        "meeting-minutes",
        "MinutesForm",
        "administrator",
        setup=lambda cast: _w_meeting(cast, past=True),
        url=lambda w: reverse("meetings:meeting-minutes", args=[w["meeting"].pk]),
        valid=lambda w: {"minutes": "Vi talte om sprog"},
        fields={"minutes": "text"},
        shows=_meeting_pages("administrator", "member", "leader"),
        shown="minutes",
    ),
    Drill(
        "meeting-cancellation",
        "CancellationForm",
        "leader",
        setup=_w_meeting,
        url=lambda w: reverse("meetings:meeting-cancellation", args=[w["meeting"].pk]),
        valid=lambda w: {"reason": "Vandskade i salen"},
        fields={"reason": "text"},
        shows=_meeting_pages("administrator", "leader"),
        shown="reason",
    ),
    Drill(
        "meeting-replan",
        "ReplanForm",
        "administrator",
        setup=_w_meeting,
        url=lambda w: reverse("meetings:meeting-replan", args=[w["meeting"].pk]),
        valid=lambda w: {"note": "Ny vært"},
        fields={"note": "text"},
        shows=_meeting_pages("administrator", "member"),
    ),
    # codex/forms.py
    Drill(
        "codex-sign",
        "codex.SignForm",
        "member",
        setup=_w_codex,
        url=lambda w: reverse("codex:signature-create"),
        valid=lambda w: {"has_read": "on", "typed_name": "Test member"},
        fields={"has_read": "bool", "typed_name": "text"},
        shows=lambda w: [(None, reverse("codex:register-detail")), ("member", reverse("codex:codex-detail"))],
    ),
    Drill(
        "codex-publish",
        "PublishForm",
        "administrator",
        setup=_w_codex_draft,
        url=lambda w: reverse("codex:version-publish", args=[w["draft"].number]),
        valid=lambda w: {"change_kind": CodexVersion.ChangeKind.EDITORIAL, "published_on": TODAY().isoformat()},
        fields={"change_kind": "choice", "published_on": "date"},
        shows=lambda w: [(None, reverse("codex:version-list"))],
    ),
    Drill(
        "codex-register-filter",
        "RegisterFilterForm",
        "member",
        setup=_w_codex,
        url=lambda w: reverse("codex:register-detail"),
        valid=lambda w: {"vis": "missing", "q": "Test"},
        fields={"vis": "choice", "gruppe": "choice", "q": "text"},
        method="get",
    ),
    Drill(
        "codex-version-admin",
        "VersionAdminForm",
        "administrator",
        setup=_w_admin_add,
        url=lambda w: reverse("admin:codex_codexversion_add"),
        valid=lambda w: {
            **w["management"],
            "title": "Kodeks for tillid",
            "introduction": "Spillereglerne for *tillid*.",
            "roles_to_sign": ["politician", "leader"],
        },
        fields={"title": "text", "introduction": "text", "roles_to_sign": "choice"},
        shows=lambda w: [("administrator", _latest_version_page(w))],
        shown="title",  # the introduction is Markdown, sanitised by nh3: the hostile drill checks it runs nothing
        form_key="adminform",
    ),
    # agreements/forms.py
    Drill(
        "agreement-start",
        "AgreementStartForm",
        "leader",
        setup=lambda cast: {"committee": cast.committee},
        url=lambda w: reverse("agreements:agreement-start", args=["solsikken"]),
        valid=lambda w: {"committee": str(w["committee"].pk), "year": str(TODAY().year), "start_from": "empty"},
        fields={"committee": "choice", "year": "int", "start_from": "choice"},
    ),
    Drill(
        "agreement-update",
        "AgreementForm",
        "leader",
        setup=_w_agreement(Status.DRAFT),
        url=lambda w: reverse("agreements:agreement-update", args=[w["agreement"].pk]),
        valid=lambda w: {
            "core_task": "Tryg hverdag",
            "support": "PPR",
            "follow_up_plan": "Dialogmøde",
            "period_start": _iso(YEAR_START()),
            "period_end": _iso(YEAR_END()),
            "midterm_on": _iso(YEAR_START() + dt.timedelta(days=180)),
            "final_on": _iso(YEAR_END() - dt.timedelta(days=30)),
        },
        fields={
            "core_task": "text",
            "support": "text",
            "follow_up_plan": "text",
            "period_start": "date",
            "period_end": "date",
            "midterm_on": "date",
            "final_on": "date",
        },
        shows=lambda w: [
            ("leader", _agreement_page(w)),
            ("leader", reverse("agreements:agreement-print", args=[w["agreement"].pk])),
        ],
        shown="core_task",
    ),
    Drill(
        "goal",
        "GoalForm",
        "leader",
        setup=_w_agreement(Status.DRAFT, goals=1),
        url=lambda w: reverse("agreements:goal-create", args=[w["agreement"].pk]),
        valid=lambda w: dict(GOAL),
        fields={"shared_goal": "choice", **dict.fromkeys(GOAL_FIELDS, "text")},
        shows=lambda w: [
            ("leader", _agreement_page(w)),
            ("leader", reverse("agreements:agreement-update", args=[w["agreement"].pk])),
        ],
        shown="aim",
    ),
    Drill(
        "agreement-consultation",
        "ConsultationForm",
        "leader",
        setup=_w_agreement(Status.DRAFT, goals=1),
        url=lambda w: reverse("agreements:agreement-consultation", args=[w["agreement"].pk]),
        valid=lambda w: {},
        fields={"consultees": "choice"},
    ),
    Drill(
        "agreement-request-changes",
        "NoteForm",
        "member",
        setup=_w_agreement(Status.SUBMITTED, goals=1),
        url=lambda w: reverse("agreements:agreement-request-changes", args=[w["agreement"].pk]),
        valid=lambda w: {"note": "Gør målet skarpere"},
        fields={"note": "text"},
        shows=lambda w: [("leader", _agreement_page(w)), ("member", _agreement_page(w))],
        shown="note",
    ),
    Drill(
        "agreement-approve",
        "ActForCommitteeForm",
        "vice_chair",
        setup=_w_agreement(Status.SUBMITTED, goals=1),
        url=lambda w: reverse("agreements:agreement-approve", args=[w["agreement"].pk]),
        valid=lambda w: {"note": "Fint", "chair_absence": "Formanden er syg"},
        fields={"note": "text", "chair_absence": "text"},
        shows=lambda w: [("leader", _agreement_page(w)), ("chair", _agreement_page(w))],
        shown="chair_absence",
    ),
    Drill(
        "agreement-sign",
        "agreements.SignForm",
        "vice_chair",
        setup=_w_agreement(Status.APPROVED, goals=1),
        url=lambda w: reverse("agreements:agreement-sign", args=[w["agreement"].pk]),
        valid=lambda w: {
            "side": "committee",
            "has_read": "on",
            "typed_name": "Test vice chair",
            "chair_absence": "Formanden er syg",
        },
        fields={"side": "choice", "has_read": "bool", "typed_name": "text", "chair_absence": "text"},
        shows=lambda w: [("leader", _agreement_page(w)), ("vice_chair", _agreement_page(w))],
        shown="chair_absence",
    ),
    Drill(
        "comment",
        "CommentForm",
        "trio",
        setup=_w_agreement(Status.CONSULTATION, goals=1),
        url=lambda w: reverse("agreements:comment-create", args=[w["agreement"].pk]),
        valid=lambda w: {"target": f"goal:{w['goals'][0].pk}", "body": "Godt mål"},
        fields={"target": "choice", "body": "text"},
        shows=lambda w: [("leader", _agreement_page(w)), ("trio", _agreement_page(w))],
        shown="body",
        refused_status=(400,),  # the view answers a refused comment with 400 and the page again
        form_key="comment_form",
    ),
    Drill(
        "followup",
        "FollowUpForm",
        "leader",
        setup=_w_agreement(Status.ACTIVE, goals=1),
        url=lambda w: reverse("agreements:followup-create", args=[w["agreement"].pk]),
        valid=lambda w: {
            "kind": FollowUp.Kind.MIDTERM,
            f"status_{w['goals'][0].pk}": FollowUp.Status.ON_TRACK,
            f"note_{w['goals'][0].pk}": "Godt i gang",
        },
        fields={"kind": "choice", "status_{goal}": "choice", "note_{goal}": "text"},
        shows=lambda w: [("leader", _agreement_page(w)), ("member", _agreement_page(w))],
        shown="note_{goal}",
    ),
    Drill(
        "sharedgoal",
        "SharedGoalForm",
        "chair",
        setup=lambda cast: {"committee": cast.committee},
        url=lambda w: reverse("agreements:sharedgoal-create"),
        valid=lambda w: {
            "title": "Flere i job",
            "text": "Flere borgere klarer sig selv",
            "committee": str(w["committee"].pk),
            "period_start": _iso(YEAR_START()),
            "period_end": _iso(YEAR_END()),
            "is_active": "on",
        },
        fields={
            "title": "text",
            "text": "text",
            "committee": "choice",
            "period_start": "date",
            "period_end": "date",
            "is_active": "bool",
        },
        shows=lambda w: [("chair", reverse("agreements:sharedgoal-list")), ("leader", "/udviklingsaftaler/")],
        shown="title",
    ),
    Drill(
        "committee-overview",
        "OverviewForm",
        "member",
        setup=lambda cast: {},
        url=lambda w: reverse("agreements:committee-overview", args=["boern-og-unge"]),
        valid=lambda w: {"year": str(TODAY().year)},
        fields={"year": "int"},
        method="get",
    ),
    # meetings/visits/forms.py: the secretariat's visit list filters (a bad value is left out, never a 500)
    Drill(
        "visit-admin-filter",
        "VisitAdminFilterForm",
        "administrator",
        setup=lambda cast: {},
        url=lambda w: reverse("meetings:visit-admin-list"),
        valid=lambda w: {"status": "requested"},
        fields={
            "arbejdsplads": "token",
            "arbejdsplads_navn": "text",
            "person": "int",
            "person_navn": "text",
            "status": "choice",
        },
        method="get",
    ),
    # dialog_portal/audit_log/forms.py: the audit log's filters (errors are shown, the log is then not filtered)
    Drill(
        "audit-log-filter",
        "AuditFilterForm",
        "administrator",
        setup=lambda cast: {},
        url=lambda w: reverse("auditlog:entry-list"),
        valid=lambda w: {"action": "agreement.*", "fra": _iso(YEAR_START()), "til": _iso(YEAR_END())},
        fields={
            "person": "text",
            "person_navn": "text",
            "action": "choice",
            "type": "choice",
            "id": "int",
            "fra": "date",
            "til": "date",
        },
        method="get",
    ),
    # meetings/import_views.py: confirming the raises of rights an import would make (kept files, exact list)
    Drill(
        "organisation-import-raises",
        "RaisesConfirmForm",
        "administrator",
        setup=_w_raises,
        url=lambda w: reverse("meetings:organisation-import"),
        valid=_raises_submission,
        fields={"stash": "token", "fingerprint": "token", "confirm_raises": "bool"},
        refusal="message",
        form_key="confirm_form",
    ),
    # meetings/hearings/forms.py: the secretariat registers a matter (its files' kinds in tests/meetings/hearings)
    Drill(
        "matter-register",
        "MatterForm",
        "administrator",
        setup=_w_matter_date,
        url=lambda w: reverse("meetings:matter-create"),
        valid=lambda w: {
            "committee": w["committee"].pk,
            "meeting_date": w["meeting_date"].pk,
            "title": "Fælles ledelse",
            "case_number": "28.00.00-A00-1-26",
            "summary": "Et forslag.",
            "workplaces": [w["workplace"].pk],
            "deadline": _iso(w["deadline"]),
        },
        fields={
            "committee": "choice",
            "meeting_date": "choice",
            "title": "text",
            "case_number": "text",
            "summary": "text",
            "workplaces": "choice",
            "deadline": "date",
            "urgency_reason": "text",
        },
        shows=lambda w: [("member", reverse("meetings:matter-list"))],
        shown="title",
        files={"files": "file"},
    ),
    # meetings/import_views.py: the upload form (its files' contents are drilled in test_bad_input_imports.py)
    Drill(
        "organisation-import",
        "OrganisationImportForm",
        "administrator",
        setup=lambda cast: {},
        url=lambda w: reverse("meetings:organisation-import"),
        valid=lambda w: {},
        fields={"invite": "bool"},
        files={"committees": "file", "people": "file"},
    ),
    # meetings/questions/forms.py
    Drill(
        "question-ask",
        "QuestionForm",
        "member",
        setup=lambda cast: {"workplace": cast.workplace.pk},
        url=lambda w: reverse("meetings:question-create", args=["boern-og-unge"]),
        valid=lambda w: {"workplaces": [w["workplace"]], "text": "Hvordan går det?", "no_individual_case": "on"},
        fields={"workplaces": "choice", "text": "text", "no_individual_case": "bool"},
        shows=lambda w: [("chair", reverse("meetings:question-list", args=["boern-og-unge"]))],
        shown="text",
    ),
    Drill(
        "question-answer",
        "AnswerForm",
        "leader",
        setup=_w_question,
        url=lambda w: reverse("meetings:question-answer", args=[w["question"].pk]),
        valid=lambda w: {"text": "Det går bedre."},
        fields={"text": "text"},
        shows=lambda w: [("member", w["question"].get_absolute_url())],
        shown="text",
    ),
    Drill(
        "question-pass-on",
        "PassOnForm",
        "leader",
        setup=_w_question,
        url=lambda w: reverse("meetings:question-pass-on", args=[w["question"].pk]),
        valid=lambda w: {"name": "Centerchef Jensen", "email": "cj@dalby.example", "note": "Økonomi"},
        fields={"name": "text", "email": "token", "note": "text"},
        shows=lambda w: [("member", w["question"].get_absolute_url())],
        shown="name",
    ),
    Drill(
        "question-filter",
        "QuestionFilterForm",
        "member",
        setup=lambda cast: {},
        url=lambda w: reverse("meetings:question-list", args=["boern-og-unge"]),
        valid=lambda w: {"q": "går"},
        fields={"q": "text", "workplace": "choice", "status": "choice"},
        method="get",
    ),
]


def _expand(name: str, world: dict) -> str:
    """Field names that depend on the data: ``q{question}`` → ``q17``, ``note_{goal}`` → ``note_4``."""
    if "{question}" in name:
        return name.replace("{question}", str(world["question"].pk))
    if "{goal}" in name:
        return name.replace("{goal}", str(world["goals"][0].pk))
    return name


# --- The properties -------------------------------------------------------------------------------------------------


def _login(client, cast, who):
    client.logout()
    if who is not None:
        client.force_login(getattr(cast, who))


def _messages(response):
    if response.context is None or "messages" not in response.context:
        return []
    return [(m.level, str(m.message)) for m in response.context["messages"]]


def _assert_no_runnable_markup(response, where):
    content = response.content.decode()
    assert not runnable_in(content), f"markup that runs on {where}: {runnable_in(content)}"


def _assert_danish(messages, where):
    for message in messages:
        assert is_danish(message), f"not from the Danish catalogue on {where}: {message[:300]!r}"
        assert not is_english_msgid(message) or is_danish(message), message


def _form_errors(form):
    with translation.override("da"):
        return [str(message) for errors in form.errors.values() for message in errors]


def _typed_into(form, name) -> bool:
    """A field the person types into; a browser only sends the offered values of the others."""
    field = form.fields.get(name)
    return field is not None and not field.disabled and type(field.widget).__name__.lower() in TEXT_WIDGETS


def _visible_errors(form):
    """The errors a person can cause with a browser: on typed fields and on the form as a whole."""
    with translation.override("da"):
        errors = [
            str(e) for name, errs in form.errors.items() if name == "__all__" or _typed_into(form, name) for e in errs
        ]
    return errors


def _kept(form, posted: dict) -> list[str]:
    """The single values typed into text-like inputs: these must come back on a refused form. Only whitespace
    is not kept (crispy collapses it), and that was nothing typed."""
    return [
        value for name, value in posted.items() if _typed_into(form, name) and isinstance(value, str) and value.strip()
    ]


def _submission(drill, world, corrupt: dict) -> dict:
    data = {_expand(k, world): v for k, v in drill.valid(world).items()}
    for name, value in corrupt.items():
        name = _expand(name, world)
        if value is OMIT:
            data.pop(name, None)
        else:
            data[name] = value
    return data


@st.composite
def _upload(draw, name):
    content = draw(
        st.one_of(
            st.binary(max_size=200),
            text.map(lambda t: t.encode("utf-8")),
            st.sampled_from([b"", b"\xff\xfe\x00\x00", b"PK\x03\x04garbage", b"\xef\xbb\xbf"]),
        )
    )
    filename = draw(st.sampled_from([f"{name}.csv", f"{name}.xlsx", "<script>alert(1)</script>.csv", "../../x"]))
    return SimpleUploadedFile(filename, content, content_type="text/csv")


def _check(client, cast, drill, world, data):
    url = drill.url(world)
    response = client.get(url, data) if drill.method == "get" else client.post(url, data)
    TALLY["examples"] += 1
    where = f"{drill.name} {url}"
    assert response.status_code != 500
    _assert_no_runnable_markup(response, where)

    if response.status_code in (301, 302, 303):
        follow = client.get(response["Location"])
        assert follow.status_code in (200, 302, 404), where  # 404: a page of data the example just changed
        messages = _messages(follow)
        errors = [text for level, text in messages if level >= message_levels.WARNING]
        if errors:
            assert drill.refusal == "message", f"{where}: refused by redirect {errors}"
            _assert_danish(errors, where)
            TALLY["refused"] += 1
            return
        TALLY["stored"] += 1
        _assert_no_runnable_markup(follow, response["Location"])
        for who, page in drill.shows(world):
            _login(client, cast, who)
            shown = client.get(page)
            assert shown.status_code == 200, page
            _assert_no_runnable_markup(shown, page)
        _login(client, cast, drill.actor)
        return

    assert response.status_code in (200, *drill.refused_status), f"{where}: {response.status_code}"
    assert response["Content-Language"] == "da"
    form = response.context.get(drill.form_key)
    form = getattr(form, "form", form)  # the admin wraps its form
    errors = _form_errors(form) if form is not None and form.is_bound else []
    content = response.content.decode()
    if errors:
        TALLY["refused"] += 1
        _assert_danish(errors, where)
        if drill.method == "post":
            for error in _visible_errors(form):
                assert escape(error) in content, f"{where}: the error is not shown: {error!r}"
            for value in _kept(form, data):
                assert escape(value) in content, f"{where}: what was typed is lost: {value[:80]!r}"
    else:
        # Accepted by the form but refused by the service (shown as a message), or a filter page.
        TALLY["refused" if drill.method == "post" else "filtered"] += 1
        problems = [text for level, text in _messages(response) if level >= message_levels.WARNING]
        _assert_danish(problems, where)


@pytest.mark.parametrize("drill", DRILLS, ids=[d.name for d in DRILLS])
def test_hostile_input_is_refused_in_danish_or_stored_without_markup_that_runs(drill, cast, client):
    world = drill.setup(cast)
    _login(client, cast, drill.actor)
    TALLY["forms"] += 1
    TALLY["form_names:" + drill.form] += 1

    @SETTINGS
    @given(data=st.data())
    def attempt(data):
        chosen = data.draw(st.sets(st.sampled_from(sorted(drill.fields)), min_size=1), label="fields")
        corrupt = {name: data.draw(hostile(drill.fields[name]), label=name) for name in chosen}
        submission = _submission(drill, world, corrupt)
        for name in drill.files:
            if data.draw(st.booleans(), label=f"send {name}"):
                submission[name] = data.draw(_upload(name), label=name)
        savepoint = transaction.savepoint()
        try:
            _check(client, cast, drill, world, submission)
        finally:
            transaction.savepoint_rollback(savepoint)
            cache.clear()
            _login(client, cast, drill.actor)

    attempt()


@pytest.mark.parametrize("drill", [d for d in DRILLS if d.shown], ids=[d.name for d in DRILLS if d.shown])
def test_a_stored_payload_is_shown_escaped_never_as_markup(drill, cast, client):
    payload = f"{PAYLOADS[0]} {PAYLOADS[1]}"
    world = drill.setup(cast)
    _login(client, cast, drill.actor)
    data = _submission(drill, world, {drill.shown: f"Før {payload} efter"})
    response = client.post(drill.url(world), data)
    assert response.status_code == 302, (
        drill.name,
        response.status_code,
        response.context and _form_errors(response.context[drill.form_key]),
    )
    seen_escaped = False
    for who, page in [(drill.actor, response["Location"]), *drill.shows(world)]:
        _login(client, cast, who)
        content = client.get(page).content.decode()
        assert not runnable_in(content), (page, runnable_in(content))
        seen_escaped |= escape(payload) in content
    assert seen_escaped, f"{drill.name}: the stored text is not shown on any of its pages"


# The ends of the calendar: year 1 at midnight and the last minute of year 9999 crashed the meeting and visit
# forms (OverflowError in the date arithmetic) before they refused days outside 2000-2100.
EDGE_DATES = [
    ("meeting-edit", {"date": "0001-01-01", "start": "00:00"}),
    ("meeting-edit", {"date": "9999-12-31", "start": "23:59", "minutes": "1440"}),
    ("meeting-date", {"date": "0001-01-01", "start": "00:00"}),
    ("meeting-date", {"date": "9999-12-30", "start": "23:59", "minutes": "1440"}),
    ("visit-offer", {"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T01:00"}),
    ("visit-offer", {"starts_at": "9999-12-31T22:00", "ends_at": "9999-12-31T23:59"}),
    (
        "visit-offer",
        {
            "kind": "weekly",
            "weekday": "1",
            "start_time": "09:00",
            "end_time": "10:00",
            "first_day": "9999-12-20",
            "last_day": "9999-12-31",
        },
    ),
    ("visit-finder", {"free_from": "0001-01-01", "free_to": "9999-12-31"}),
    ("agreement-update", {"period_start": "9999-01-01", "period_end": "9999-12-31", "final_on": "9999-12-31"}),
    ("agreement-update", {"period_start": "0001-01-01", "period_end": "0001-12-31", "midterm_on": "0001-06-01"}),
    ("sharedgoal", {"period_start": "0001-01-01", "period_end": "9999-12-31"}),
    ("codex-publish", {"published_on": "9999-12-31"}),
]


@pytest.mark.parametrize(("name", "values"), EDGE_DATES, ids=[f"{n}-{i}" for i, (n, _v) in enumerate(EDGE_DATES)])
def test_the_first_and_last_days_python_knows_never_crash_a_form(name, values, cast, client):
    drill = next(d for d in DRILLS if d.name == name)
    world = drill.setup(cast)
    _login(client, cast, drill.actor)
    _check(client, cast, drill, world, {**_submission(drill, world, {}), **values})


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_meeting_cannot_be_moved_outside_the_years_the_portal_plans(day, cast, client):
    world = _w_meeting(cast)
    meeting = world["meeting"]
    client.force_login(cast.administrator)
    data = {"date": day, "start": "00:00" if day.startswith("0001") else "23:59", "minutes": "180"}
    response = client.post(reverse("meetings:meeting-edit", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert "Denne værdi skal være" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).starts_at == meeting.starts_at


CONTROL_DRILLS = [d for d in DRILLS if "text" in d.fields.values()]
CONTROL_CHARACTERS = ("\x0b", "\x1b", "\x85", "\x7f", "\x0c", "\x01")


@pytest.mark.parametrize("drill", CONTROL_DRILLS, ids=[d.name for d in CONTROL_DRILLS])
def test_every_text_field_refuses_an_invisible_control_character_in_danish_keeping_what_was_typed(drill, cast, client):
    """Issue 14: a name or note with a control character broke the subject of every e-mail it went into."""
    world = drill.setup(cast)
    _login(client, cast, drill.actor)
    fields = [_expand(name, world) for name, kind in drill.fields.items() if kind == "text"]
    typed = {name: f"Før{CONTROL_CHARACTERS[i % len(CONTROL_CHARACTERS)]}efter" for i, name in enumerate(fields)}
    data = {**_submission(drill, world, {}), **typed}
    url = drill.url(world)
    response = client.get(url, data) if drill.method == "get" else client.post(url, data)
    assert response.status_code in (200, *drill.refused_status), response.status_code
    form = response.context[drill.form_key]
    form = getattr(form, "form", form)
    content = response.content.decode()
    for name, value in typed.items():
        with translation.override("da"):
            errors = [str(e) for e in form.errors.get(name, [])]
        code = f"U+{ord(value[3]):04X}"
        assert any(code in error for error in errors), (drill.name, name, form.errors)
        _assert_danish(errors, f"{drill.name} {name}")
        if drill.method == "post":
            assert escape(value) in content, f"{drill.name}: what was typed into {name} is lost"
    TALLY["control_characters_refused"] += len(typed)


def test_every_form_of_the_portal_is_drilled():
    """A new form class in a forms module fails this test until it has a drill."""
    import inspect

    from django import forms as django_forms

    import agreements.forms
    import codex.forms
    import codex.mirror
    import dialog_portal.audit_log.forms
    import meetings.forms
    import meetings.import_views
    import meetings.questions.forms
    import meetings.rotation.forms
    import meetings.visits.forms

    modules = [
        meetings.forms,
        meetings.visits.forms,
        codex.mirror,
        meetings.rotation.forms,
        codex.forms,
        agreements.forms,
        meetings.import_views,
        meetings.questions.forms,
        dialog_portal.audit_log.forms,
    ]
    found = {
        name
        for module in modules
        for name, obj in vars(module).items()
        if inspect.isclass(obj)
        and issubclass(obj, django_forms.BaseForm)
        and obj.__module__ == module.__name__
        and not name.startswith("_")
    }
    drilled = {d.form.rpartition(".")[2] for d in DRILLS}
    assert found - drilled == set()


@pytest.fixture(scope="module", autouse=True)
def _record_figures():
    yield
    if TALLY["examples"]:
        figures.record(
            "bad_input_forms",
            forms=len({key for key in TALLY if key.startswith("form_names:")}),  # distinct form classes
            drills=TALLY["forms"],
            examples=TALLY["examples"],
            refused=TALLY["refused"],
            stored=TALLY["stored"],
            filtered=TALLY["filtered"],
            control_characters_refused=TALLY["control_characters_refused"],
        )
