"""Reads for the audit log page and its export: the filtered entries, and each entry in plain words (who by name,
what in Danish, the object as a name and a link, the details readable).

Names are looked up in batches: one query for the people of a page (actors and people named in details), one per
kind of object on the page, one for workplaces and one for committees named in details. However many entries a page
holds, the number of queries stays the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementSignature, SharedGoal
from agreements.models import Status as AgreementStatus
from codex.models import CodexVersion, SignatureEvent
from core import dates
from core.models import AuditEntry
from core.pickers import Picker
from meetings.models import (
    Committee,
    CommitteeMembership,
    Meeting,
    MeetingDate,
    PlanningRun,
    RotationPlan,
    User,
    Visit,
    Workplace,
    WorkplaceRole,
)

from . import labels

# --- Filtering ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    """What the secretariat asked for. ``person`` is a person's number (from a link) or part of a name; ``action``
    an action code or a whole area (``"agreement.*"``); the period runs from ``date_from`` to ``date_to``
    inclusive, in Danish time."""

    person: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_data(self) -> dict:
        """The filters for the export's own audit entry: ids and codes, never a searched name."""
        data = {
            "person": self.person if self.person.isdigit() else ("*" if self.person else ""),
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in data.items() if value}


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _ids(values: Iterable) -> list[str]:
    return [str(v) for v in values]


def _plan_history(plan_id: int) -> Q:
    """A meeting plan's history beyond its own entries: the year's dates and planning runs, the dates proposed
    for its committee and year, and its published meetings (moved, re-planned, minutes)."""
    plan = RotationPlan.objects.filter(pk=plan_id).values("committee_id", "year").first()
    if plan is None:
        return Q(pk__in=[])
    committee_id, year = plan["committee_id"], plan["year"]
    meetings = Meeting.objects.filter(plan_id=plan_id).values_list("pk", flat=True)
    dates = MeetingDate.objects.filter(committee_id=committee_id, date__year=year).values_list("pk", flat=True)
    runs = PlanningRun.objects.filter(committee_id=committee_id, year=year).values_list("pk", flat=True)
    return (
        Q(object_type="meetings.meeting", object_id__in=_ids(meetings))
        | Q(object_type="meetings.meetingdate", object_id__in=_ids(dates))
        | Q(object_type="meetings.planningrun", object_id__in=_ids(runs))
        | Q(
            object_type="meetings.committee",
            object_id=str(committee_id),
            action="rotation.dates_generated",
            data__year=year,
        )
    )


def _object_condition(object_type: str, object_id: str) -> Q:
    """An object's own entries, and the entries that belong to its history though they name another object:
    a person's role changes, a codex version's signatures, a meeting plan's dates, runs and meetings."""
    condition = Q(object_type=object_type)
    if object_id:
        condition &= Q(object_id=object_id)
    if not object_id.isdigit():
        return condition
    number = int(object_id)
    if object_type == "meetings.user":
        condition |= Q(object_type__in=["meetings.committeemembership", "meetings.workplacerole"], data__person=number)
    elif object_type == "codex.codexversion":
        condition |= Q(object_type="codex.signatureevent", data__version=number)
    elif object_type == "meetings.rotationplan":
        condition |= _plan_history(number)
    return condition


def actor_picker() -> Picker:
    """The person filter: the people who did something in the log, searched as one types (a semi-join on the
    log's actor index, never a list of every person)."""
    acted = Exists(AuditEntry.objects.filter(actor_id=OuterRef("pk")))
    return Picker(User.objects.filter(acted), value_field="pk", label_field="full_name")


def entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The entries that match, newest first."""
    qs = AuditEntry.objects.all()
    if filters.person:
        if filters.person.isdigit():
            qs = qs.filter(actor_id=int(filters.person))
        else:
            qs = qs.filter(actor_id__in=User.objects.filter(full_name__icontains=filters.person).values("pk"))
    if filters.action.endswith(".*"):
        qs = qs.filter(action__startswith=filters.action[:-1])
    elif filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(_object_condition(filters.object_type, filters.object_id))
    if filters.date_from:
        qs = qs.filter(at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_local_midnight(filters.date_to + dt.timedelta(days=1)))
    return qs.order_by("-seq")


# --- Reading an entry ----------------------------------------------------------------------------------------------


@dataclass
class Link:
    text: str
    url: str = ""


@dataclass
class Row:
    """One entry as the page and the export show it."""

    entry: AuditEntry
    at: dt.datetime  # Danish time
    actor: Link
    action: str
    object_type: str
    object: Link
    details: list[tuple[str, str]] = field(default_factory=list)

    @property
    def details_text(self) -> str:
        return "; ".join(f"{key}: {value}" for key, value in self.details)


def person_label(person: User | None, person_id: int | None) -> str:
    """A person by name; an erased person's name is already their pseudonym. The portal itself when nobody."""
    if person_id is None:
        return _("The portal")
    if person is None:
        return _("Person no. %(id)s") % {"id": person_id}
    return person.full_name or person.email


def _day(day: dt.date) -> str:
    return dates.when(day, "date_short")


# Each loader takes the ids on the page and returns {id: Link}, in one query.
Loader = Callable[[list[int]], dict[str, Link]]


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _agreements(ids):
    return {
        str(a.pk): Link(
            _("%(workplace)s, %(period)s") % {"workplace": a.workplace.name, "period": a.period_label},
            a.get_absolute_url(),
        )
        for a in Agreement.objects.filter(pk__in=ids).order_by().select_related("workplace")
    }


def _shared_goals(ids):
    return {
        str(g.pk): Link(g.title, _url("agreements:sharedgoal-update", g.pk))
        for g in SharedGoal.objects.filter(pk__in=ids).order_by()
    }


def _codex_versions(ids):
    return {
        str(v.pk): Link(_("Version %(number)s") % {"number": v.number}, _url("codex:version-detail", v.number))
        for v in CodexVersion.objects.filter(pk__in=ids).order_by()
    }


def _codex_signatures(ids):
    return {
        str(s.pk): Link(
            _("%(kind)s, version %(number)s") % {"kind": s.get_kind_display(), "number": s.version.number},
            _url("codex:version-detail", s.version.number),
        )
        for s in SignatureEvent.objects.filter(pk__in=ids).order_by().select_related("version")
    }


def _visits(ids):
    return {
        str(v.pk): Link(
            _("%(workplace)s, %(day)s") % {"workplace": v.workplace.name, "day": _day(timezone.localtime(v.starts_at))},
            v.get_absolute_url(),
        )
        for v in Visit.objects.filter(pk__in=ids).order_by().select_related("workplace")
    }


def _meetings(ids):
    return {
        str(m.pk): Link(
            _("%(committee)s, %(day)s") % {"committee": m.committee.name, "day": _day(m.local_date)},
            m.get_absolute_url(),
        )
        for m in Meeting.objects.filter(pk__in=ids).order_by().select_related("committee")
    }


def _plans(ids):
    return {
        str(p.pk): Link(
            _("%(committee)s, %(year)s") % {"committee": p.committee.name, "year": p.year}, p.get_absolute_url()
        )
        for p in RotationPlan.objects.filter(pk__in=ids).order_by().select_related("committee")
    }


def _meeting_dates(ids):
    return {
        str(d.pk): Link(
            _("%(committee)s, %(day)s") % {"committee": d.committee.name, "day": _day(d.date)},
            _url("meetings:rotation-year", d.committee.slug, d.date.year),
        )
        for d in MeetingDate.objects.filter(pk__in=ids).order_by().select_related("committee")
    }


def _runs(ids):
    return {
        str(r.pk): Link(
            _("%(committee)s, %(year)s") % {"committee": r.committee.name, "year": r.year},
            _url("meetings:planning-run", r.pk),
        )
        for r in PlanningRun.objects.filter(pk__in=ids).order_by().select_related("committee")
    }


def _committees(ids):
    return {
        str(c.pk): Link(c.name, _url("meetings:committee-detail", c.slug))
        for c in Committee.objects.filter(pk__in=ids).order_by()
    }


def _workplaces(ids):
    return {
        str(w.pk): Link(w.name, _url("meetings:workplace-detail", w.slug))
        for w in Workplace.objects.filter(pk__in=ids).order_by()
    }


def _people(ids):
    return {
        str(p.pk): Link(person_label(p, p.pk), _url("admin:meetings_user_change", p.pk))
        for p in User.objects.filter(pk__in=ids).order_by()
    }


def _memberships(ids):
    return {
        str(m.pk): Link(
            _("%(person)s in %(where)s") % {"person": person_label(m.user, m.user_id), "where": m.committee.name},
            _url("admin:meetings_committeemembership_change", m.pk),
        )
        for m in CommitteeMembership.objects.filter(pk__in=ids).order_by().select_related("user", "committee")
    }


def _workplace_roles(ids):
    return {
        str(r.pk): Link(
            _("%(person)s at %(where)s") % {"person": person_label(r.user, r.user_id), "where": r.workplace.name},
            _url("admin:meetings_workplacerole_change", r.pk),
        )
        for r in WorkplaceRole.objects.filter(pk__in=ids).order_by().select_related("user", "workplace")
    }


LOADERS: dict[str, Loader] = {
    "agreements.agreement": _agreements,
    "agreements.sharedgoal": _shared_goals,
    "codex.codexversion": _codex_versions,
    "codex.signatureevent": _codex_signatures,
    "meetings.visit": _visits,
    "meetings.meeting": _meetings,
    "meetings.rotationplan": _plans,
    "meetings.meetingdate": _meeting_dates,
    "meetings.planningrun": _runs,
    "meetings.committee": _committees,
    "meetings.workplace": _workplaces,
    "meetings.user": _people,
    "meetings.committeemembership": _memberships,
    "meetings.workplacerole": _workplace_roles,
}
# Objects with no row of their own.
FIXED_OBJECTS: dict[str, Callable[[], Link]] = {
    "organisation": lambda: Link(_("The organisation"), _url("meetings:organisation-import")),
    "audit": lambda: Link(_("The audit log"), _url("auditlog:entry-list")),
}

_PERSON_KEYS = ("person",)
_WORKPLACE_KEYS = ("host", "from_host", "to_host", "workplace")
_STATUS_LABELS = {
    "agreement.": dict(AgreementStatus.choices),
    "visit.": dict(Visit.Status.choices),
}
_CHOICE_LABELS = {
    "side": dict(AgreementSignature.Side.choices),
    "role": {
        **dict(AgreementSignature.Role.choices),
        **dict(CommitteeMembership.Role.choices),
        **dict(WorkplaceRole.Role.choices),
    },
}
_FLAGS = {"is_staff": _("administrator"), "is_superuser": _("superuser"), "is_active": _("active")}


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _value(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "–"
    if isinstance(value, dict):
        return ", ".join(f"{labels.DATA_KEYS.get(k, _FLAGS.get(k, k))!s}: {_value(v)}" for k, v in value.items())
    return str(value)


def _details(entry: AuditEntry, people: dict[str, Link], workplaces: dict[str, Link], committees: dict[str, Link]):
    out = []
    statuses = next((names for prefix, names in _STATUS_LABELS.items() if entry.action.startswith(prefix)), {})
    for key, value in (entry.data or {}).items():
        label = str(labels.DATA_KEYS.get(key) or _FLAGS.get(key) or key)
        if key in ("from", "to") and isinstance(value, str) and value in statuses:
            text = str(statuses[value])
        elif key in _PERSON_KEYS and value is not None:
            text = people.get(str(value), Link(_("Person no. %(id)s") % {"id": value})).text
        elif key in _WORKPLACE_KEYS and value is not None:
            text = workplaces.get(str(value), Link(str(value))).text
        elif key == "committee" and value is not None:
            text = committees.get(str(value), Link(str(value))).text
        elif key == "where" and value is not None:
            names = committees if "committeemembership" in entry.action else workplaces
            text = names.get(str(value), Link(str(value))).text
        elif key in _CHOICE_LABELS and isinstance(value, str):
            text = str(_CHOICE_LABELS[key].get(value, value))
        elif key in ("date", "start", "end") and isinstance(value, str):
            try:
                text = _day(dt.date.fromisoformat(value))
            except ValueError:
                text = value
        else:
            text = _value(value)
        out.append((label, text))
    return out


def rows(page_entries: list[AuditEntry]) -> list[Row]:
    """The entries in plain words, with every name looked up in a batch (see the module's docstring)."""
    person_ids, workplace_ids, committee_ids = set(), set(), set()
    by_type: dict[str, set[int]] = {}
    for entry in page_entries:
        if entry.actor_id is not None:
            person_ids.add(entry.actor_id)
        if entry.object_type in LOADERS and entry.object_id.isdigit():
            by_type.setdefault(entry.object_type, set()).add(int(entry.object_id))
        for key, value in (entry.data or {}).items():
            if not isinstance(value, int) or isinstance(value, bool):
                continue
            if key in _PERSON_KEYS:
                person_ids.add(value)
            elif key in _WORKPLACE_KEYS or (key == "where" and "workplacerole" in entry.action):
                workplace_ids.add(value)
            elif key == "committee" or (key == "where" and "committeemembership" in entry.action):
                committee_ids.add(value)
    # People, workplaces and committees may also be the objects of entries: one query each, shared.
    person_ids |= by_type.pop("meetings.user", set())
    workplace_ids |= by_type.pop("meetings.workplace", set())
    committee_ids |= by_type.pop("meetings.committee", set())
    people = _people(person_ids) if person_ids else {}
    workplaces = _workplaces(workplace_ids) if workplace_ids else {}
    committees = _committees(committee_ids) if committee_ids else {}
    objects = {
        "meetings.user": people,
        "meetings.workplace": workplaces,
        "meetings.committee": committees,
        **{object_type: LOADERS[object_type](sorted(ids)) for object_type, ids in by_type.items()},
    }
    out = []
    for entry in page_entries:
        actor = people.get(str(entry.actor_id)) if entry.actor_id is not None else None
        actor_link = Link(actor.text if actor else person_label(None, entry.actor_id))
        if entry.actor_id is not None:
            actor_link.url = f"{_url('auditlog:entry-list')}?person={entry.actor_id}"
        if entry.object_type in FIXED_OBJECTS:
            target = FIXED_OBJECTS[entry.object_type]()
        else:
            found = objects.get(entry.object_type, {}).get(entry.object_id)
            named = {"type": labels.object_type_label(entry.object_type), "id": entry.object_id}
            if found is not None:
                target = found
            elif entry.object_type in LOADERS:
                target = Link(_("%(type)s no. %(id)s (no longer exists)") % named)
            else:
                target = Link(_("%(type)s no. %(id)s") % named)
        out.append(
            Row(
                entry=entry,
                at=timezone.localtime(entry.at),
                actor=actor_link,
                action=labels.action_label(entry.action),
                object_type=labels.object_type_label(entry.object_type),
                object=target,
                details=_details(entry, people, workplaces, committees),
            )
        )
    return out


def describe_object(object_type: str, object_id: str) -> Link | None:
    """The object a filter names, for the page's heading ("History of …"). One query."""
    if object_type in FIXED_OBJECTS:
        return FIXED_OBJECTS[object_type]()
    if object_type in LOADERS and object_id.isdigit():
        return LOADERS[object_type]([int(object_id)]).get(object_id)
    return None
