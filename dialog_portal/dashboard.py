"""The dashboard: what is next for the signed-in person, by role, gathered from every floor below.

It stands on the top floor because it reads every app (visits, the rotation, the agreements, the outbox); each
panel is one query or a few, whatever the amount of data (``tests/meetings/visits/test_dashboard.py``). The
rendered panels are kept in the cache per person and language (``cached_dashboard``): a warm dashboard runs no
query, and every change shows at once (``tests/dialog_portal/test_dashboard_cache.py``).
"""

import datetime as dt
import pickle
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import CharField, Count, DateField, DateTimeField, F, Func, IntegerField, Q, Subquery, Value
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementSignature, AgreementVersion
from agreements.selectors import dashboard_tasks, missing_for_leader
from codex import selectors as codex_selectors
from codex.challenges.models import Challenge, ChallengeJoiner
from codex.challenges.selectors import dashboard_challenges
from codex.models import CodexVersion, SignatureEvent
from codex.positive_list.models import PolicyItem
from codex.positive_list.selectors import due_count, due_for_leader
from core.models import OutboxMessage
from core.versioned_cache import model_version_keys, track_model_versions, versioned_get_or_set
from meetings.hearings.selectors import coming_matters_for_politician, open_hearings_for_leader
from meetings.models import (
    Blackout,
    CancellationRequest,
    Committee,
    CommitteeMembership,
    Hearing,
    HearingResponse,
    Matter,
    Meeting,
    MeetingDate,
    MeetingInvitation,
    Presentation,
    Question,
    Story,
    User,
    Venue,
    Visit,
    VisitFeedback,
    VisitParticipant,
    VisitSlot,
    WaitlistEntry,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
)
from meetings.models.organisation import NAME_VERSION_KEYS, person_version_keys, roles_version_keys
from meetings.questions.selectors import NEW_ANSWER_DAYS, dashboard_questions
from meetings.rotation.selectors import person_meetings
from meetings.stories.selectors import awaiting_for_leader, recent_for_politician
from meetings.visits.selectors import waitlist_offers, with_participant_names


def home(request):
    """The front page: the public welcome, or the signed-in person's dashboard."""
    if not request.user.is_authenticated:
        return render(request, "dialog_portal/home_public.html")
    cached = cached_dashboard(request.user)
    context = {
        "board": LazyBoard(cached),  # the panels are rendered already: only tests (and the shell) read it
        "panels": mark_safe(cached.html),  # noqa: S308 - our own template rendered it, escaping as it does
        "codex_banner": codex_selectors.banner_for(request.user),
    }
    return render(request, "dialog_portal/dashboard.html", context)


@dataclass
class CachedDashboard:
    html: str  # the panels, rendered in the person's language
    valid_until: dt.datetime | None  # the first moment time alone changes a panel (a visit ends, a hold runs out)
    pickled_board: bytes  # the board the panels were rendered from: unpickled only when asked for (tests, the shell)

    @property
    def board(self) -> "Dashboard":
        return pickle.loads(self.pickled_board)  # noqa: S301 - our own cache's entry, as every cached value


class LazyBoard:
    """The board of a cached dashboard, unpickled at its first attribute read. Not a ``SimpleLazyObject``: that
    answers ``isinstance`` by loading, and the base template's error summary asks it of every context value."""

    def __init__(self, cached: CachedDashboard):
        self._cached = cached

    def __getattr__(self, name):
        if name.startswith("__") or name == "_cached":
            raise AttributeError(name)
        board = self.__dict__.get("_board")
        if board is None:
            board = self.__dict__["_board"] = self._cached.board
        return getattr(board, name)


def cached_dashboard(user: User) -> CachedDashboard:
    """The person's board and its panels' HTML, kept per person and language under the versions of every model a
    panel reads and of the person's roles, for today (dates shown, deadlines, "due") and until the first moment
    after which time alone moves a row (``_valid_until``). The panels hold no CSRF token, no message and nothing
    of another person's."""
    now = timezone.now()

    def compute() -> CachedDashboard:
        board = dashboard_for(user)
        html = render_to_string("dialog_portal/_dashboard_panels.html", {"board": board}).strip()
        return CachedDashboard(
            html=html,
            valid_until=_valid_until(board, user, now),
            pickled_board=pickle.dumps(board, pickle.HIGHEST_PROTOCOL),
        )

    return versioned_get_or_set(
        DASHBOARD_KEY.format(pk=user.pk, language=get_language()),
        dashboard_version_keys(user),
        compute,
        also=timezone.localdate(now),
        fresh=lambda value: value.valid_until is None or timezone.now() < value.valid_until,
    )


DASHBOARD_KEY = "dashboard:{pk}:{language}"


@dataclass
class Dashboard:
    """What is next for one person, by role. Later features add their panels here."""

    memberships: list = field(default_factory=list)
    workplace_roles: list = field(default_factory=list)
    upcoming_blackouts: list = field(default_factory=list)
    admin_counts: dict = field(default_factory=dict)
    visits_awaiting_confirmation: list = field(default_factory=list)  # leaders
    visits_hosting: list = field(default_factory=list)  # leaders: confirmed, coming
    visits_upcoming: list = field(default_factory=list)  # politicians
    visits_awaiting_feedback: list = field(default_factory=list)  # politicians
    waitlist_offers: list = field(default_factory=list)  # politicians: times held for them from a waiting list
    agreement_tasks: list = field(default_factory=list)  # development agreements waiting for the person
    agreements_missing: list = field(default_factory=list)  # leaders: (workplace, committee) without one this year
    meetings_upcoming: list = field(default_factory=list)  # committee meetings the person takes part in
    hearings_open: list = field(default_factory=list)  # leaders: hearings not yet answered, shown first
    matters_coming: list = field(default_factory=list)  # politicians: matters of their next meetings, who was heard
    policy_reviews_due: list = field(default_factory=list)  # leaders: the positive list's items due for review
    policy_lists_due: list = field(default_factory=list)  # politicians: their seats whose committee has reviews due
    questions_to_answer: list = field(default_factory=list)  # leaders (and heads of centre): questions with deadlines
    questions_waiting: list = field(default_factory=list)  # politicians: their questions not yet answered
    questions_answered: list = field(default_factory=list)  # politicians: their questions answered lately
    stories_recent: list = field(default_factory=list)  # politicians: the newest stories from their workplaces
    stories_awaiting: list = field(default_factory=list)  # leaders: the trio's stories waiting to be shared
    visits_to_confirm: list = field(default_factory=list)  # leaders and politicians: over, say what happened
    meetings_to_confirm: list = field(default_factory=list)  # host leaders, chairs, secretariat: over
    challenges_waiting: list = field(default_factory=list)  # politicians: challenges of rules for their committees
    challenges_own: list = field(default_factory=list)  # leaders: their workplaces' challenges of rules

    def visit_sections(self) -> list[tuple[str, list]]:
        """The visit lists shown alike (heading, visits), those with visits, for one loop in the template."""
        sections = [
            (_("Awaiting your confirmation"), self.visits_awaiting_confirmation),
            (_("Visits you host"), self.visits_hosting),
            (_("Your coming visits"), self.visits_upcoming),
        ]
        return [(heading, visits) for heading, visits in sections if visits]


def dashboard_for(user: User) -> Dashboard:
    roles = user.roles
    board = Dashboard()
    if roles.is_politician:
        board.memberships = list(
            CommitteeMembership.objects.current()
            .filter(user=user)
            .select_related("committee")
            .annotate(
                workplace_count=Count("committee__workplaces", filter=Q(committee__workplaces__is_active=True)),
                policy_due=due_count("committee"),
            )
        )
        board.policy_lists_due = [m for m in board.memberships if m.policy_due]
    if roles.workplace_roles:
        _add_workplaces(board, user)
    _add_visit_panels(board, user)
    _add_meeting_panels(board, user)
    if roles.is_leader or roles.is_trio or roles.is_politician or roles.is_administrator:
        board.agreement_tasks = dashboard_tasks(user)
        board.agreements_missing = missing_for_leader(user, timezone.localdate().year)
    board.hearings_open = open_hearings_for_leader(user)
    board.matters_coming = coming_matters_for_politician(user)
    board.policy_reviews_due = due_for_leader(user)
    questions = dashboard_questions(user)
    board.questions_to_answer, board.questions_waiting = questions.to_answer, questions.waiting
    board.questions_answered = questions.answered
    board.stories_recent = recent_for_politician(user)
    board.stories_awaiting = awaiting_for_leader(user)
    challenges = dashboard_challenges(user)
    board.challenges_waiting, board.challenges_own = challenges.waiting, challenges.own
    if roles.is_administrator:
        board.admin_counts = admin_counts(user)
    return board


def admin_counts(user: User) -> dict[str, int]:
    """The secretariat's counts, the same for every administrator: kept under the versions of the models counted
    (no time in them)."""
    active_people = User.objects.filter(is_active=True)
    return versioned_get_or_set(
        ADMIN_COUNTS_KEY,
        model_version_keys(*ADMIN_COUNT_MODELS),
        lambda: _counts(
            user,
            cancellations=CancellationRequest.objects.filter(status=CancellationRequest.Status.OPEN),
            committees=Committee.objects.active(),
            workplaces=Workplace.objects.active(),
            people=active_people,
            not_invited=active_people.filter(invited_at__isnull=True, last_login__isnull=True),
            undelivered=OutboxMessage.objects.dead(),
        ),
    )


ADMIN_COUNTS_KEY = "dashboard:admin-counts"


def _add_workplaces(board: Dashboard, user: User) -> None:
    """The person's workplace roles and the coming closures of the workplaces they lead (ten, the first first), in
    one query: both as rows of the same columns joined with UNION ALL, then made into the objects the panel shows
    (the workplace's name, address and kind; the role; the closure's days and reason)."""
    text, day = CharField(), DateField()

    def columns(rows, *, row, role, first, last, reason, kind_id, kind_name):
        # The same annotations in the same order on both sides, so the UNION's columns line up.
        return rows.annotate(
            row=Value(row, output_field=text),
            ident=F("pk"),
            place_id=F("workplace_id"),
            place_name=F("workplace__name"),
            place_slug=F("workplace__slug"),
            place_kind_id=kind_id,
            place_kind=kind_name,
            held_role=role,
            first=first,
            last=last,
            note=reason,
        ).values_list(*ROW_COLUMNS)

    places = columns(
        WorkplaceRole.objects.current().filter(user=user).order_by(),
        row="role",
        role=F("role"),
        first=Value(None, output_field=day),
        last=Value(None, output_field=day),
        reason=Value("", output_field=text),
        kind_id=F("workplace__kind_id"),
        kind_name=F("workplace__kind__name"),
    )
    led = user.roles.led_workplace_ids
    if led:
        coming = Blackout.objects.upcoming().filter(workplace_id__in=led).order_by("first_day", "pk").values("pk")[:10]
        closures = columns(
            Blackout.objects.filter(pk__in=coming).order_by(),
            row="closure",
            role=Value("", output_field=text),
            first=F("first_day"),
            last=F("last_day"),
            reason=F("reason"),
            kind_id=Value(None, output_field=IntegerField()),
            kind_name=Value("", output_field=text),
        )
        places = places.union(closures, all=True)
    workplaces: dict[int, Workplace] = {}
    for row, ident, place_id, name, slug, kind_id, kind, role, first, last, note in places:
        workplace = workplaces.get(place_id)
        if workplace is None:
            workplace = workplaces[place_id] = Workplace(pk=place_id, name=name, slug=slug)
        if row == "role":
            workplace.kind = WorkplaceKind(pk=kind_id, name=kind)
            board.workplace_roles.append(WorkplaceRole(pk=ident, user_id=user.pk, workplace=workplace, role=role))
        else:
            board.upcoming_blackouts.append(
                Blackout(pk=ident, workplace=workplace, first_day=first, last_day=last, reason=note)
            )
    # The models' own orders: roles by workplace and role, closures by their first day.
    board.workplace_roles.sort(key=lambda wrole: (wrole.workplace.name, wrole.role, wrole.pk))
    board.upcoming_blackouts.sort(key=lambda blackout: (blackout.first_day, blackout.pk))


ROW_COLUMNS = (
    "row", "ident", "place_id", "place_name", "place_slug", "place_kind_id", "place_kind", "held_role", "first",
    "last", "note",
)  # fmt: skip


def _counts(user: User, **querysets) -> dict[str, int]:
    """How many rows each query finds, all in one statement: subqueries on the person's own row (which exists)."""
    counts = {
        name: Subquery(queryset.order_by().annotate(_n=Func("pk", function="COUNT")).values("_n"))
        for name, queryset in querysets.items()
    }
    return User.objects.filter(pk=user.pk).values(**counts).get()


def _add_visit_panels(board: Dashboard, user: User) -> None:
    """Every visit list of the dashboard (those over and not confirmed included) in one query, each with its
    participants' names, and the times held from a waiting list."""
    roles = user.roles
    now = timezone.now()
    lists = []  # (the board's list, its visits, newest first?, how many)
    # Over and not confirmed: the visits of the workplaces they lead and those they took part in, as two parts of
    # one list (one condition with OR made PostgreSQL scan every visit).
    unconfirmed = Visit.objects.unconfirmed(now)
    if roles.led_workplace_ids:
        lists.append(("visits_to_confirm", unconfirmed.filter(workplace_id__in=roles.led_workplace_ids), True, 10))
    if roles.led_workplace_ids or roles.is_politician:
        taken_part = VisitParticipant.objects.filter(person=user).values("visit_id")
        lists.append(("visits_to_confirm", unconfirmed.filter(pk__in=taken_part), True, 10))
    if roles.led_workplace_ids:
        hosted = Visit.objects.filter(workplace_id__in=roles.led_workplace_ids, starts_at__gt=now)
        lists.append(("visits_awaiting_confirmation", hosted.awaiting_confirmation(), False, 10))
        lists.append(("visits_hosting", hosted.filter(status=Visit.Status.CONFIRMED), False, 10))
    if roles.is_politician:
        mine = Visit.objects.with_person(user)
        lists.append(("visits_upcoming", mine.upcoming(now).filter(starts_at__gt=now), False, 10))
        feedback_due = mine.filter(
            status=Visit.Status.HELD, ends_at__lte=now, ends_at__gte=now - timedelta(days=60)
        ).exclude(pk__in=VisitFeedback.objects.filter(author=user).values("visit_id"))
        lists.append(("visits_awaiting_feedback", feedback_due, True, 10))
        board.waitlist_offers = list(waitlist_offers(user, now=now))
    # The rows show the workplace's name, the times, the status and the participants' names: nothing else joined
    # (joins run before the sort that cuts each list, on every matching row).
    _fill_lists(board, lists, lambda qs: with_participant_names(qs.select_related("workplace")))


def _add_meeting_panels(board: Dashboard, user: User) -> None:
    """The coming committee meetings and those over and not confirmed, in one query."""
    roles = user.roles
    now = timezone.now()
    lists = []
    chaired = roles.chair_committee_ids | roles.vice_chair_committee_ids
    if roles.is_administrator or roles.led_workplace_ids or chaired:
        meetings = Meeting.objects.unconfirmed(now)
        if not roles.is_administrator:
            meetings = meetings.filter(Q(host_id__in=roles.led_workplace_ids) | Q(committee_id__in=chaired))
        lists.append(("meetings_to_confirm", meetings, True, 10))
    if roles.is_politician or roles.workplace_roles:
        lists.append(("meetings_upcoming", person_meetings(user).upcoming(now), False, 5))
    _fill_lists(board, lists, lambda qs: qs.select_related("committee", "host", "venue", "venue_workplace"))


def _fill_lists(board: Dashboard, lists: list, shape) -> None:
    """Short lists of one model in one query: each list's own query (shaped alike by ``shape``: the same columns),
    ordered by its time and cut to its length, tagged with its place, joined with UNION ALL. Cheaper than one
    query a list, and than one ROW_NUMBER query (Django compiles the window's nested query at a high cost). A list
    named twice is the union of both parts (a row in both counts once)."""
    queries = []
    for index, (_name, qs, newest_first, limit) in enumerate(lists):
        order = ("-starts_at", "-pk") if newest_first else ("starts_at", "pk")
        # Each list cut inside a subquery of its ids (SQLite refuses LIMIT in a part of a UNION), so the joins and
        # the names run on the rows shown only.
        shown = qs.model.objects.filter(pk__in=qs.order_by(*order).values("pk")[:limit])
        queries.append(shape(shown).annotate(dashboard_list=Value(index, output_field=IntegerField())).order_by())
    if not queries:
        return
    rows = list(queries[0].union(*queries[1:], all=True)) if len(queries) > 1 else list(queries[0])
    found: dict[str, dict] = {}
    for row in rows:
        found.setdefault(lists[row.dashboard_list][0], {})[row.pk] = row
    for name, _qs, newest_first, limit in lists:
        chosen = sorted(found.get(name, {}).values(), key=_starts_at, reverse=newest_first)
        setattr(board, name, chosen[:limit])  # the order of UNION ALL's rows is not promised: sorted here


def _starts_at(row):
    return row.starts_at, row.pk


def _valid_until(board: Dashboard, user: User, now: dt.datetime) -> dt.datetime | None:
    """The first moment at or after ``now`` when time alone changes what the board shows (dates are in the cache's
    key: a new day is a new entry). A visit moves list when it starts and when it ends, a meeting when it ends
    (from coming to "did it take place?"), whether shown or not yet: the first such moment of the person's visits
    and meetings comes from one query. Rows shown leave their list at moments of their own: feedback is asked for
    60 days, a new answer is new for ``NEW_ANSWER_DAYS``, a decided challenge is shown for 90 days, a time is held
    from a waiting list until its hold runs out."""
    moments = [*_next_visit_and_meeting_moments(user, now)]
    moments += [entry.hold_until for entry in board.waitlist_offers]
    moments += [visit.ends_at + FEEDBACK_DAYS for visit in board.visits_awaiting_feedback]
    moments += [question.answered_at + NEW_ANSWER_AGE for question in board.questions_answered]
    moments += [
        challenge.decided_at + DECIDED_CHALLENGE_AGE
        for challenge in (*board.challenges_waiting, *board.challenges_own)
        if challenge.decided_at
    ]
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None


FEEDBACK_DAYS = timedelta(days=60)  # as in _add_visit_panels
NEW_ANSWER_AGE = timedelta(days=NEW_ANSWER_DAYS)
DECIDED_CHALLENGE_AGE = timedelta(days=90)  # as in codex.challenges.selectors.dashboard_challenges


def _next_visit_and_meeting_moments(user: User, now: dt.datetime) -> list[dt.datetime]:
    """The first start or end at or after ``now`` of every visit and meeting a panel of the person's could show,
    all in one statement (a subquery each on the person's own row)."""
    roles = user.roles
    led = roles.led_workplace_ids
    chaired = roles.chair_committee_ids | roles.vice_chair_committee_ids
    parts = []  # (rows, the column whose next value counts)
    if led:
        hosted = Visit.objects.filter(workplace_id__in=led)
        parts += [(hosted, "starts_at"), (hosted, "ends_at")]
    if led or roles.is_politician:
        taken_part = Visit.objects.filter(pk__in=VisitParticipant.objects.filter(person=user).values("visit_id"))
        parts += [(taken_part, "starts_at"), (taken_part, "ends_at")]
    if roles.is_administrator:
        parts.append((Meeting.objects.all(), "ends_at"))
    elif led or chaired:
        parts.append((Meeting.objects.filter(Q(host_id__in=led) | Q(committee_id__in=chaired)), "ends_at"))
    if roles.is_politician or roles.workplace_roles:
        parts.append((Meeting.objects.for_person(user), "ends_at"))
    if not parts:
        return []
    firsts = {
        f"m{index}": Subquery(
            rows.filter(**{f"{column}__gte": now})
            .order_by()
            .annotate(_first=Func(column, function="MIN", output_field=DateTimeField()))
            .values("_first")
        )
        for index, (rows, column) in enumerate(parts)
    }
    return list(User.objects.filter(pk=user.pk).annotate(**firsts).values_list(*firsts).get())


# Every model whose rows a panel reads, through the selectors it calls (the codex's: an agreement's next step
# and signing sides): a write to any of them makes every dashboard a miss. Not people: a panel shows other people's
# names only (under NAME_VERSION_KEYS, which a new name replaces) and the person's own row (their own version), so
# another person's login (which saves ``last_login``) leaves every dashboard but the administrators' as it was.
DASHBOARD_MODELS = (
    # the organisation (people's names: NAME_VERSION_KEYS; the person's own row: person_version_keys)
    Committee, CommitteeMembership, Workplace, WorkplaceKind, WorkplaceRole, Blackout, Venue,
    # visits and meetings
    Visit, VisitParticipant, VisitFeedback, VisitSlot, WaitlistEntry, Meeting, MeetingDate, MeetingInvitation,
    # hearings, questions, stories
    Matter, Hearing, HearingResponse, Presentation, Question, Story,
    # the codex, the positive list, challenges; agreements (their consultees: a many-to-many of Agreement's)
    CodexVersion, SignatureEvent, PolicyItem, Challenge, ChallengeJoiner,
    Agreement, AgreementVersion, AgreementSignature,
)  # fmt: skip
# What the administrator's counts read besides (their dashboard only: a message sent does not touch the others').
ADMIN_COUNT_MODELS = (CancellationRequest, Committee, Workplace, User, OutboxMessage)


def track_dashboard_models() -> None:
    """Versions for the models the dashboard reads that no app of theirs tracks (``DialogPortalConfig.ready``)."""
    track_model_versions(*DASHBOARD_MODELS, *ADMIN_COUNT_MODELS)


def dashboard_version_keys(user: User) -> list[str]:
    # Each model once: the administrator's counts read committees, workplaces and people too.
    models = dict.fromkeys(DASHBOARD_MODELS + (ADMIN_COUNT_MODELS if user.roles.is_administrator else ()))
    keys = dict.fromkeys([*roles_version_keys(user.pk), *person_version_keys(user.pk), *NAME_VERSION_KEYS])
    return [*keys, *model_version_keys(*models)]
