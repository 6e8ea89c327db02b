"""Reads for the codex: the version in force, who must sign, who has, the register, the mirror."""

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import chain, chains
from core.chains import Problem, Report, Text
from core.versioned_cache import version_bump, versioned_get_or_set
from meetings.models import CommitteeMembership, User, WorkplaceRole

from .models import (
    CodexVersion,
    MirrorAnswer,
    MirrorQuestion,
    SignatureEvent,
    SignatureLogHead,
    SignerRole,
    roles_of,
)

MIRROR_MIN_ANSWERS = 5


# The version in force and the versions whose signatures count for it are read on nearly every page (the gate, the
# dashboard banner), and change only when a version is published. They are cached for a short while and the
# cache is dropped whenever a version is saved (see apps.py). With a per-process cache (the embedded default),
# other processes may see a newly published version up to this many seconds late; with Redis, at once.
IN_FORCE_CACHE_KEY = "codex:in-force"
IN_FORCE_CACHE_SECONDS = 60


def _in_force() -> dict:
    today = timezone.localdate()
    state = cache.get(IN_FORCE_CACHE_KEY)
    if state is None or state["day"] != today or "before" not in state:
        version = CodexVersion.objects.in_force(today).first()
        accepted = _accepted_versions(version) if version is not None else []
        state = {"day": today, "version": version, "accepted": accepted, "before": _signed_before_ids(version)}
        cache.set(IN_FORCE_CACHE_KEY, state, IN_FORCE_CACHE_SECONDS)
    return state


def _signed_before_ids(version: CodexVersion | None) -> list[int]:
    """After a material change: the versions whose signatures counted just before it (the grace period's)."""
    if version is None or version.change_kind != CodexVersion.ChangeKind.MATERIAL:
        return []
    previous = previous_published(version)
    return [v.pk for v in _accepted_versions(previous)] if previous is not None else []


def forget_in_force(**kwargs) -> None:
    cache.delete(IN_FORCE_CACHE_KEY)
    # Again after commit, in case a request cached the old state while the change was uncommitted.
    transaction.on_commit(lambda: cache.delete(IN_FORCE_CACHE_KEY), robust=True)


# The register's counts aggregate over everyone, so the register (its counts and each list page, per query string)
# is kept in the cache under a key made of what it is built from: the version in force, the signature log's length
# (SignatureLogHead.entries, raised by every signature and withdrawal inside its transaction), the day (roles are
# current by date), the language, and a token that changes whenever a person, a membership, a role, a committee or
# a workplace is saved or deleted (see apps.py). A change is a new key at once; nothing is ever stale.
REGISTER_PEOPLE_KEY = "codex:register-people"
REGISTER_CACHE_SECONDS = 24 * 60 * 60


def _register_people_token() -> str:
    token = cache.get(REGISTER_PEOPLE_KEY)
    if token is None:
        cache.add(REGISTER_PEOPLE_KEY, uuid.uuid4().hex, None)
        token = cache.get(REGISTER_PEOPLE_KEY) or "uncached"
    return token


def forget_register(**kwargs) -> None:
    """Signal receiver: the people the register is built from changed; every kept register page is dropped. A
    login's own save (the last login's time) changes nothing the register shows."""
    fields = kwargs.get("update_fields")
    if fields and set(fields) <= {"last_login"}:
        return
    cache.set(REGISTER_PEOPLE_KEY, uuid.uuid4().hex, None)
    # Again after commit, in case a request kept the old state while the change was uncommitted.
    transaction.on_commit(lambda: cache.set(REGISTER_PEOPLE_KEY, uuid.uuid4().hex, None), robust=True)


def register_cache_keys(version: CodexVersion, query: str) -> tuple[str, str]:
    """The keys of the register of ``version`` as shown for ``query`` (the page's query string) and of its counts,
    which every query string shows alike and so share (issue 19): one query. Both are made of the same parts, so
    whatever makes a new register key makes new counts too."""
    entries = SignatureLogHead.objects.filter(pk=1).values_list("entries", flat=True).first() or 0
    parts = (
        version.pk,
        entries,
        timezone.localdate().isoformat(),
        get_language(),
        _register_people_token(),
    )

    def key(last) -> str:
        return "codex:register:" + hashlib.blake2b(repr((*parts, last)).encode("utf-8"), digest_size=16).hexdigest()

    return key(query), key(None)  # None: no query string (always a str) shares the counts' key


def register_cache_key(version: CodexVersion, query: str) -> str:
    """The key of the register of ``version`` as shown for ``query``: one query."""
    return register_cache_keys(version, query)[0]


def current_version(on: dt.date | None = None) -> CodexVersion | None:
    if on is not None and on != timezone.localdate():
        return CodexVersion.objects.in_force(on).first()
    return _in_force()["version"]


def accepted_versions(version: CodexVersion) -> list[CodexVersion]:
    """The versions whose signatures count for ``version``: itself, and the earlier ones
    reached through editorial changes only (a signature carries over an editorial change)."""
    state = _in_force()
    if state["version"] is not None and state["version"].pk == version.pk:
        return list(state["accepted"])
    return _accepted_versions(version)


def _accepted_versions(version: CodexVersion) -> list[CodexVersion]:
    if not version.is_published:
        return [version]
    accepted = [version]
    earlier = CodexVersion.objects.published().filter(number__lt=version.number).order_by("-number")
    step = version
    for previous in earlier:
        if step.change_kind != CodexVersion.ChangeKind.EDITORIAL:
            break
        accepted.append(previous)
        step = previous
    return accepted


def previous_published(version: CodexVersion) -> CodexVersion | None:
    return CodexVersion.objects.published().filter(number__lt=version.number).order_by("-number").first()


def must_sign(user, version: CodexVersion | None) -> bool:
    if version is None or not user.is_authenticated:
        return False
    return bool(roles_of(user) & set(version.roles_to_sign or []))


def can_sign(user) -> bool:
    """Anyone with a role in the portal may sign, whether or not the version requires them to."""
    return bool(roles_of(user))


def active_signature(user, version: CodexVersion | None) -> SignatureEvent | None:
    """The person's signature that counts for the version (its own, or one carried over)."""
    if version is None or not user.is_authenticated:
        return None
    accepted = accepted_versions(version)
    return (
        SignatureEvent.objects.active()
        .filter(person=user, version__in=accepted)
        .select_related("version")
        .order_by("-version__number", "-pk")
        .first()
    )


def own_signature(user, version: CodexVersion) -> SignatureEvent | None:
    """The person's unwithdrawn signature on exactly this version."""
    if not user.is_authenticated:
        return None
    return SignatureEvent.objects.active().filter(person=user, version=version).first()


# Whether a person has signed is asked on every gated page and the dashboard: it is cached per person and version
# (core/versioned_cache.py) under one version for the whole log, replaced by every new entry in the log (signature
# or withdrawal, by anyone) and every saved codex version (a publication changes what carries over); see apps.py.
SIGNATURES_VERSION_KEY = "codex:signatures:version"


def forget_signatures(**kwargs) -> None:
    version_bump(SIGNATURES_VERSION_KEY)


def has_signed(user, version: CodexVersion | None) -> bool:
    if version is None or not user.is_authenticated:
        return False
    return versioned_get_or_set(
        f"codex:signed:{user.pk}",
        [SIGNATURES_VERSION_KEY],
        lambda: active_signature(user, version) is not None,
        also=version.pk,
    )


# --- The grace period after a material change ---------------------------------------------------------------------


def grace_days() -> int:
    return max(int(getattr(settings, "DIALOG_CODEX_GRACE_DAYS", 14)), 0)


def gate_closes_on(published_on: dt.date) -> dt.date:
    """The first day the gate stops those who had signed the version before, for a version in force from
    ``published_on``."""
    return published_on + dt.timedelta(days=grace_days())


def grace_deadline(user, version: CodexVersion | None, *, today: dt.date | None = None) -> dt.date | None:
    """The last day a person who has not signed ``version`` may still go on: after a material change, those who
    had signed the version in force before it get ``DIALOG_CODEX_GRACE_DAYS`` days. None when there is no grace."""
    if version is None or not user.is_authenticated or not version.published_on or not grace_days():
        return None
    if version.change_kind != CodexVersion.ChangeKind.MATERIAL:
        return None
    closes = gate_closes_on(version.published_on)
    if (today or timezone.localdate()) >= closes:
        return None
    state = _in_force()
    before = state["before"] if state["version"] is not None and state["version"].pk == version.pk else None
    if before is None:
        before = _signed_before_ids(version)
    if not before or not SignatureEvent.objects.active().filter(person=user, version_id__in=before).exists():
        return None
    return closes - dt.timedelta(days=1)


def banner_for(user) -> dict:
    """What the dashboard's codex banner needs: whether to ask this person to sign, what changed, and (in the grace
    period after a material change) the last day before the gate stops them."""
    if user is None or not user.is_authenticated:
        return {"show": False}
    version = current_version()
    show = must_sign(user, version) and not has_signed(user, version)
    previous = previous_published(version) if show else None
    deadline = grace_deadline(user, version) if show else None
    return {"show": show, "version": version, "previous": previous, "deadline": deadline}


# --- Who must sign again when a draft is published --------------------------------------------------------------


@dataclass
class SignAgainGroup:
    role: str
    label: str
    total: int  # everyone in the group who must sign the new version
    signed_now: int  # of them, those whose signature counts for the version in force today
    grace_days: int

    @property
    def in_grace(self) -> int:
        """Those who may go on until the deadline (they had signed)."""
        return self.signed_now if self.grace_days else 0

    @property
    def stopped_at_once(self) -> int:
        """Those stopped from the day the new version comes into force."""
        return self.total - self.in_grace


@dataclass
class SignAgain:
    """What publishing a draft as a material change does to the gate, per group, for the publish page."""

    groups: list[SignAgainGroup]
    total: int  # people (each once, whatever their roles)
    signed_now: int
    published_on: dt.date
    closes_on: dt.date  # the first day those who had signed are stopped until they sign again
    grace_days: int

    @property
    def deadline(self) -> dt.date:
        return self.closes_on - dt.timedelta(days=1)

    @property
    def in_grace(self) -> int:
        return self.signed_now if self.grace_days else 0

    @property
    def not_signed_now(self) -> int:
        return self.total - self.signed_now


def sign_again_counts(draft: CodexVersion, *, published_on: dt.date | None = None) -> SignAgain:
    """How many people the draft's roles require to sign, per group, and how many of them have signed the version
    in force (they get the grace period after a material change; the others are stopped at once). One query."""
    published_on = published_on or timezone.localdate()
    previous = CodexVersion.objects.published().filter(number__lt=draft.number).order_by("-number").first()
    accepted = _accepted_versions(previous) if previous is not None else []
    signed = _signed(accepted)
    roles = [role for role in SignerRole.values if role in (draft.roles_to_sign or [])]
    aggregates = {"total": Count("pk", filter=Q(pk__in=people_who_must_sign(draft).values("pk")))}
    aggregates["signed"] = Count("pk", filter=Q(pk__in=people_who_must_sign(draft).values("pk")) & signed)
    for role in roles:
        condition = _group_condition(role) & Q(is_active=True)
        aggregates[f"{role}_total"] = Count("pk", filter=condition)
        aggregates[f"{role}_signed"] = Count("pk", filter=condition & signed)
    totals = User.objects.aggregate(**aggregates)
    labels = dict(SignerRole.choices)
    return SignAgain(
        groups=[
            SignAgainGroup(role, str(labels[role]), totals[f"{role}_total"], totals[f"{role}_signed"], grace_days())
            for role in roles
        ],
        total=totals["total"],
        signed_now=totals["signed"],
        published_on=published_on,
        closes_on=gate_closes_on(published_on),
        grace_days=grace_days(),
    )


def _role_filter(role: str) -> Q:
    if role == SignerRole.POLITICIAN:
        return Q(pk__in=CommitteeMembership.objects.current().values("user_id"))
    if role == SignerRole.LEADER:
        return Q(pk__in=WorkplaceRole.objects.current().filter(role=WorkplaceRole.Role.LEADER).values("user_id"))
    if role == SignerRole.OFFICIAL:
        return Q(is_staff=True)
    if role == SignerRole.TRIO:
        return Q(
            pk__in=WorkplaceRole.objects.current()
            .filter(role__in=[WorkplaceRole.Role.TRIO, WorkplaceRole.Role.EMPLOYEE])
            .values("user_id")
        )
    return Q(pk__in=[])


def people_who_must_sign(version: CodexVersion):
    condition = Q(pk__in=[])
    for role in version.roles_to_sign or []:
        condition |= _role_filter(role)
    return User.objects.filter(is_active=True).filter(condition)


def people_still_to_sign(version: CodexVersion):
    accepted = accepted_versions(version)
    signed = SignatureEvent.objects.active().filter(version__in=accepted).values("person_id")
    return people_who_must_sign(version).exclude(pk__in=signed)


# --- The public register -----------------------------------------------------------
#
# Counts are aggregated in the database and the list of names is paginated, so the page stays the same size and
# the same number of queries for a municipality of 60 workplaces or 2,000.

REGISTER_SIGNED = "signed"
REGISTER_MISSING = "missing"


def _signed(accepted: list[CodexVersion]) -> Q:
    # An uncorrelated IN (subquery): the database computes the signers once, not once per person.
    return Q(pk__in=SignatureEvent.objects.active().filter(version__in=accepted).values("person_id"))


def _group_condition(role: str) -> Q:
    if role == SignerRole.OFFICIAL:
        return Q(is_staff=True, is_active=True)
    return _role_filter(role)


@dataclass
class RegisterPerson:
    person: User
    roles: list[str] = field(default_factory=list)  # SignerRole values
    role_labels: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # committees and workplaces
    signature: SignatureEvent | None = None
    version_id: int | None = None

    @property
    def carried_over(self) -> bool:
        return self.signature is not None and self.signature.version_id != self.version_id


@dataclass
class RegisterGroup:
    role: str
    label: str
    must_sign: bool
    signed: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        return self.signed + self.missing


@dataclass
class CommitteeCount:
    name: str
    signed: int = 0
    total: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.signed


@dataclass
class RegisterCounts:
    version: CodexVersion
    accepted: list[CodexVersion]
    groups: list[RegisterGroup]
    committees: list[CommitteeCount]
    missing_count: int


def register_counts(version: CodexVersion) -> RegisterCounts:
    """Signed and missing per group and per committee: three queries, whatever the size of the municipality."""
    accepted = accepted_versions(version)
    required = set(version.roles_to_sign or [])
    signed = _signed(accepted)
    aggregates = {}
    for role in SignerRole.values:
        condition = _group_condition(role)
        aggregates[f"{role}_signed"] = Count("pk", filter=condition & signed)
        aggregates[f"{role}_missing"] = Count("pk", filter=condition & Q(is_active=True) & ~signed)
    aggregates["missing_total"] = Count("pk", filter=Q(pk__in=people_who_must_sign(version).values("pk")) & ~signed)
    totals = User.objects.aggregate(**aggregates)
    groups = []
    for value, label in SignerRole.choices:
        must = value in required
        group = RegisterGroup(
            role=value,
            label=str(label),
            must_sign=must,
            signed=totals[f"{value}_signed"],
            missing=totals[f"{value}_missing"] if must else 0,
        )
        if must or group.signed:
            groups.append(group)
    signers = SignatureEvent.objects.active().filter(version__in=accepted).values("person_id")
    committees = [
        CommitteeCount(name=row["committee__name"], signed=row["signed"], total=row["total"])
        for row in CommitteeMembership.objects.current()
        .filter(committee__is_active=True)
        .values("committee__name")
        .annotate(total=Count("pk"), signed=Count("pk", filter=Q(user_id__in=signers)))
        .order_by("committee__name")
    ]
    return RegisterCounts(
        version=version,
        accepted=accepted,
        groups=groups,
        committees=committees,
        missing_count=totals["missing_total"] if required else 0,
    )


def register_counts_kept(version: CodexVersion, key: str) -> "RegisterCounts":
    """:func:`register_counts` kept in the cache under ``key`` (from :func:`register_cache_keys`): a filter or a
    page of the register built anew does not aggregate over everyone again."""
    counts = cache.get(key)
    if counts is None:
        counts = register_counts(version)
        cache.set(key, counts, REGISTER_CACHE_SECONDS)
    return counts


def register_people(version: CodexVersion, *, status: str = REGISTER_SIGNED, role: str = "", text: str = ""):
    """The people of one list of the register (signed, or still to sign), by name, as a queryset to paginate."""
    accepted = accepted_versions(version)
    if status == REGISTER_MISSING:
        people = people_who_must_sign(version).exclude(_signed(accepted))
    else:
        people = User.objects.filter(_signed(accepted))
    if role in SignerRole.values:
        people = people.filter(_group_condition(role))
    if text:
        people = people.filter(full_name__icontains=text.strip())
    return people.order_by("full_name", "pk")


def register_entries(version: CodexVersion, people: list[User]) -> list[RegisterPerson]:
    """Roles, places and the counting signature of the people on one page of the register: three queries."""
    accepted = accepted_versions(version)
    ids = [p.pk for p in people]
    entries = {p.pk: RegisterPerson(person=p, version_id=version.pk) for p in people}
    signatures = (
        SignatureEvent.objects.active()
        .filter(version__in=accepted, person_id__in=ids)
        .select_related("version")
        .order_by("person_id", "-version__number", "pk")
    )
    for signature in signatures:
        entry = entries[signature.person_id]
        if entry.signature is None:  # the newest signature counts
            entry.signature = signature
    memberships = CommitteeMembership.objects.current().filter(user_id__in=ids).select_related("committee")
    for membership in memberships:
        entry = entries[membership.user_id]
        entry.places.append(membership.committee.name)
        if SignerRole.POLITICIAN not in entry.roles:
            entry.roles.append(SignerRole.POLITICIAN)
    for workplace_role in WorkplaceRole.objects.current().filter(user_id__in=ids).select_related("workplace"):
        entry = entries[workplace_role.user_id]
        entry.places.append(workplace_role.workplace.name)
        kind = SignerRole.LEADER if workplace_role.role == WorkplaceRole.Role.LEADER else SignerRole.TRIO
        if kind not in entry.roles:
            entry.roles.append(kind)
    labels = dict(SignerRole.choices)
    for entry in entries.values():
        if entry.person.is_staff and entry.person.is_active:
            entry.roles.append(SignerRole.OFFICIAL)
        entry.roles.sort(key=list(SignerRole.values).index)
        entry.role_labels = [str(labels[r]) for r in entry.roles]
    return [entries[p.pk] for p in people]


# --- Verification --------------------------------------------------------------------


@dataclass
class SignatureCheck:
    event: SignatureEvent
    recomputed_fingerprint: str
    text_matches: bool
    entry_matches: bool

    @property
    def holds(self) -> bool:
        return self.text_matches and self.entry_matches


def signature_check(event: SignatureEvent) -> SignatureCheck:
    version = CodexVersion.objects.with_text().get(pk=event.version_id)
    recomputed = version.compute_fingerprint()
    return SignatureCheck(
        event=event,
        recomputed_fingerprint=recomputed,
        text_matches=recomputed == event.text_fingerprint,
        entry_matches=_entry_holds(event)
        and event.name_is_intact(erased=User.objects.filter(pk=event.person_id, erased_at__isnull=False).exists()),
    )


def _entry_holds(event: SignatureEvent) -> bool:
    key = chains.verifying_keys().get(event.key_id)
    return key is not None and chain.entry_hash(event.previous_hash, event.chain_fields(), key) == event.entry_hash


CHAIN = "signatures"  # the anchor file's name for the signature log


@dataclass(frozen=True)
class LogProblem:
    entry_id: int | None
    version_number: int | None
    # "link", "hash", "key", "text", "version", "head", "name"; and from the anchor file "truncated" (entries
    # first..last, counted in log order, are gone) and "rewritten" (the anchored entry has another hash now)
    reason: str
    first: int | None = None
    last: int | None = None


def log_problems() -> list[LogProblem]:
    """Every break in the signature log and in the published texts; empty when all hold."""
    return _log_check()[0]


def _log_check():
    problems: list[LogProblem] = []
    fingerprints = {}
    for version in CodexVersion.objects.published().with_text().order_by("number"):
        fingerprints[version.pk] = version.compute_fingerprint()
        if fingerprints[version.pk] != version.fingerprint:
            problems.append(LogProblem(None, version.number, "version"))
    numbers = dict(CodexVersion.objects.values_list("pk", "number"))
    events = list(SignatureEvent.objects.in_log_order())
    entries = [chain.ChainEntry(e.pk, e.chain_fields(), e.previous_hash, e.entry_hash, e.key_id) for e in events]
    by_id = {e.pk: e for e in events}
    for broken in chain.verify_chain(entries, chains.verifying_keys()):
        problems.append(LogProblem(broken.entry_id, numbers.get(by_id[broken.entry_id].version_id), broken.reason))
    head = SignatureLogHead.objects.filter(pk=1).first()
    if head is not None and (head.entries != len(events) or (events and events[-1].entry_hash != head.entry_hash)):
        problems.append(LogProblem(events[-1].pk if events else None, None, "head"))
    anchored = chains.anchor_newest(CHAIN)
    found = chain.anchor_check(
        anchored,
        entries=len(events),
        hash_at_seq=events[anchored.seq - 1].entry_hash if anchored and 0 < anchored.seq <= len(events) else None,
    )
    if found is not None:
        entry_id = anchored.entry_id if found.reason == "rewritten" else None
        problems.append(LogProblem(entry_id, None, found.reason, found.first, found.last))
    erased = set(User.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    for event in events:
        if event.kind == SignatureEvent.Kind.SIGN and fingerprints.get(event.version_id) != event.text_fingerprint:
            problems.append(LogProblem(event.pk, numbers.get(event.version_id), "text"))
        if not event.name_is_intact(erased=event.person_id in erased):
            problems.append(LogProblem(event.pk, numbers.get(event.version_id), "name"))
    problems.sort(key=lambda p: (p.entry_id or 0, p.version_number or 0, p.reason))
    newest = chain.Anchor(CHAIN, len(events), events[-1].entry_hash, entry_id=events[-1].pk) if events else None
    return problems, newest, anchored, len(events)


LOG_REASONS = {
    "link": _(
        "Entry #%(id)s%(version)s does not follow the entry before it (an entry was removed, inserted or reordered)."
    ),
    "hash": _("Entry #%(id)s%(version)s was changed after it was written."),
    "key": _("Entry #%(id)s%(version)s was written with a key the portal does not have (or its key id was changed)."),
    "text": _("Entry #%(id)s%(version)s: the text of its version no longer matches the fingerprint signed."),
    "version": _("Version %(number)s: the published text no longer matches its fingerprint."),
    "head": _("Entries are missing at the end of the log: the head row does not match the newest entry."),
    "name": _("Entry #%(id)s%(version)s: the typed name was changed after signing (the person's data was not erased)."),
    "truncated": _(
        "Entries %(first)s..%(last)s of the log (counted in log order) are missing at the end (the anchor file has "
        "had entry %(last)s as the newest since %(at)s)."
    ),
    "truncated_one": _(
        "Entry %(first)s of the log (counted in log order) is missing at the end (the anchor file has had it as the "
        "newest since %(at)s)."
    ),
    "rewritten": _(
        "Entry %(first)s of the log (counted in log order) does not match its hash in the anchor file: the log was "
        "recomputed after it was anchored."
    ),
}


def log_problem_text(problem: LogProblem, *, at: str = ""):
    """The problem as a sentence, in the language active when it is shown."""
    version = ""
    if problem.version_number:
        version = Text(_(" (version %(number)s)"), number=problem.version_number)
    reason = problem.reason
    if reason == "truncated" and problem.first == problem.last:
        reason = "truncated_one"
    return Text(
        LOG_REASONS[reason],
        id=problem.entry_id or "",
        version=version,
        number=problem.version_number or "",
        first=problem.first or "",
        last=problem.last or "",
        at=at,
    )


def signature_log_report() -> Report:
    """The signature log's check, for ``verify_signatures``, ``verify_audit`` and the nightly job."""
    problems, newest, anchored, count = _log_check()
    at = anchored.at if anchored else ""
    return Report(
        name=CHAIN,
        label=Text(_("Signature log of the codex")),
        checked=count,
        problems=[Problem(log_problem_text(p, at=at), entry_id=p.entry_id) for p in problems],
        head=newest,
        anchored=anchored,
    )


# --- Mirror questions -----------------------------------------------------------------


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass
class MirrorCell:
    count: int
    average: float | None  # None when fewer than MIRROR_MIN_ANSWERS answers: not shown

    @property
    def shown(self) -> bool:
        return self.average is not None


@dataclass
class MirrorCommittee:
    name: str
    quarters: list[dt.date]
    rows: list[tuple[MirrorQuestion, list[MirrorCell]]]


def mirror_summary(*, since: dt.date | None = None) -> list[MirrorCommittee]:
    """Average score per committee, question and quarter; cells with fewer than five answers are hidden."""
    questions = list(MirrorQuestion.objects.active())
    if not questions:
        return []
    since = since or quarter_start(timezone.localdate() - dt.timedelta(days=365 * 2))
    rows = (
        MirrorAnswer.objects.filter(question__in=questions, quarter__gte=since)
        .values("committee_id", "committee__name", "question_id", "quarter")
        .annotate(count=Count("id"), average=Avg("score"))
        .order_by("committee__name", "quarter")
    )
    data: dict[tuple, dict] = defaultdict(dict)
    quarters: dict[tuple, set] = defaultdict(set)
    for row in rows:
        key = (row["committee_id"], row["committee__name"] or "")
        data[key][(row["question_id"], row["quarter"])] = (row["count"], row["average"])
        quarters[key].add(row["quarter"])
    out = []
    for key in sorted(data, key=lambda k: k[1]):
        qs = sorted(quarters[key])
        table = []
        for question in questions:
            cells = []
            for quarter in qs:
                count, average = data[key].get((question.pk, quarter), (0, None))
                shown = count >= MIRROR_MIN_ANSWERS
                cells.append(MirrorCell(count=count if shown else 0, average=round(average, 1) if shown else None))
            table.append((question, cells))
        out.append(MirrorCommittee(name=key[1], quarters=qs, rows=table))
    return out
