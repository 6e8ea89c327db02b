"""Reads for agreement pages: access helpers that fetch and check in one call, and page data with what the page
needs prefetched (a fixed number of queries however many agreements, goals or follow-ups there are)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from codex.fingerprint import normalise_text
from core.chains import Problem, Report, Text
from core.lookups import InOnce
from core.versioned_cache import model_version_keys, versioned_get_or_set, versioned_prefetch
from meetings.models import Committee, User, Workplace, WorkplaceKind, WorkplaceRole
from meetings.models.organisation import NAME_VERSION_KEYS

from . import fingerprint as fp
from . import permissions as can
from .models import (
    EDITABLE,
    FROZEN,
    SIGNED_OR_LATER,
    Agreement,
    AgreementEvent,
    AgreementSignature,
    AgreementVersion,
    Comment,
    FollowUp,
    Goal,
    SharedGoal,
    Status,
    VersionSeen,
    calendar_year,
)

GOALS_WITH_STATUS = Prefetch(
    "goals",
    queryset=Goal.objects.select_related("shared_goal").prefetch_related(
        Prefetch("followups", queryset=FollowUp.objects.select_related("recorded_by").order_by("-recorded_at", "-pk"))
    ),
)


def with_details(qs=None):
    return (
        (qs if qs is not None else Agreement.objects.all())
        .select_related("workplace", "committee", "amends")
        .prefetch_related("consultees")
    )


def get_agreement_for_user(user: User, pk: int, *, write: bool = False, check=None) -> Agreement:
    """An agreement the person may see (404 otherwise). ``check`` (a function of user and agreement from
    ``permissions``) must also hold for the action, else 403."""
    amendment = Agreement.objects.filter(amends=OuterRef("pk")).values("pk")[:1]
    agreement = with_details().annotate(amendment_id=Subquery(amendment)).filter(pk=pk).first()
    if agreement is None or not can.can_view(user, agreement):
        raise Http404
    if write and check is not None and not check(user, agreement):
        raise PermissionDenied
    return agreement


def involving(user: User):
    """Agreements a person takes part in: their workplaces', their committees' (from submission on), those
    they are consulted on; every agreement for administrators."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    roles = user.roles
    if roles.is_administrator:
        return Agreement.objects.all()
    trio = [w for w, r in roles.workplace_roles.items() if WorkplaceRole.Role.TRIO in r]
    consulted = Agreement.consultees.through.objects.filter(user_id=user.pk).values("agreement_id")
    condition = (
        Q(workplace_id__in=roles.led_workplace_ids)
        | (Q(workplace_id__in=trio) & ~Q(status=Status.DRAFT))
        | (Q(InOnce(F("pk"), consulted)) & ~Q(status=Status.DRAFT))
        | (Q(committee_id__in=roles.committee_ids) & ~Q(status__in=[Status.DRAFT, Status.CONSULTATION]))
    )
    return Agreement.objects.filter(condition)


# The columns the list shows: the page's rows are sorted with every workplace's name joined, so the fewer columns
# the join carries (a workplace's description is long), the less a municipality's size costs (issue 19).
LIST_COLUMNS = (
    "workplace_id",
    "committee_id",
    "period_start",
    "period_end",
    "status",
    "status_changed_at",
    "amends_id",
    "workplace__name",
    "committee__name",
)


def agreement_list(user: User, *, status: str = "", committee=None, year: int | None = None):
    qs = involving(user).select_related("workplace", "committee").only(*LIST_COLUMNS)
    if status:
        qs = qs.filter(status=status)
    if committee is not None:
        qs = qs.filter(committee=committee)
    if year:
        qs = qs.for_period(*calendar_year(year))
    return qs.order_by("-period_start", "workplace__name", "pk")


def agreement_list_version_keys() -> list[str]:
    """The versions the list page's kept content is valid under: what it reads (agreements with their consultees,
    workplaces' and committees' names and slugs)."""
    return model_version_keys(Agreement, Workplace, Committee)


def agreement_list_scope(user: User) -> tuple:
    """Everything about the person that decides what the list page's content shows (which agreements, which start
    and overview buttons, the shared goals' link): kept content is valid only for the same scope, so a seat or
    workplace role that changes shows at once. The person's own id is in the key (what they are consulted on)."""
    roles = user.roles
    trio = sorted(w for w, r in roles.workplace_roles.items() if WorkplaceRole.Role.TRIO in r)
    return (
        roles.is_administrator,
        tuple(sorted(roles.committee_ids)),
        tuple(sorted(roles.led_workplace_ids)),
        tuple(trio),
        can.can_see_shared_goals(user),
    )


# --- One agreement -----------------------------------------------------------------------------------------


def latest_status(goal: Goal) -> FollowUp | None:
    """The newest follow-up of a goal, from prefetched follow-ups (newest first)."""
    followups = list(goal.followups.all())
    return followups[0] if followups else None


@dataclass
class GoalRow:
    goal: Goal
    latest: FollowUp | None
    history: list[FollowUp] = field(default_factory=list)


def goal_rows(agreement: Agreement) -> list[GoalRow]:
    goals = agreement.ordered_goals(agreement.goals.all())
    return [GoalRow(goal=g, latest=latest_status(g), history=list(g.followups.all())) for g in goals]


@dataclass
class DocumentGoal:
    """One goal as the document shows it: its text in the canonical form (``fingerprint.canonical_dict``), the
    live goal with its follow-ups when it is the same goal, and for a frozen text whether the catalogue has
    changed the adopted shared goal since (the document keeps the frozen words either way)."""

    number: int
    text: dict
    row: GoalRow | None = None
    scope: str = ""
    catalogue_changed: bool = False

    @property
    def anchor(self) -> str:
        return f"goal-{self.row.goal.pk}" if self.row is not None else f"goal-n{self.number}"


@dataclass
class Document:
    """The agreement's readable text. While the leader may edit it (draft, consultation, changes requested) it is
    the live text, adopted shared goals as the catalogue words them now. From submission on it is the newest
    frozen version's stored text, exactly what was sent, approved and signed: a later edit of the shared-goal
    catalogue, or any change to the live rows, never reaches it."""

    text: dict
    goals: list[DocumentGoal]
    version: AgreementVersion | None = None

    @property
    def is_frozen(self) -> bool:
        return self.version is not None

    @property
    def period_start(self) -> dt.date:
        return dt.date.fromisoformat(self.text["period_start"])

    @property
    def period_end(self) -> dt.date:
        return dt.date.fromisoformat(self.text["period_end"])


def document_from_version(version: AgreementVersion, rows: list[GoalRow] = ()) -> Document:
    """A frozen version as a document. ``rows`` (the live goals in order) add the follow-ups: a live goal is
    matched to the frozen goal in the same place only when its title is the same."""
    rows = list(rows)
    goals = []
    for index, text in enumerate(version.text.get("goals", [])):
        row = rows[index] if index < len(rows) else None
        if row is not None and normalise_text(row.goal.title) != text.get("title"):
            row = None
        shared = row.goal.shared_goal if row is not None and text.get("kind") == "shared" else None
        changed = shared is not None and (
            normalise_text(shared.text) != text.get("shared_text")
            or normalise_text(shared.title) != text.get("shared_title")
        )
        goals.append(DocumentGoal(number=index + 1, text=text, row=row, catalogue_changed=changed))
    return Document(text=version.text, goals=goals, version=version)


def document_for(agreement: Agreement, latest: AgreementVersion | None, rows: list[GoalRow] | None = None) -> Document:
    """What the agreement's page and print show as its text (see :class:`Document`). Uses prefetched goals."""
    rows = goal_rows(agreement) if rows is None else rows
    if agreement.status in FROZEN and latest is not None:
        return document_from_version(latest, rows)
    text = fp.canonical_dict(agreement.text([row.goal for row in rows]))
    goals = [
        DocumentGoal(
            number=number,
            text=goal_text,
            row=row,
            scope=row.goal.shared_goal.scope_label if row.goal.shared_goal_id else "",
        )
        for number, (goal_text, row) in enumerate(zip(text["goals"], rows, strict=True), start=1)
    ]
    return Document(text=text, goals=goals)


def changes_requested(agreement: Agreement, events=None) -> AgreementEvent | None:
    """While the committee wants changes, the request that says what (the newest), with its author; else None.
    Pass the agreement's events when they are loaded already (no query then)."""
    if agreement.status != Status.CHANGES_REQUESTED:
        return None
    if events is None:
        return (
            agreement.events.filter(to_status=Status.CHANGES_REQUESTED)
            .select_related("actor")
            .order_by("-created_at", "-pk")
            .first()
        )
    asked = [e for e in events if e.to_status == Status.CHANGES_REQUESTED]
    return asked[-1] if asked else None


def taken_years(workplace: Workplace, committee) -> set[int]:
    """The calendar years a workplace's agreements with a committee cover (any status, amendments included)."""
    years: set[int] = set()
    periods = Agreement.objects.filter(workplace=workplace, committee=committee).values_list(
        "period_start", "period_end"
    )
    for start, end in periods:
        years.update(range(start.year, end.year + 1))
    return years


def detail_for(user: User, agreement: Agreement) -> dict:
    """What the agreement's print and PDF show to this person, and which actions it offers."""
    # The agreement comes from get_agreement_for_user with its details; add the goals, not load it again.
    prefetch_related_objects([agreement], GOALS_WITH_STATUS)
    workings = can.can_see_workings(user, agreement)
    if workings:
        versions = list(agreement.versions.order_by("number"))
        latest = versions[-1] if versions else None
    else:
        versions = []
        latest = agreement.versions.order_by("-number").first()
    signatures = list(
        AgreementSignature.objects.filter(agreement=agreement)
        .select_related("person", "version")
        .defer("version__text")  # the version's number is shown, its whole text never
        .order_by("signed_at")
    )
    signed_sides = {s.side for s in signatures if latest is not None and s.version_id == latest.pk}
    comments = _comments(agreement) if workings else []
    for comment in comments:
        comment.may_resolve = can.can_resolve(user, comment, agreement)
    amendment = _amendment(user, agreement)
    rows = goal_rows(agreement)
    events = list(
        agreement.events.select_related("actor", "version").defer("version__text").order_by("created_at", "pk")
    )
    return {
        "agreement": agreement,
        "goals": rows,
        "document": document_for(agreement, latest, rows),
        "versions": versions,
        "latest_version": latest,
        "signatures": signatures,
        "comments": comments,
        "open_comments": sum(1 for c in comments if not c.is_resolved),
        "events": events,
        "changes_requested": changes_requested(agreement, events),
        "workings": workings,
        "steps": progress(agreement),
        "seen_number": _seen_number(user, agreement) if workings else None,
        "amendment": amendment,
        "can": _actions(user, agreement, signed_sides=signed_sides, amendment=amendment),
    }


def _comments(agreement: Agreement) -> list[Comment]:
    return list(
        Comment.objects.filter(agreement=agreement)
        .select_related("author", "resolved_by")
        .order_by("resolved_at", "created_at")
    )


def _seen_number(user: User, agreement: Agreement) -> int | None:
    return VersionSeen.objects.filter(person=user, agreement=agreement).values_list("number", flat=True).first()


def _amendment(user: User, agreement: Agreement) -> Agreement | None:
    """The amendment under way, if this person may see it."""
    # get_agreement_for_user annotates the amendment's id; load the amendment only when there is one.
    amendment_id = getattr(agreement, "amendment_id", False)
    if amendment_id is False:
        amendment = Agreement.objects.filter(amends=agreement).first()
    else:
        amendment = Agreement.objects.filter(pk=amendment_id).first() if amendment_id else None
    return amendment if amendment and can.can_view(user, amendment) else None


def _actions(user: User, agreement: Agreement, *, signed_sides, amendment) -> dict:
    """The steps the page offers this person (the services decide; these only show what works)."""
    sides = [s for s in can.signing_sides(user, agreement) if s not in signed_sides]
    return {
        "edit": can.can_edit(user, agreement),
        "comment": can.can_comment(user, agreement),
        "consult": can.can_consult(user, agreement),
        "submit": can.can_submit(user, agreement),
        "resubmit": can.can_resubmit(user, agreement),
        "review": can.can_review(user, agreement),
        "approve": can.can_approve(user, agreement),
        "sign": bool(sides),
        "sign_sides": sides,
        "activate": can.can_activate(user, agreement) and agreement.period_start <= timezone.localdate(),
        "follow_up": can.can_follow_up(user, agreement),
        "close": can.can_close(user, agreement),
        "amend": can.can_amend(user, agreement) and amendment is None,
        "is_leader": can.is_leader(user, agreement),
    }


# --- The agreement's page: the part the same for every reader, kept (issue 19) -------------------------------------

# What the kept part reads: the agreement, its goals and follow-ups, the shared goals and their committees' names
# (the scope), its versions, signatures and events, and people's names (NAME_VERSION_KEYS).
DETAIL_MODELS = (Agreement, Goal, FollowUp, SharedGoal, Committee, AgreementVersion, AgreementSignature, AgreementEvent)
DETAIL_CACHE_SECONDS = 600


def detail_version_keys() -> list[str]:
    return [*model_version_keys(*DETAIL_MODELS), *NAME_VERSION_KEYS]


@dataclass(frozen=True)
class KeptDetail:
    """The agreement's page as every reader of it sees it, rendered: the document, what the committee asked to
    change, the signatures, the versions (shown only to those who see the workings) and the history; and the
    little the per-person part needs: the sides signed on the newest version and the goals to comment on."""

    document: str
    changes_requested: str
    signatures: str
    versions: tuple[tuple[int, str], ...]  # (number, the line without the "new since you last looked" badge)
    history: str
    signed_sides: frozenset[str]
    goals: tuple[tuple[int, str], ...]  # (pk, title) in the document's order


def _kept_key(pk: int) -> str:
    return f"agreements:detail:{pk}:{get_language()}"


def kept_detail(agreement: Agreement, *, read: dict | None = None) -> KeptDetail:
    """The agreement's kept part, per agreement and language, under the versions of everything it reads
    (``detail_version_keys``). Nothing in it depends on who reads, on time or on a form."""
    return versioned_get_or_set(
        _kept_key(agreement.pk),
        detail_version_keys(),
        lambda: _kept_detail(agreement),
        timeout=DETAIL_CACHE_SECONDS,
        read=read,
    )


def _kept_detail(agreement: Agreement) -> KeptDetail:
    prefetch_related_objects([agreement], GOALS_WITH_STATUS)
    versions = list(agreement.versions.order_by("number"))
    latest = versions[-1] if versions else None
    signatures = list(
        AgreementSignature.objects.filter(agreement=agreement)
        .select_related("person", "version")
        .defer("version__text")
        .order_by("signed_at")
    )
    rows = goal_rows(agreement)
    events = list(
        agreement.events.select_related("actor", "version").defer("version__text").order_by("created_at", "pk")
    )
    context = {
        "agreement": agreement,
        "document": document_for(agreement, latest, rows),
        "signatures": signatures,
        "versions": versions,
        "events": events,
        "changes_requested": changes_requested(agreement, events),
    }
    return KeptDetail(
        document=render_to_string("agreements/_document.html", context),
        changes_requested=render_to_string("agreements/_changes_requested.html", context),
        signatures=render_to_string("agreements/_detail_signatures.html", context),
        versions=tuple(
            (
                v.number,
                render_to_string("agreements/_detail_version.html", {"agreement": agreement, "v": v, "first": i == 0}),
            )
            for i, v in enumerate(versions)
        ),
        history=render_to_string("agreements/_detail_history.html", context),
        signed_sides=frozenset(s.side for s in signatures if latest is not None and s.version_id == latest.pk),
        goals=tuple((row.goal.pk, row.goal.title) for row in rows),
    )


# The agreement's row with its workplace, committee and the agreement it amends, the id of an amendment under way
# and who is consulted: every write to those models replaces one of these versions (consultees: Agreement's m2m).
ROW_MODELS = (Agreement, Workplace, Committee)


def _row_key(pk: int) -> str:
    return f"agreements:row:{pk}"


def _workings_key(pk: int, user: User) -> str:
    return f"agreements:workings:{pk}:{user.pk}"


def _workings_version_keys() -> list[str]:
    return [*model_version_keys(Comment, VersionSeen), *NAME_VERSION_KEYS]


def detail_prefetch(user: User, pk: int) -> dict:
    """The page's three kept entries and their versions in one round trip to the cache (``read=`` below)."""
    keys = [
        _row_key(pk),
        *model_version_keys(*ROW_MODELS),
        _kept_key(pk),
        *detail_version_keys(),
        _workings_key(pk, user),
        *_workings_version_keys(),
    ]
    return versioned_prefetch(list(dict.fromkeys(keys)))


def agreement_for_page(user: User, pk: int, *, read: dict | None = None) -> Agreement:
    """:func:`get_agreement_for_user` for reading the agreement's page: the same row and the same check (404), the
    row kept under the versions of what it reads (issue 19) instead of read on every request."""

    def load():
        amendment = Agreement.objects.filter(amends=OuterRef("pk")).values("pk")[:1]
        agreement = (
            Agreement.objects.select_related("workplace", "committee", "amends")
            .annotate(amendment_id=Subquery(amendment))
            .filter(pk=pk)
            .first()
        )
        if agreement is not None:
            agreement.consultee_ids = frozenset(agreement.consultees.values_list("pk", flat=True))
        return agreement

    agreement = versioned_get_or_set(_row_key(pk), model_version_keys(*ROW_MODELS), load, read=read)
    if agreement is not None:
        agreement.consulted_for = (user.pk, user.pk in agreement.consultee_ids)  # what permissions.is_consultee asks
    if agreement is None or not can.can_view(user, agreement):
        raise Http404
    return agreement


@dataclass(frozen=True)
class Workings:
    comments: list[Comment]
    seen_number: int | None


def workings_for(user: User, agreement: Agreement, *, read: dict | None = None) -> Workings:
    """The comments and the newest version this person has opened, kept per agreement and person under the
    versions of comments, of what people have seen and of people's names (issue 19). Only for those who may see
    the workings; who may resolve a comment is decided per request."""
    return versioned_get_or_set(
        _workings_key(agreement.pk, user),
        _workings_version_keys(),
        lambda: Workings(comments=_comments(agreement), seen_number=_seen_number(user, agreement)),
        timeout=DETAIL_CACHE_SECONDS,
        read=read,
    )


def detail_page(user: User, agreement: Agreement, *, read: dict | None = None) -> dict:
    """What the agreement's page shows to this person: the kept part (:func:`kept_detail`) and, per request, the
    comments and which versions are new to them (for those who see the workings), the amendment under way if they
    may see it, and the actions they may take."""
    kept = kept_detail(agreement, read=read)
    workings = can.can_see_workings(user, agreement)
    kept_workings = workings_for(user, agreement, read=read) if workings else Workings(comments=[], seen_number=None)
    comments = kept_workings.comments
    for comment in comments:
        comment.may_resolve = can.can_resolve(user, comment, agreement)
    amendment = _amendment(user, agreement)
    return {
        "agreement": agreement,
        "kept": kept,
        "comments": comments,
        "open_comments": sum(1 for c in comments if not c.is_resolved),
        "workings": workings,
        "steps": progress(agreement),
        "seen_number": kept_workings.seen_number,
        "amendment": amendment,
        "can": _actions(user, agreement, signed_sides=kept.signed_sides, amendment=amendment),
    }


MAIN_LINE = (
    Status.DRAFT,
    Status.CONSULTATION,
    Status.SUBMITTED,
    Status.APPROVED,
    Status.SIGNED,
    Status.ACTIVE,
    Status.FOLLOWED_UP,
    Status.CLOSED,
)


def progress(agreement: Agreement) -> list[dict]:
    """The main line of the workflow with each step done, current or to come (review rounds count as submitted)."""
    current = agreement.status
    if current in (Status.CHANGES_REQUESTED, Status.RESUBMITTED):
        current = Status.SUBMITTED
    index = MAIN_LINE.index(current)
    steps = []
    for i, status in enumerate(MAIN_LINE):
        label = Status(status).label
        if status == Status.SUBMITTED and agreement.status in (Status.CHANGES_REQUESTED, Status.RESUBMITTED):
            label = Status(agreement.status).label
        steps.append({"label": label, "state": "done" if i < index else ("current" if i == index else "todo")})
    return steps


def version_for(agreement: Agreement, number: int) -> AgreementVersion:
    version = agreement.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def previous_version(version: AgreementVersion) -> AgreementVersion | None:
    """The version before this one: of the same agreement, or the last one of the agreement it amends."""
    earlier = AgreementVersion.objects.filter(agreement_id=version.agreement_id, number__lt=version.number)
    found = earlier.order_by("-number").first()
    if found is None:
        amends = Agreement.objects.filter(pk=version.agreement_id).values_list("amends_id", flat=True).first()
        if amends:
            found = AgreementVersion.objects.filter(agreement_id=amends).order_by("-number").first()
    return found


def compare_base(user: User, agreement: Agreement, version: AgreementVersion) -> AgreementVersion | None:
    """The version to compare with: the last one this person saw before ``version``, else the previous one."""
    seen = VersionSeen.objects.filter(person=user, agreement=agreement).values_list("number", flat=True).first()
    if seen is not None and seen < version.number:
        base = agreement.versions.filter(number=seen).first()
        if base is not None:
            return base
    return previous_version(version)


def diff_labels() -> dict[str, str]:
    return {
        "period": _("Period"),
        "core_task": _("Core task and context"),
        "goals": _("Goals"),
        "support": _("Support from the administration"),
        "follow_up_plan": _("How we follow up together"),
        "shared": _("Adopts the shared goal"),
        "baseline": _("Where we are now"),
        "aim": _("The goal"),
        "indicator": _("Indicator"),
        "actions": _("What we will do"),
        "evaluation": _("How we evaluate"),
        "target": _("Target"),
        "milestones": _("Milestones"),
    }


# --- The shared-goal catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedGoalUse:
    frozen: int  # agreements with the committee, approved, signed or later: they keep the words they were sent with
    drafts: int  # agreements the leader still edits: they show the catalogue's words until they are sent


def shared_goal_use(goal: SharedGoal | None) -> SharedGoalUse:
    """How many agreements adopt a shared goal, split by whether their text is frozen. One query."""
    if goal is None or goal.pk is None:
        return SharedGoalUse(0, 0)
    counts = Goal.objects.filter(shared_goal=goal).aggregate(
        frozen=Count("agreement", distinct=True, filter=Q(agreement__status__in=FROZEN)),
        drafts=Count("agreement", distinct=True, filter=Q(agreement__status__in=EDITABLE)),
    )
    return SharedGoalUse(frozen=counts["frozen"], drafts=counts["drafts"])


# --- The workplace's goals (a partial on workplace, visit and meeting pages) -----------------------------------


AGREEMENT_COLUMNS = ("pk", "workplace_id", "committee_id", "amends_id", "status", "period_start", "period_end")
GOAL_COLUMNS = ("pk", "agreement_id", "order", "kind", "shared_goal_id", "title", "indicator")
FOLLOWUP_COLUMNS = ("pk", "goal_id", "kind", "status", "note", "occasion", "recorded_by_id", "recorded_at")


def workplace_goals(workplace: Workplace, *, on: dt.date | None = None) -> list[Agreement]:
    """The workplace's agreements in force on ``on`` (default today; one per committee), each with its goals in
    order as ``agreement.goal_rows`` and every goal's latest status. One query, whether or not an agreement is in
    force and however many goals and follow-ups it has (issue 19): the agreements joined with their goals and the
    goals' follow-ups, read as plain values and made into the objects the partial shows (the agreement with its
    committee, the goals with the columns the partial reads, the follow-ups newest first).

    For a day in the past (an old meeting or visit) it is the agreement that was in force then, even if it has
    since been followed up or closed, or replaced by an amendment (see :func:`_in_force_then`)."""
    today = timezone.localdate()
    if on is None or on >= today:
        queryset = Agreement.objects.in_force(on)
    else:
        activated = (
            AgreementEvent.objects.filter(agreement=OuterRef("pk"), to_status=Status.ACTIVE)
            .order_by("created_at")
            .values("created_at")[:1]
        )
        queryset = Agreement.objects.filter(
            status__in=[Status.ACTIVE, Status.FOLLOWED_UP, Status.CLOSED], period_start__lte=on, period_end__gte=on
        ).annotate(activated_at=Subquery(activated))
    past = on is not None and on < today
    columns = [*AGREEMENT_COLUMNS, "committee__name", "committee__slug"]
    columns += [f"goals__{name}" for name in GOAL_COLUMNS]
    columns += [f"goals__followups__{name}" for name in FOLLOWUP_COLUMNS]
    if past:
        columns.append("activated_at")
    rows = (
        queryset.filter(workplace=workplace)
        .order_by("committee__name", "-pk", "goals__pk", "-goals__followups__recorded_at", "-goals__followups__pk")
        .values_list(*columns)
    )
    agreements = _agreements_from_rows(rows, past)
    if past:
        agreements = _in_force_then(agreements, on)
    for agreement in agreements:
        agreement.goal_rows = [
            GoalRow(goal=g, latest=g.history[0] if g.history else None, history=g.history)
            for g in agreement.ordered_goals(agreement.loaded_goals)
        ]
    return agreements


def _agreements_from_rows(rows, past: bool) -> list[Agreement]:
    """Agreements, goals and follow-ups from the joined rows of :func:`workplace_goals`, in the rows' order."""
    agreements: dict[int, Agreement] = {}
    goals: dict[int, Goal] = {}
    a_end = len(AGREEMENT_COLUMNS)
    g_start = a_end + 2
    f_start = g_start + len(GOAL_COLUMNS)
    f_end = f_start + len(FOLLOWUP_COLUMNS)
    for row in rows:
        agreement = agreements.get(row[0])
        if agreement is None:
            agreement = Agreement(**dict(zip(("id", *AGREEMENT_COLUMNS[1:]), row[:a_end], strict=True)))
            agreement.committee = Committee(pk=row[2], name=row[a_end], slug=row[a_end + 1])
            if past:
                agreement.activated_at = row[f_end]
            agreement.loaded_goals = []
            agreements[row[0]] = agreement
        goal_id = row[g_start]
        if goal_id is None:
            continue
        goal = goals.get(goal_id)
        if goal is None:
            goal = Goal(**dict(zip(("id", *GOAL_COLUMNS[1:]), row[g_start:f_start], strict=True)))
            goal.history = []
            goals[goal_id] = goal
            agreement.loaded_goals.append(goal)
        if row[f_start] is not None:
            followup = FollowUp(**dict(zip(("id", *FOLLOWUP_COLUMNS[1:]), row[f_start:f_end], strict=True)))
            followup.goal = goal
            goal.history.append(followup)
    return list(agreements.values())


def _in_force_then(agreements: list[Agreement], on: dt.date) -> list[Agreement]:
    """Per committee, the agreement that came into force last on or before ``on``: an agreement counts from its
    period's start (the year it is for, even if it was signed late), an amendment from the day it came into force
    and replaced the agreement it amends."""
    chosen: dict[int, tuple[dt.date, int, Agreement]] = {}
    for agreement in agreements:
        began = agreement.period_start
        if agreement.amends_id and agreement.activated_at:
            began = max(began, timezone.localdate(agreement.activated_at))
        if began > on:
            continue
        key = (began, agreement.pk, agreement)
        current = chosen.get(agreement.committee_id)
        if current is None or key[:2] > current[:2]:
            chosen[agreement.committee_id] = key
    return [a for a in agreements if a.committee_id in chosen and chosen[a.committee_id][2] is a]


def workplace_goals_for(user, workplace: Workplace | None, *, on: dt.date | None = None) -> list[Agreement]:
    """:func:`workplace_goals` with ``may_follow_up`` set for the person looking; what the partial
    ``agreements/_workplace_goals.html`` shows. Views pass it as ``goal_agreements``; pages of a meeting or visit
    pass its day as ``on``, so an old one shows the goals in force then."""
    if user is None or not user.is_authenticated or workplace is None:
        return []
    agreements = workplace_goals(workplace, on=on)
    for agreement in agreements:
        agreement.may_follow_up = can.can_follow_up(user, agreement)
    return agreements


# --- The committee's overview ------------------------------------------------------------------------------------


@dataclass
class OverviewRow:
    workplace: Workplace
    agreement_id: int | None
    status: str | None
    changed_at: dt.datetime | None
    kind_name: str = ""

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else ""


@dataclass
class Overview:
    committee: Committee
    year: int
    page: Page  # a page of OverviewRow, in name order
    counts: list[tuple[str, str, int]]  # (status, label, count), in workflow order, only those present
    missing: int
    total: int

    @property
    def rows(self) -> list[OverviewRow]:
        return self.load_rows().object_list

    def load_rows(self) -> Page:
        """The page with its rows read (one query): left to the caller, which needs them only when the rendered
        content is not in the cache (``overview_page_version_keys``). Until then the page holds only the bounds of
        its rows (``_Bounds``): not even the query is built (building it costs more than the rest of a kept page)."""
        if isinstance(self.page.object_list, slice):
            rows = _overview_rows(self.committee, self.year)[self.page.object_list]
            self.page.object_list = [
                OverviewRow(Workplace(pk=pk, name=name, slug=slug), agreement_id, status, changed, kind_name or "")
                for pk, name, slug, kind_name, agreement_id, status, changed in rows
            ]
        return self.page

    @property
    def with_agreement(self) -> int:
        return self.total - self.missing


def overview_version_keys() -> list[str]:
    """The versions the overview's counts are valid under: the agreements', and the workplaces' (which a workplace's
    committees changing, from either side, replaces too)."""
    return model_version_keys(Agreement, Workplace)


def overview_page_version_keys() -> list[str]:
    """The versions the overview page's content is valid under: what its counts and rows read (agreements,
    workplaces with their committees, the workplaces' kinds) and the committees (its name, found by its slug).
    The content is the same for everyone who may see the overview."""
    return model_version_keys(Agreement, Workplace, WorkplaceKind, Committee)


def _overview_candidates(committee: Committee, year: int):
    """The committee's agreements covering ``year`` for the workplace ``OuterRef("pk")``, the one that counts first:
    one in force over one being amended, a closed one last."""
    start, end = calendar_year(year)
    return (
        Agreement.objects.filter(workplace=OuterRef("pk"), committee=committee)
        .for_period(start, end)
        .annotate(
            closed_last=Case(When(status=Status.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()),
            amendment_last=Case(
                When(amends__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("closed_last", "amendment_last", "-period_start", "-pk")
    )


def overview_counts(committee: Committee, year: int) -> tuple[dict[str, int], int]:
    """The number of the committee's active workplaces per state of their agreement for ``year`` (``None``: none)
    and their total, kept in the cache while no agreement, workplace or workplace's committees change (every
    workplace's row is read to count them; the page shows only some, issue 19)."""

    def compute():
        statuses = (
            Workplace.objects.active()
            .filter(committees=committee)
            .annotate(agreement_status=Subquery(_overview_candidates(committee, year).values("status")[:1]))
            .values_list("agreement_status", flat=True)
        )
        tally = Counter(statuses)
        return dict(tally), sum(tally.values())

    return versioned_get_or_set(f"agreements:overview:{committee.pk}:{year}", overview_version_keys(), compute)


class _Bounds:
    """What a paginator slices while the overview's rows are not read: the slice itself (``Overview.load_rows``)."""

    def __getitem__(self, bounds: slice) -> slice:
        return bounds


def _overview_rows(committee: Committee, year: int):
    """Every active workplace under the committee in name order, as plain tuples, with its agreement for the year:
    the database looks up the agreement of only the rows it returns."""
    candidates = _overview_candidates(committee, year)
    return (
        Workplace.objects.active()
        .filter(committees=committee)
        .annotate(
            agreement_id=Subquery(candidates.values("pk")[:1]),
            agreement_status=Subquery(candidates.values("status")[:1]),
            agreement_changed=Subquery(candidates.values("status_changed_at")[:1]),
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "slug", "kind__name", "agreement_id", "agreement_status", "agreement_changed")
    )


def committee_overview(committee: Committee, year: int, *, page=1, per_page: int = 50) -> Overview:
    """Every active workplace under the committee with its agreement for the year (the one in force over one
    being amended), a page of them at a time, counts per state and how many are missing over all of them.

    The counts come from the cache (:func:`overview_counts`); the page's rows, read by ``Overview.load_rows()``
    when the page is not in the cache, are one query of plain tuples in which the database looks up the agreement
    of only the page's workplaces: a committee with hundreds of workplaces costs what one with twenty does
    (issue 19)."""
    tally, total = overview_counts(committee, year)
    paginator = Paginator(_Bounds(), per_page)
    paginator.count = total  # instead of a COUNT query: the cached counts have it
    shown = paginator.get_page(page)  # its rows are read by Overview.load_rows()
    counts = [(value, str(label), tally[value]) for value, label in Status.choices if tally.get(value)]
    return Overview(
        committee=committee,
        year=year,
        page=shown,
        counts=counts,
        missing=tally.get(None, 0),
        total=total,
    )


# --- The dashboard ---------------------------------------------------------------------------------------------


@dataclass
class Task:
    agreement: Agreement
    text: str


def next_step(user: User, agreement: Agreement, signed_sides: set[str] | None = None) -> str:
    """What this person should do next with the agreement, or "" when nothing."""
    status = agreement.status
    leader = can.is_leader(user, agreement)
    if leader and status == Status.DRAFT:
        return _("Finish the draft and send it to consultation")
    if leader and status == Status.CONSULTATION:
        return _("Read the comments and submit it to the committee")
    if leader and status == Status.CHANGES_REQUESTED:
        return _("Make the requested changes and resubmit")
    if status == Status.CONSULTATION and can.can_comment(user, agreement):
        return _("Comment on the draft")
    if status in (Status.SUBMITTED, Status.RESUBMITTED) and can.is_member(user, agreement):
        return _("Review the agreement")
    if status == Status.APPROVED:
        sides = [s for s in can.signing_sides(user, agreement) if s not in (signed_sides or set())]
        if sides:
            return _("Sign the agreement")
    if status == Status.FOLLOWED_UP and can.can_close(user, agreement):
        return _("Close the followed-up agreement")
    return ""


def missing_for_leader(user: User, year: int) -> list[tuple[Workplace, Committee]]:
    """The (workplace, committee) pairs a leader has no agreement for in ``year``. One query."""
    if not user.is_authenticated or not user.roles.led_workplace_ids:
        return []
    start, end = calendar_year(year)
    having = Agreement.objects.filter(workplace_id=OuterRef("workplace_id"), committee_id=OuterRef("committee_id"))
    pairs = (
        Workplace.committees.through.objects.filter(
            workplace_id__in=user.roles.led_workplace_ids, workplace__is_active=True, committee__is_active=True
        )
        .exclude(Exists(having.for_period(start, end)))
        .select_related("workplace", "committee")
        .order_by("workplace__name", "committee__name")
    )
    return [(pair.workplace, pair.committee) for pair in pairs]


def dashboard_tasks(user: User, *, limit: int = 10) -> list[Task]:
    """Agreements waiting for this person, oldest wait first. One query, whatever the agreements are (issue 19):
    whether the person is consulted on each, and which sides have signed its newest version, come as columns of
    the same query instead of a prefetch and a second query that only ran when there were such agreements."""
    if not user.is_authenticated:
        return []
    open_statuses = [s for s in Status.values if s not in SIGNED_OR_LATER] + [Status.FOLLOWED_UP]
    latest = AgreementVersion.objects.filter(agreement=OuterRef("agreement")).order_by("-number").values("pk")[:1]
    signed = AgreementSignature.objects.filter(agreement=OuterRef("pk"), version_id=Subquery(latest))
    consulted = Agreement.consultees.through.objects.filter(agreement_id=OuterRef("pk"), user_id=user.pk)
    candidates = list(
        involving(user)
        .filter(status__in=open_statuses)
        .select_related("workplace", "committee")
        .annotate(
            user_consulted=Exists(consulted),
            workplace_signed=Case(
                When(status=Status.APPROVED, then=Exists(signed.filter(side=AgreementSignature.Side.WORKPLACE))),
                default=Value(False),
            ),
            committee_signed=Case(
                When(status=Status.APPROVED, then=Exists(signed.filter(side=AgreementSignature.Side.COMMITTEE))),
                default=Value(False),
            ),
        )
        .order_by("status_changed_at", "pk")[:200]
    )
    tasks = []
    for agreement in candidates:
        agreement.consulted_for = (user.pk, agreement.user_consulted)
        sides = {
            side
            for side, done in (
                (AgreementSignature.Side.WORKPLACE, agreement.workplace_signed),
                (AgreementSignature.Side.COMMITTEE, agreement.committee_signed),
            )
            if done
        }
        text = next_step(user, agreement, sides)
        if text:
            tasks.append(Task(agreement, text))
        if len(tasks) >= limit:
            break
    return tasks


# --- Integrity of the frozen texts and their signatures ------------------------------------------------------------


def integrity_report():
    """Every frozen version's stored text fingerprinted again, and every signature checked against the fingerprint
    of the version it is bound to; for ``verify_signatures``, ``verify_audit`` and the nightly job. A text edited
    in the database behind the portal's back is named, and so is every signature on it."""

    problems = []
    versions = {}  # pk -> (agreement id, number, stored fingerprint, recomputed)
    for version in AgreementVersion.objects.only("pk", "agreement_id", "number", "text", "fingerprint").iterator():
        recomputed = version.recompute_fingerprint()
        versions[version.pk] = (version.agreement_id, version.number, version.fingerprint, recomputed)
        if recomputed != version.fingerprint:
            message = gettext_lazy(
                "Agreement %(agreement)s, version %(number)s: the frozen text no longer matches its fingerprint."
            )
            problems.append(Problem(Text(message, agreement=version.agreement_id, number=version.number)))
    signatures = AgreementSignature.objects.only("pk", "version_id", "fingerprint").order_by("pk")
    for signature in signatures.iterator():
        agreement_id, number, stored, recomputed = versions[signature.version_id]
        if signature.fingerprint != stored:
            message = gettext_lazy(
                "Agreement %(agreement)s, signature #%(id)s on version %(number)s: it is bound to another "
                "fingerprint than the version's."
            )
        elif recomputed != signature.fingerprint:
            message = gettext_lazy(
                "Agreement %(agreement)s, signature #%(id)s on version %(number)s: the text signed was changed "
                "after signing."
            )
        else:
            continue
        problems.append(
            Problem(Text(message, agreement=agreement_id, id=signature.pk, number=number), entry_id=signature.pk)
        )
    return Report(
        name="agreements",
        label=Text(gettext_lazy("Frozen texts and signatures of development agreements")),
        checked=len(versions),
        problems=problems,
    )
