"""Reads for the codex: the version in force, who must sign, who has, the register, the mirror."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils import timezone

from meetings.models import CommitteeMembership, User, WorkplaceRole

from . import chain
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


def current_version(on: dt.date | None = None) -> CodexVersion | None:
    return CodexVersion.objects.in_force(on).first()


def accepted_versions(version: CodexVersion) -> list[CodexVersion]:
    """The versions whose signatures count for ``version``: itself, and the earlier ones
    reached through editorial changes only (a signature carries over an editorial change)."""
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


def has_signed(user, version: CodexVersion | None) -> bool:
    return active_signature(user, version) is not None


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


@dataclass
class RegisterPerson:
    person: User
    roles: list[str] = field(default_factory=list)  # SignerRole values
    role_labels: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # committees and workplaces
    committee_ids: set[int] = field(default_factory=set)
    signature: SignatureEvent | None = None

    @property
    def carried_over(self) -> bool:
        return self.signature is not None and self.signature.version_id != self._version_id

    _version_id: int | None = None


@dataclass
class RegisterGroup:
    role: str
    label: str
    must_sign: bool
    signed: list[RegisterPerson] = field(default_factory=list)
    missing: list[RegisterPerson] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.signed) + len(self.missing)


@dataclass
class CommitteeCount:
    name: str
    signed: int = 0
    total: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.signed


@dataclass
class Register:
    version: CodexVersion
    accepted: list[CodexVersion]
    signed: list[RegisterPerson]
    groups: list[RegisterGroup]
    committees: list[CommitteeCount]

    @property
    def missing_count(self) -> int:
        return sum(len(g.missing) for g in self.groups if g.must_sign)


def register_for(version: CodexVersion) -> Register:
    """Who has signed the version, by group, and who is still missing. A fixed number of queries."""
    accepted = accepted_versions(version)
    signatures = list(
        SignatureEvent.objects.active()
        .filter(version__in=accepted)
        .select_related("person", "version")
        .order_by("person__full_name", "-version__number", "pk")
    )
    required = set(version.roles_to_sign or [])
    must = list(people_who_must_sign(version)) if required else []
    people: dict[int, RegisterPerson] = {}
    for user in must:
        people[user.pk] = RegisterPerson(person=user, _version_id=version.pk)
    for signature in signatures:
        entry = people.setdefault(signature.person_id, RegisterPerson(person=signature.person, _version_id=version.pk))
        if entry.signature is None:  # the newest signature counts
            entry.signature = signature
    ids = list(people)
    memberships = CommitteeMembership.objects.current().filter(user_id__in=ids).select_related("committee")
    workplace_roles = WorkplaceRole.objects.current().filter(user_id__in=ids).select_related("workplace")
    for membership in memberships:
        entry = people[membership.user_id]
        entry.places.append(membership.committee.name)
        entry.committee_ids.add(membership.committee_id)
        if SignerRole.POLITICIAN not in entry.roles:
            entry.roles.append(SignerRole.POLITICIAN)
    for role in workplace_roles:
        entry = people[role.user_id]
        entry.places.append(role.workplace.name)
        kind = SignerRole.LEADER if role.role == WorkplaceRole.Role.LEADER else SignerRole.TRIO
        if kind not in entry.roles:
            entry.roles.append(kind)
    labels = dict(SignerRole.choices)
    for entry in people.values():
        if entry.person.is_staff and entry.person.is_active:
            entry.roles.append(SignerRole.OFFICIAL)
        entry.roles.sort(key=list(SignerRole.values).index)
        entry.role_labels = [str(labels[r]) for r in entry.roles]

    groups = []
    for value, label in SignerRole.choices:
        group = RegisterGroup(role=value, label=str(label), must_sign=value in required)
        for entry in sorted(people.values(), key=lambda e: (e.person.full_name.casefold(), e.person.pk)):
            if value not in entry.roles:
                continue
            if entry.signature is not None:
                group.signed.append(entry)
            elif group.must_sign:
                group.missing.append(entry)
        if group.must_sign or group.signed:
            groups.append(group)

    committees: dict[int, CommitteeCount] = {}
    for membership in memberships:
        count = committees.setdefault(membership.committee_id, CommitteeCount(name=membership.committee.name))
        count.total += 1
        if people[membership.user_id].signature is not None:
            count.signed += 1
    signed = sorted(
        (e for e in people.values() if e.signature is not None),
        key=lambda e: (e.person.full_name.casefold(), e.person.pk),
    )
    return Register(
        version=version,
        accepted=accepted,
        signed=signed,
        groups=groups,
        committees=sorted(committees.values(), key=lambda c: c.name),
    )


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
        entry_matches=chain.entry_hash(event.previous_hash, event.chain_fields()) == event.entry_hash,
    )


@dataclass(frozen=True)
class LogProblem:
    entry_id: int | None
    version_number: int | None
    reason: str  # "link", "hash", "text", "version"


def log_problems() -> list[LogProblem]:
    """Every break in the signature log and in the published texts; empty when all hold."""
    problems: list[LogProblem] = []
    fingerprints = {}
    for version in CodexVersion.objects.published().with_text().order_by("number"):
        fingerprints[version.pk] = version.compute_fingerprint()
        if fingerprints[version.pk] != version.fingerprint:
            problems.append(LogProblem(None, version.number, "version"))
    numbers = dict(CodexVersion.objects.values_list("pk", "number"))
    events = list(SignatureEvent.objects.in_log_order())
    entries = [chain.ChainEntry(e.pk, e.chain_fields(), e.previous_hash, e.entry_hash) for e in events]
    by_id = {e.pk: e for e in events}
    for broken in chain.verify_chain(entries):
        problems.append(LogProblem(broken.entry_id, numbers.get(by_id[broken.entry_id].version_id), broken.reason))
    head = SignatureLogHead.objects.filter(pk=1).first()
    if head is not None and (head.entries != len(events) or (events and events[-1].entry_hash != head.entry_hash)):
        problems.append(LogProblem(events[-1].pk if events else None, None, "head"))
    for event in events:
        if event.kind == SignatureEvent.Kind.SIGN and fingerprints.get(event.version_id) != event.text_fingerprint:
            problems.append(LogProblem(event.pk, numbers.get(event.version_id), "text"))
    return sorted(problems, key=lambda p: (p.entry_id or 0, p.version_number or 0, p.reason))


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
