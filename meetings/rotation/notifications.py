"""E-mails about the rotation. Each function is an outbox handler: it loads by id and sends.

A notice about a change (a plan published, a meeting moved or re-planned) is rendered from the change: the service
fixes the meeting's facts and the recipients when it queues the notice (:func:`meeting_notice_kwargs`,
:func:`plan_notice_kwargs`), so a notice the worker sends late, after further changes, still tells this one, to the
people it concerned then. Reminders (:func:`meeting_reminder_send`) tell the meeting as it is when they go out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import dates
from core.mail import CalendarPart, recipient_language, send_templated_mail

from ..models import (
    CancellationRequest,
    CommitteeMembership,
    Meeting,
    MeetingEvent,
    MeetingInvitation,
    RotationPlan,
    User,
    Venue,
    Workplace,
    WorkplaceRole,
)
from .ical import invitation_method, meeting_invitation


def _when(meeting: Meeting) -> str:
    """ "tirsdag den 8. december 2026 kl. 16.00–18.00" (DANISH.md §2)."""
    return f"{dates.when(meeting.starts_at, 'weekday_datetime')}–{dates.when(meeting.ends_at, 'time')}"


def _line(meeting: Meeting) -> str:
    host = meeting.host.name if meeting.host else _("no host")
    if meeting.host and meeting.borrowed_room:
        return _("%(when)s: %(host)s hosts in %(venue)s, %(address)s") % {
            "when": _when(meeting),
            "host": host,
            "venue": meeting.borrowed_room.name,
            "address": meeting.address,
        }
    return _("%(when)s at %(host)s, %(address)s") % {"when": _when(meeting), "host": host, "address": meeting.address}


def _room_name(meeting: Meeting) -> str:
    return meeting.borrowed_room.name if meeting.borrowed_room else ""


def _with_room(meeting: Meeting, room: str | None) -> Meeting:
    """A meeting rebuilt from a queued notice names the borrowed room the notice was queued with (issue 20)."""
    meeting.venue, meeting.venue_workplace = (Venue(name=room) if room else None), None
    return meeting


def _in_language_of(person: User):
    """Texts built here for one person are built in their language, as the mail around them is (core/mail.py)."""
    return translation.override(recipient_language([person.email], {"person": person}))


def _url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def _send(
    person: User,
    *,
    subject: str,
    lines: list[str],
    link: str = "",
    link_label: str = "",
    calendar: CalendarPart | None = None,
) -> None:
    send_templated_mail(
        "meetings/email/meeting_notice",
        to=[person.email],
        context={"person": person, "subject": subject, "lines": lines, "link": link, "link_label": link_label},
        calendar=calendar,
    )


def _members(committee_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__in=CommitteeMembership.objects.current().filter(committee_id=committee_id)
        ).distinct()
    )


def _leaders(workplace_ids) -> dict[int, list[User]]:
    out: dict[int, list[User]] = {}
    for role in (
        WorkplaceRole.objects.current()
        .filter(workplace_id__in=list(workplace_ids), role=WorkplaceRole.Role.LEADER, user__is_active=True)
        .select_related("user")
    ):
        out.setdefault(role.workplace_id, []).append(role.user)
    return out


def _secretariat() -> list[User]:
    return list(User.objects.filter(is_active=True, is_staff=True))


@dataclass
class _PlanRow:
    meeting: Meeting
    guest_ids: set[int] = field(default_factory=set)


def plan_notice_kwargs(plan: RotationPlan, meetings: list[Meeting]) -> dict:
    """The outbox arguments of the "plan published" notice, fixed in the publishing transaction: the meetings as
    published and who is told (the committee's members, each host's and guest's leaders)."""
    guests: dict[int, list[int]] = {}
    invitations = MeetingInvitation.objects.filter(meeting__in=meetings).order_by("workplace_id")
    for meeting_id, workplace_id in invitations.values_list("meeting_id", "workplace_id"):
        guests.setdefault(meeting_id, []).append(workplace_id)
    rows = [
        {
            "id": m.pk,
            "starts_at": m.starts_at.isoformat(),
            "ends_at": m.ends_at.isoformat(),
            "host_id": m.host_id,
            "address": m.address,
            "room": _room_name(m),
            "guest_ids": guests.get(m.pk, []),
        }
        for m in meetings
    ]
    workplace_ids = {r["host_id"] for r in rows if r["host_id"]} | {g for r in rows for g in r["guest_ids"]}
    return {
        "plan_id": plan.pk,
        "meetings": rows,
        "member_ids": [p.pk for p in _members(plan.committee_id)],
        "leader_ids": [[w, [p.pk for p in people]] for w, people in sorted(_leaders(workplace_ids).items())],
    }


def _plan_rows_as_queued(plan: RotationPlan, rows: list[dict]) -> list[_PlanRow]:
    hosts = Workplace.objects.in_bulk([r["host_id"] for r in rows if r["host_id"]])
    return [
        _PlanRow(
            meeting=_with_room(
                Meeting(
                    pk=r["id"],
                    committee=plan.committee,
                    plan=plan,
                    host=hosts.get(r["host_id"]),
                    starts_at=dt.datetime.fromisoformat(r["starts_at"]),
                    ends_at=dt.datetime.fromisoformat(r["ends_at"]),
                    address=r["address"],
                ),
                r.get("room"),
            ),
            guest_ids=set(r["guest_ids"]),
        )
        for r in rows
    ]


def plan_published_send(
    *,
    plan_id: int,
    meetings: list[dict] | None = None,
    member_ids: list[int] | None = None,
    leader_ids: list | None = None,
) -> int:
    """The year's plan is out: each committee member gets the whole list, each leader their own dates. A message
    queued before notices carried the plan's meetings and recipients reads both when it is delivered."""
    plan = RotationPlan.objects.select_related("committee").filter(pk=plan_id).first()
    if plan is None:
        return 0
    if meetings is not None:
        rows = _plan_rows_as_queued(plan, meetings)
        people = User.objects.in_bulk([*member_ids, *(pk for _w, pks in leader_ids for pk in pks)])
        members = [people[pk] for pk in member_ids if pk in people and people[pk].is_active]
        leaders = {w: [people[pk] for pk in pks if pk in people and people[pk].is_active] for w, pks in leader_ids}
    else:
        published = plan.published_meetings.select_related("host", "venue", "venue_workplace").prefetch_related(
            "invitations"
        )
        rows = [_PlanRow(m, {i.workplace_id for i in m.invitations.all()}) for m in published.order_by("starts_at")]
        members = _members(plan.committee_id)
        leaders = _leaders({r.meeting.host_id for r in rows} | {g for r in rows for g in r.guest_ids})
    public = _url(reverse("meetings:public-plan", args=[plan.committee.slug, plan.year]))

    def subject() -> str:
        return _("The %(year)s meeting plan of %(committee)s is published") % {
            "year": plan.year,
            "committee": plan.committee.name,
        }

    def leader_lines(workplace_id) -> list[str]:
        lines = []
        for row in rows:
            if row.meeting.host_id == workplace_id:
                lines.append(
                    _("Your workplace hosts the committee on %(when)s. Tell the committee what you will present.")
                    % {"when": _when(row.meeting)}
                )
                if row.meeting.borrowed_room:
                    lines.append(
                        _("You host in a borrowed venue, %(venue)s, %(address)s, since it seats the committee.")
                        % {"venue": row.meeting.borrowed_room.name, "address": row.meeting.address}
                    )
            elif workplace_id in row.guest_ids:
                lines.append(
                    _("You are invited to the dialogue part of the meeting on %(line)s.") % {"line": _line(row.meeting)}
                )
        return lines

    sent = 0
    for person in members:
        with _in_language_of(person):
            lines = [_("The committee meets on site at these workplaces:")] + [_line(r.meeting) for r in rows]
            _send(person, subject=subject(), lines=lines, link=public, link_label=_("See the plan"))
        sent += 1
    for workplace_id, people in leaders.items():
        for person in people:
            with _in_language_of(person):
                _send(
                    person,
                    subject=subject(),
                    lines=leader_lines(workplace_id),
                    link=public,
                    link_label=_("See the plan"),
                )
            sent += 1
    return sent


def _everyone_for(meeting: Meeting, extra_workplace_ids=(), guest_ids=None) -> list[User]:
    people = {p.pk: p for p in _members(meeting.committee_id)}
    if guest_ids is None:
        guest_ids = {i.workplace_id for i in meeting.invitations.all()}
    ids = set(guest_ids) | set(extra_workplace_ids)
    if meeting.host_id:
        ids.add(meeting.host_id)
    for leaders in _leaders(ids).values():
        for person in leaders:
            people[person.pk] = person
    return list(people.values())


# What a person is to a changed meeting, from the weakest tie to the strongest: a person with two ties (a member
# who also leads a guest workplace) is told as the stronger one.
ROLE_RANK = {"member": 0, "guest": 1, "uninvited": 2, "invited": 3, "former_host": 4, "host": 5}
# Those the change takes out of the meeting: their calendar gets a cancellation.
RELEASED_ROLES = {"former_host", "uninvited"}


def meeting_notice_kwargs(
    meeting: Meeting,
    kind: str,
    *,
    actor: User | None,
    event: MeetingEvent | None = None,
    former_host_id=None,
    note: str = "",
    invited_ids=(),
    uninvited_ids=(),
    guests_only: bool = False,
) -> dict:
    """The outbox arguments of a "meeting changed" notice, fixed in the change's transaction: the event, the
    meeting's time, host, address, status and calendar revision after the change, the secretariat's note, and
    everyone it concerned with what the meeting is to them (``roles``): the committee's members, the host, the
    host that withdrew, the guests, the workplaces newly invited and those no longer invited. With
    ``guests_only`` only the workplaces whose invitation changed are told (another date of a re-planning)."""
    actor_id = actor.pk if actor else None
    # Read the invitations afresh: a re-planning has just changed them under any prefetched copy.
    guest_ids = set(MeetingInvitation.objects.filter(meeting=meeting).values_list("workplace_id", flat=True))
    workplace_ids = guest_ids | set(invited_ids) | set(uninvited_ids) | {meeting.host_id, former_host_id}
    leaders = _leaders(w for w in workplace_ids if w)
    roles: dict[int, str] = {}

    def give(people, role):
        for person in people:
            if person.pk != actor_id and ROLE_RANK[role] > ROLE_RANK.get(roles.get(person.pk), -1):
                roles[person.pk] = role

    if not guests_only:
        give(_members(meeting.committee_id), "member")
        for workplace_id in guest_ids:
            give(leaders.get(workplace_id, []), "guest")
        give(leaders.get(meeting.host_id, []), "host")
        if former_host_id:
            give(leaders.get(former_host_id, []), "former_host")
    for workplace_id in uninvited_ids:
        give(leaders.get(workplace_id, []), "uninvited")
    for workplace_id in invited_ids:
        give(leaders.get(workplace_id, []), "invited")
    return {
        "meeting_id": meeting.pk,
        "kind": kind,
        "actor_id": actor_id,
        "former_host_id": former_host_id,
        "event_id": event.pk if event is not None else None,
        "status": meeting.status,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "host_id": meeting.host_id,
        "address": meeting.address,
        "room": _room_name(meeting),
        "sequence": meeting.sequence,
        "invited": len(guest_ids),
        "note": note,
        "roles": {str(pk): role for pk, role in sorted(roles.items())},
        "recipient_ids": sorted(roles),
        "released_ids": sorted(pk for pk, role in roles.items() if role in RELEASED_ROLES),
    }


def _change_subject(meeting: Meeting, role: str, kind: str) -> str:
    facts = {"committee": meeting.committee.name, "when": _when(meeting)}
    if kind == "replanned" and role == "host" and meeting.status != Meeting.Status.CANCELLED:
        return _("Your workplace hosts %(committee)s on %(when)s") % facts
    if role == "former_host":
        return _("Your withdrawal as host of %(committee)s on %(when)s is handled") % facts
    if role == "invited":
        return _("You are invited to the meeting of %(committee)s on %(when)s") % facts
    if role == "uninvited":
        return _("You are no longer invited to the meeting of %(committee)s on %(when)s") % facts
    return _("Change to the meeting of %(committee)s on %(when)s") % facts


def _change_lines(meeting: Meeting, role: str, *, kind: str, former: Workplace | None, invited: int) -> list[str]:
    """What is true for this person after the change, in the order they need it."""
    cancelled = meeting.status == Meeting.Status.CANCELLED
    host = meeting.host.name if meeting.host else ""
    if role == "invited":
        return [
            _("Your workplace is invited to the dialogue part of the meeting on %(line)s.") % {"line": _line(meeting)},
            _("The calendar entry is attached. The meeting's page tells the programme when it is ready."),
        ]
    if role == "uninvited":
        return [
            _("Your workplace is no longer invited to the dialogue part of the meeting on %(when)s.")
            % {"when": _when(meeting)},
            _("The calendar entry is cancelled."),
        ]
    if role == "former_host":
        lines = [_("The secretariat has handled your withdrawal. Your workplace keeps its place in the queue.")]
        if cancelled:
            lines.append(_("No other workplace can host on this date, so the meeting is cancelled."))
        else:
            lines.append(_("%(host)s hosts the meeting instead.") % {"host": host})
        lines.append(_("If your workplace is invited to another of the year's meetings, you get a separate e-mail."))
        return lines
    lines = []
    if kind == "replanned" and former is not None:
        lines.append(_("%(former)s cannot host the meeting.") % {"former": former.name})
    if cancelled:
        lines.append(_("The meeting is cancelled: no workplace can host it on this date."))
        return lines
    if kind == "replanned" and role == "host":
        lines.append(_("Your workplace is next in line and hosts the meeting on %(line)s.") % {"line": _line(meeting)})
        lines.append(_("Tell the committee what you will present on the meeting's page."))
    else:
        lines.append(_("The meeting now takes place %(line)s.") % {"line": _line(meeting)})
    lines.append(
        ngettext(
            "%(count)s workplace is invited to the dialogue part.",
            "%(count)s workplaces are invited to the dialogue part.",
            invited,
        )
        % {"count": invited}
    )
    return lines


def meeting_changed_send(
    *,
    meeting_id: int,
    kind: str,
    actor_id: int | None = None,
    former_host_id=None,
    event_id: int | None = None,
    status: str | None = None,
    starts_at: str | None = None,
    ends_at: str | None = None,
    host_id: int | None = None,
    address: str | None = None,
    room: str | None = None,
    sequence: int | None = None,
    invited: int | None = None,
    recipient_ids: list[int] | None = None,
    released_ids: list[int] | None = None,
    note: str | None = None,
    roles: dict[str, str] | None = None,
) -> int:
    """A published meeting changed (moved, re-planned, or a date's guests changed by a re-planning): each person
    it concerned gets what is true for them (the new host that it hosts, the host that withdrew that it is handled,
    a workplace newly invited that it is invited, the rest that the meeting changed), the secretariat's note, and a
    calendar invitation as the change left them (a cancellation when the meeting is cancelled or no longer
    concerns them). A message queued before notices carried these facts (only the meeting, kind, actor and former
    host) tells the meeting as it is at delivery, to the people it concerns then."""

    meeting = (
        Meeting.objects.select_related("committee", "host", "venue", "venue_workplace")
        .prefetch_related("invitations")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return 0
    former = Workplace.objects.filter(pk=former_host_id).first() if former_host_id else None
    queued = recipient_ids is not None
    changed_since = False
    if queued:
        changed_since = meeting.sequence > sequence
        meeting.status, meeting.sequence, meeting.address = status, sequence, address
        meeting.starts_at, meeting.ends_at = dt.datetime.fromisoformat(starts_at), dt.datetime.fromisoformat(ends_at)
        meeting.host = Workplace.objects.filter(pk=host_id).first() if host_id else None
        _with_room(meeting, room)
        people = list(User.objects.filter(pk__in=recipient_ids, is_active=True).order_by("pk"))
    else:
        invited = meeting.invitations.count()
        people = _everyone_for(meeting, [former.pk] if former else ())
    released = set(released_ids or ())
    roles = roles or {}
    sent = 0
    for person in people:
        if person.pk == actor_id:
            continue
        role = roles.get(str(person.pk), "former_host" if person.pk in released else "member")
        with _in_language_of(person):
            lines = _change_lines(meeting, role, kind=kind, former=former, invited=invited)
            if note:
                lines.append(_("A note from the secretariat: %(note)s") % {"note": note})
            if changed_since:
                lines.append(_("The meeting has changed again since. Its page shows what holds now."))
            invitation = meeting_invitation(meeting, person, released=person.pk in released)
            method = invitation_method(meeting, released=person.pk in released)
            _send(
                person,
                subject=_change_subject(meeting, role, kind),
                lines=lines,
                link=_url(meeting.get_absolute_url()),
                link_label=_("See the meeting"),
                calendar=CalendarPart(method, invitation, filename="moede.ics"),
            )
        sent += 1
    return sent


def meeting_reminder_send(*, meeting_id: int, days_before: int) -> int:
    meeting = (
        Meeting.objects.select_related("committee", "host", "venue", "venue_workplace")
        .prefetch_related("invitations")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.status == Meeting.Status.CANCELLED:
        return 0
    sent = 0
    for person in _everyone_for(meeting):
        with _in_language_of(person):
            subject = ngettext(
                "In %(days)s day: %(committee)s meets at %(host)s",
                "In %(days)s days: %(committee)s meets at %(host)s",
                days_before,
            ) % {
                "days": days_before,
                "committee": meeting.committee.name,
                "host": meeting.host.name if meeting.host else "",
            }
            lines = [_line(meeting)]
            if meeting.agenda_url:
                lines.append(_("The agenda: %(url)s") % {"url": meeting.agenda_url})
            _send(
                person,
                subject=subject,
                lines=lines,
                link=_url(meeting.get_absolute_url()),
                link_label=_("See the meeting"),
            )
        sent += 1
    return sent


def cancellation_requested_send(*, request_id: int) -> int:
    request = (
        CancellationRequest.objects.select_related("meeting__committee", "meeting__host", "workplace")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    meeting = request.meeting
    subject = _("%(workplace)s asks to hand on the meeting of %(committee)s on %(when)s") % {
        "workplace": request.workplace.name,
        "committee": meeting.committee.name,
        "when": _when(meeting),
    }
    lines = [_("Reason: %(reason)s") % {"reason": request.reason}, _("Re-plan the date from the meeting's page.")]
    people = _secretariat()
    for person in people:
        _send(
            person, subject=subject, lines=lines, link=_url(meeting.get_absolute_url()), link_label=_("See the meeting")
        )
    return len(people)


def drafts_ready_send(*, plan_ids: list[int]) -> int:
    plans = list(RotationPlan.objects.filter(pk__in=plan_ids).select_related("committee").order_by("committee__name"))
    if not plans:
        return 0
    subject = _("Next year's meeting plans are ready for review")
    lines = [
        ngettext(
            "%(committee)s %(year)s: %(broken)s broken rule",
            "%(committee)s %(year)s: %(broken)s broken rules",
            len(p.broken_rules),
        )
        % {"committee": p.committee.name, "year": p.year, "broken": len(p.broken_rules)}
        for p in plans
    ]
    people = _secretariat()
    for person in people:
        _send(
            person,
            subject=subject,
            lines=lines,
            link=_url(reverse("meetings:rotation-index")),
            link_label=_("Review the plans"),
        )
    return len(people)


def meeting_outcome_reminder_send(*, meeting_id: int, reminder: int = 1) -> int:
    """Ask the host's leaders and the committee's chair and vice-chair to confirm what happened at a meeting that is
    over. Nothing is sent when it has been confirmed meanwhile or the meeting was cancelled."""
    meeting = Meeting.objects.select_related("committee", "host").filter(pk=meeting_id).first()
    if meeting is None or meeting.outcome or meeting.status == Meeting.Status.CANCELLED:
        return 0
    chairs = CommitteeMembership.objects.current().filter(
        committee_id=meeting.committee_id,
        role__in=(CommitteeMembership.Role.CHAIR, CommitteeMembership.Role.VICE_CHAIR),
    )
    people = {p.pk: p for p in User.objects.filter(is_active=True, memberships__in=chairs)}
    for leaders in _leaders([meeting.host_id] if meeting.host_id else []).values():
        people.update((p.pk, p) for p in leaders)
    for person in people.values():
        with _in_language_of(person):
            subject = _("Did the meeting of %(committee)s take place? Please confirm") % {
                "committee": meeting.committee.name
            }
            lines = [
                _line(meeting),
                _(
                    "Only meetings confirmed as held count as contact in the equal-access ledger, and the minutes and "
                    "the mirror questions open once the meeting is confirmed. Please say what happened."
                ),
            ]
            if reminder > 1:
                lines.append(_("This is the last reminder."))
            _send(
                person,
                subject=subject,
                lines=lines,
                link=_url(reverse("meetings:meeting-outcome", args=[meeting.pk])),
                link_label=_("Confirm what happened"),
            )
    return len(people)
