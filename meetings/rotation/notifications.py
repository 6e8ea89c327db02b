"""E-mails about the rotation. Each function is an outbox handler: it loads by id and sends."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialog_portal.mail import send_templated_mail

from ..models import (
    CancellationRequest,
    CommitteeMembership,
    Meeting,
    RotationPlan,
    User,
    Workplace,
    WorkplaceRole,
)


def _when(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return f"{date_format(local, 'DATE_FORMAT')} {local:%H:%M}"


def _line(meeting: Meeting) -> str:
    host = meeting.host.name if meeting.host else _("no host")
    return _("%(when)s at %(host)s, %(address)s") % {"when": _when(meeting), "host": host, "address": meeting.address}


def _url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def _send(person: User, *, subject: str, lines: list[str], link: str = "", link_label: str = "", ics=None) -> None:
    send_templated_mail(
        "meetings/email/meeting_notice",
        to=[person.email],
        context={"person": person, "subject": subject, "lines": lines, "link": link, "link_label": link_label},
        attachments=[("moede.ics", ics, "text/calendar")] if ics else None,
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


def plan_published_send(*, plan_id: int) -> int:
    """The year's plan is out: each committee member gets the whole list, each leader their own dates."""
    plan = RotationPlan.objects.select_related("committee").filter(pk=plan_id).first()
    if plan is None:
        return 0
    meetings = list(
        plan.published_meetings.select_related("host").prefetch_related("invitations__workplace").order_by("starts_at")
    )
    public = _url(reverse("meetings:public-plan", args=[plan.committee.slug, plan.year]))
    subject = _("The %(year)s meeting plan of %(committee)s is published") % {
        "year": plan.year,
        "committee": plan.committee.name,
    }
    sent = 0
    for person in _members(plan.committee_id):
        lines = [_("The committee meets on site at these workplaces:")] + [_line(m) for m in meetings]
        _send(person, subject=subject, lines=lines, link=public, link_label=_("See the plan"))
        sent += 1
    workplace_ids = {m.host_id for m in meetings} | {i.workplace_id for m in meetings for i in m.invitations.all()}
    for workplace_id, leaders in _leaders(workplace_ids).items():
        lines = []
        for meeting in meetings:
            if meeting.host_id == workplace_id:
                lines.append(
                    _("Your workplace hosts the committee on %(when)s. Tell the committee what you will present.")
                    % {"when": _when(meeting)}
                )
            elif any(i.workplace_id == workplace_id for i in meeting.invitations.all()):
                lines.append(
                    _("You are invited to the dialogue part of the meeting on %(line)s.") % {"line": _line(meeting)}
                )
        for person in leaders:
            _send(person, subject=subject, lines=lines, link=public, link_label=_("See the plan"))
            sent += 1
    return sent


def _everyone_for(meeting: Meeting, extra_workplace_ids=()) -> list[User]:
    people = {p.pk: p for p in _members(meeting.committee_id)}
    ids = {i.workplace_id for i in meeting.invitations.all()} | set(extra_workplace_ids)
    if meeting.host_id:
        ids.add(meeting.host_id)
    for leaders in _leaders(ids).values():
        for person in leaders:
            people[person.pk] = person
    return list(people.values())


def meeting_changed_send(*, meeting_id: int, kind: str, actor_id: int | None = None, former_host_id=None) -> int:
    """A published meeting changed (moved or re-planned): everyone it concerns gets the new facts and calendar."""
    from .ical import meetings_calendar

    meeting = (
        Meeting.objects.select_related("committee", "host")
        .prefetch_related("invitations")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return 0
    former = Workplace.objects.filter(pk=former_host_id).first() if former_host_id else None
    subject = _("Change to the meeting of %(committee)s on %(when)s") % {
        "committee": meeting.committee.name,
        "when": _when(meeting),
    }
    lines = []
    if kind == "replanned" and former is not None:
        lines.append(_("%(former)s cannot host the meeting.") % {"former": former.name})
    if meeting.status == Meeting.Status.CANCELLED:
        lines.append(_("The meeting is cancelled: no workplace can host it on this date."))
    else:
        lines.append(_("The meeting now takes place %(line)s.") % {"line": _line(meeting)})
    lines.append(
        ngettext(
            "%(count)s workplace is invited to the dialogue part.",
            "%(count)s workplaces are invited to the dialogue part.",
            meeting.invitations.count(),
        )
        % {"count": meeting.invitations.count()}
    )
    ics = meetings_calendar([meeting], name=meeting.committee.name)
    sent = 0
    for person in _everyone_for(meeting, [former.pk] if former else ()):
        if person.pk == actor_id:
            continue
        _send(
            person,
            subject=subject,
            lines=lines,
            link=_url(meeting.get_absolute_url()),
            link_label=_("See the meeting"),
            ics=ics,
        )
        sent += 1
    return sent


def meeting_reminder_send(*, meeting_id: int, days_before: int) -> int:
    meeting = (
        Meeting.objects.select_related("committee", "host")
        .prefetch_related("invitations")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.status == Meeting.Status.CANCELLED:
        return 0
    subject = ngettext(
        "In %(days)s day: %(committee)s meets at %(host)s",
        "In %(days)s days: %(committee)s meets at %(host)s",
        days_before,
    ) % {"days": days_before, "committee": meeting.committee.name, "host": meeting.host.name if meeting.host else ""}
    lines = [_line(meeting)]
    if meeting.agenda_url:
        lines.append(_("The agenda: %(url)s") % {"url": meeting.agenda_url})
    sent = 0
    for person in _everyone_for(meeting):
        _send(
            person, subject=subject, lines=lines, link=_url(meeting.get_absolute_url()), link_label=_("See the meeting")
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
        _("%(committee)s %(year)s: %(broken)s broken rules")
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
