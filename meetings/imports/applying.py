"""Applying the import: the database half. One transaction, all or nothing.

:func:`organisation_import` reads and checks the files (the pure halves), loads every row they mention in a fixed
number of queries, checks the references against those rows, and only when there is no problem at all writes,
saving only values that differ. Rights an existing account would gain are collected as it goes and, unless the
secretariat confirmed exactly that list, refuse the whole import.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record

from ..models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    Hosting,
    User,
    Venue,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
    roles_version_bump,
)
from ..services import people_invite
from .checking import SINGLE_SEATS, Existing, Plans, check_references, plan_rows
from .columns import FILE_LABELS, SLUG_MAX, danish_slugify
from .reading import read_file, source_bytes
from .results import (
    FileRead,
    ImportResult,
    OrganisationImportError,
    Problems,
    RightsRaise,
    RightsRaiseNotConfirmed,
    raises_fingerprint,
    refusal,
)

logger = logging.getLogger(__name__)

# How much a committee seat weighs: a change to a heavier seat is a raise of rights.
SEAT_WEIGHT = {
    CommitteeMembership.Role.MEMBER: 0,
    CommitteeMembership.Role.VICE_CHAIR: 1,
    CommitteeMembership.Role.CHAIR: 2,
}


def organisation_import(
    *,
    committees=None,
    workplaces=None,
    people=None,
    blackouts=None,
    history=None,
    venues=None,
    actor: User | None = None,
    invite: bool = False,
    confirm_raises: bool = False,
    confirmed_fingerprint: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import committees, workplaces, people, blackout periods, past hostings and venues; all or nothing.

    Each file is optional and may be a binary file-like object (an uploaded file, ``open(path, "rb")``;
    its ``name`` is used in problems and to recognise ``.xlsx``), a ``(name, bytes)`` pair, or bytes.
    CSV may be separated by ``;`` or ``,`` and be UTF-8 (with or without a byte-order mark) or Windows-1252, as
    Excel writes it; XLSX is recognised by its content. The result (or the error) says how each file was read.

    Raises OrganisationImportError listing every bad row of every file when anything is wrong, having
    written nothing. With ``invite``, the people this import creates are invited by e-mail after commit.

    No import raises an existing account's rights silently: when people who already have an account would
    become administrators or gain a committee seat or workplace role, RightsRaiseNotConfirmed names each raise
    and nothing is written, unless ``confirm_raises`` is given (with ``confirmed_fingerprint``, only for exactly
    the list that was shown). Each confirmed raise is audited with who confirmed it. ``dry_run`` checks and
    counts everything, raises included, and writes nothing.
    """
    sources = {
        "committees": committees,
        "workplaces": workplaces,
        "people": people,
        "blackouts": blackouts,
        "history": history,
        "venues": venues,
    }
    given = {kind: source for kind, source in sources.items() if source is not None}
    if not given:
        raise refusal(_("Choose at least one file to import."))

    problems = Problems()
    tables = {}
    files = []  # how each file was read, told with the result and with the problems alike
    for kind, source in given.items():
        name, data = source_bytes(source)
        problems.names[kind] = name
        read = read_file(kind, data, name=name, max_rows=settings.DIALOG_IMPORT_MAX_ROWS, problems=problems)
        if read.format is not None:
            files.append(FileRead(kind, name or str(FILE_LABELS[kind]), read.format.describe()))
        if read.table is not None:
            tables[kind] = read.table
    plans = plan_rows(tables, problems, today=timezone.localdate(), unreadable=set(given) - set(tables))
    try:
        with transaction.atomic():
            stored = _Stored(plans)
            check_references(plans, stored.existing(), problems)
            if problems:
                raise OrganisationImportError(problems.sorted(), files=files)
            run = _Apply(plans, stored)
            result = run.apply()
            result.raises = run.raises
            result.files = files
            confirmed = confirm_raises and confirmed_fingerprint in (None, raises_fingerprint(run.raises))
            if run.raises and not (confirmed or dry_run):
                raise RightsRaiseNotConfirmed(run.raises, result, file_name=problems.names.get("people", ""))
            if dry_run:
                transaction.set_rollback(True)
                return result
            _audit(result, actor)
            if invite and run.new_people:
                result.invited = people_invite(people=run.new_people, actor=actor)
    except IntegrityError as exc:
        # Someone changed the same rows while we worked; the rollback kept the database as it was.
        logger.warning("Organisation import refused by the database: %s", exc)
        raise refusal(_("The database refused the import; nothing was imported. Try again.")) from exc
    logger.info("Organisation import by %s: %s", actor or "command line", result.summary())
    return result


def _audit(result: ImportResult, actor: User | None) -> None:
    for granted in result.raises:
        audit_record(
            actor=actor,
            action="permission.raised_by_import",
            object_type="meetings.user",
            object_id=granted.user_id,
            data={
                "right": granted.right,
                "role": granted.role,
                "where": granted.where_id,
                "line": granted.line,
                "confirmed_by": actor.pk if actor is not None else "command line",
            },
        )
    if result.changed:
        # Roles created in bulk pass no signals: the import itself is the audit entry for them.
        audit_record(
            actor=actor,
            action="organisation.imported",
            object_type="organisation",
            data={
                kind: {"created": t.created, "updated": t.updated}
                for kind, t in result.tallies.items()
                if t.created or t.updated
            },
        )


class _Stored:
    """Every row the files mention, as the database holds it before the import."""

    def __init__(self, plans: Plans):
        """Load them in a fixed number of queries, however long the files are."""
        self.committees = {c.slug: c for c in Committee.objects.filter(slug__in=plans.committee_slugs())}
        self.workplaces = {
            w.slug: w for w in Workplace.objects.filter(slug__in=plans.workplace_slugs()).prefetch_related("committees")
        }
        self.kinds = list(WorkplaceKind.objects.all())
        self.districts = {d.name.lower(): d for d in District.objects.all()}
        self.users = {
            u.email.lower(): u
            for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=plans.people)
        }
        self.memberships = {
            (m.user_id, m.committee_id): m
            for m in CommitteeMembership.objects.filter(end_date__isnull=True, user__in=self.users.values())
        }
        self.seat_holders = list(
            CommitteeMembership.objects.filter(
                end_date__isnull=True, role__in=SINGLE_SEATS, committee__in=self.committees.values()
            ).select_related("user", "committee")
        )
        self.workplace_roles = {
            (r.user_id, r.workplace_id, r.role): r
            for r in WorkplaceRole.objects.filter(end_date__isnull=True, user__in=self.users.values())
        }
        self.hostings = {
            (h.committee.slug, h.date): h
            for h in Hosting.objects.filter(
                committee__in=self.committees.values(), date__in=plans.hosting_days()
            ).select_related("committee", "workplace")
        }
        self.venues = {v.slug: v for v in Venue.objects.filter(slug__in=plans.venue_slugs())}
        self.venue_clashes = set(Workplace.objects.filter(slug__in=plans.file_venues).values_list("slug", flat=True))
        self.blackouts = {
            (b.workplace.slug, b.first_day, b.last_day): b
            for b in Blackout.objects.filter(workplace__in=self.workplaces.values()).select_related("workplace")
        }

    def existing(self) -> Existing:
        """What the checks need of it, as plain data."""
        return Existing(
            committees=frozenset(self.committees),
            workplaces=frozenset(self.workplaces),
            portal_hostings={
                key: hosting.workplace.slug
                for key, hosting in self.hostings.items()
                if hosting.source == Hosting.Source.PORTAL
            },
            seat_holders=tuple((m.committee.slug, m.user.email.lower(), m.role) for m in self.seat_holders),
            venues=frozenset(self.venues),
            venue_clashes=frozenset(self.venue_clashes),
        )


class _Apply:
    """Writes the plans over what is stored, counting what it did and noting every raise of rights."""

    def __init__(self, plans: Plans, stored: _Stored):
        self.plans = plans
        self.stored = stored
        self.new_people: list[User] = []
        self.raises: list[RightsRaise] = []
        self.stored_names: dict[int, str] = {}

    def apply(self) -> ImportResult:
        plans, stored = self.plans, self.stored
        result = ImportResult()
        for slug, plan in plans.committees.items():
            committee = stored.committees.get(slug)
            if committee is None:
                stored.committees[slug] = Committee.objects.create(slug=slug, **plan.fields)
                result["committees"].count("created")
            else:
                result["committees"].count(_save_changes(committee, plan.fields))

        for slug, plan in plans.workplaces.items():
            fields = {
                **plan.fields,
                "kind": self._kind(plan.kind, result),
                "district": self._district(plan.district, result),
            }
            committee_ids = {stored.committees[s].pk for s in plan.committees}
            workplace = stored.workplaces.get(slug)
            if workplace is None:
                workplace = stored.workplaces[slug] = Workplace.objects.create(slug=slug, **fields)
                workplace.committees.set(committee_ids)
                result["workplaces"].count("created")
                continue
            outcome = _save_changes(workplace, fields)
            if {c.pk for c in workplace.committees.all()} != committee_ids:
                workplace.committees.set(committee_ids)
                outcome = "updated"
            result["workplaces"].count(outcome)

        self._apply_people(result)

        new_blackouts = []
        for (slug, first_day, last_day), plan in plans.blackouts.items():
            blackout = stored.blackouts.get((slug, first_day, last_day))
            if blackout is None:
                workplace = stored.workplaces[slug]
                new_blackouts.append(
                    Blackout(workplace=workplace, first_day=first_day, last_day=last_day, **plan.fields)
                )
                result["blackouts"].count("created")
            else:
                result["blackouts"].count(_save_changes(blackout, plan.fields))
        Blackout.objects.bulk_create(new_blackouts)

        new_hostings = []
        for (committee, day), (_line, slug) in plans.hostings.items():
            workplace = stored.workplaces[slug]
            existing = stored.hostings.get((committee, day))
            if existing is None:
                new_hostings.append(
                    Hosting(committee=stored.committees[committee], date=day, workplace=workplace, source="import")
                )
                result["hostings"].count("created")
            else:
                result["hostings"].count(_save_changes(existing, {"workplace": workplace}))
        Hosting.objects.bulk_create(new_hostings)

        for slug, plan in plans.venues.items():
            fields = {**plan.fields, "district": self._district(plan.district, result)}
            venue = stored.venues.get(slug)
            if venue is None:
                stored.venues[slug] = Venue.objects.create(slug=slug, **fields)
                result["venues"].count("created")
            else:
                result["venues"].count(_save_changes(venue, fields))
        return result

    def _kind(self, value: str, result: ImportResult) -> WorkplaceKind:
        """A kind by slug or name; an unknown one is created with the slugified name."""
        slug = danish_slugify(value)[:SLUG_MAX]
        for kind in self.stored.kinds:
            if value in (kind.slug, kind.name) or kind.name.lower() == value.lower() or kind.slug == slug:
                return kind
        kind = WorkplaceKind.objects.create(slug=slug, name=value)
        self.stored.kinds.append(kind)
        result["workplace_kinds"].count("created")
        return kind

    def _district(self, name: str, result: ImportResult) -> District:
        district = self.stored.districts.get(name.lower())
        if district is None:
            district = self.stored.districts[name.lower()] = District.objects.create(name=name)
            result["districts"].count("created")
        return district

    def _apply_people(self, result: ImportResult) -> None:
        stored = self.stored
        today = timezone.localdate()
        new_memberships, membership_changes = [], []
        new_roles = []
        for email, plan in self.plans.people.items():
            fields = {"full_name": plan.full_name}
            if plan.administrator:
                fields.update(is_staff=True, is_superuser=True)
            user = stored.users.get(email)
            existing = user is not None
            if user is None:
                user = stored.users[email] = User.objects.create_user(email=email, **fields)
                self.new_people.append(user)
                result["people"].count("created")
            else:
                self.stored_names[user.pk] = user.full_name  # the name the secretariat knows the account by
                if plan.administrator and not (user.is_staff and user.is_superuser):
                    self._raise(user, plan.line, "administrator")
                result["people"].count(_save_changes(user, fields))

            for slug, seat in plan.memberships.items():
                committee = stored.committees[slug]
                membership = stored.memberships.get((user.pk, committee.pk))
                if membership is None:
                    if existing:
                        self._raise(user, seat.line, "committee", seat.role, committee)
                    new_memberships.append(
                        CommitteeMembership(
                            user=user, committee=committee, role=seat.role, start_date=seat.start_date or today
                        )
                    )
                    result["memberships"].count("created")
                    continue
                if SEAT_WEIGHT[seat.role] > SEAT_WEIGHT[membership.role]:
                    self._raise(user, seat.line, "committee", seat.role, committee)
                changes = {"role": seat.role}
                if seat.start_date:
                    changes["start_date"] = seat.start_date
                membership_changes.append((membership, changes))

            for (slug, role), seat in plan.workplace_roles.items():
                workplace = stored.workplaces[slug]
                workplace_role = stored.workplace_roles.get((user.pk, workplace.pk, role))
                changes = {}
                if seat.title is not None:
                    changes["title"] = seat.title
                if seat.start_date:
                    changes["start_date"] = seat.start_date
                if workplace_role is None:
                    if existing:
                        self._raise(user, seat.line, "workplace", role, workplace)
                    changes.setdefault("start_date", today)
                    new_roles.append(WorkplaceRole(user=user, workplace=workplace, role=role, **changes))
                    result["workplace_roles"].count("created")
                else:
                    result["workplace_roles"].count(_save_changes(workplace_role, changes))

        # A chair and a vice-chair may swap seats: free the single seats first so that no moment
        # has two open chairs (a database constraint), then give everyone their new role.
        for membership, changes in membership_changes:
            if membership.role in SINGLE_SEATS and changes["role"] != membership.role:
                membership.role = CommitteeMembership.Role.MEMBER
                membership.save(update_fields=["role"])
        for membership, changes in membership_changes:
            result["memberships"].count(_save_changes(membership, changes))
        CommitteeMembership.objects.bulk_create(new_memberships)
        WorkplaceRole.objects.bulk_create(new_roles)
        roles_version_bump()  # bulk writes send no signals: the cached roles are out of date

    def _raise(self, user: User, line: int, right: str, role: str = "", where=None) -> None:
        """Note a right an existing account gains (its values as stored before the import)."""
        self.raises.append(
            RightsRaise(
                user_id=user.pk,
                email=user.email,
                person=self.stored_names.get(user.pk, user.full_name),
                line=line,
                right=right,
                role=str(role),
                where_id=where.pk if where is not None else None,
                where=where.name if where is not None else "",
            )
        )


def _save_changes(obj, fields: dict) -> str:
    """Save only the fields whose values differ; 'updated' or 'unchanged'."""
    changed = [name for name, value in fields.items() if _current(obj, name, value) != _comparable(value)]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(obj, name, fields[name])
    obj.save(update_fields=changed)
    return "updated"


def _comparable(value):
    return value.pk if isinstance(value, models.Model) else value


def _current(obj, name: str, value):
    # Compare a foreign key by id, so that an unchanged row costs no query.
    return getattr(obj, f"{name}_id") if isinstance(value, models.Model) else getattr(obj, name)
