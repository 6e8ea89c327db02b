"""Writes for development agreements: one service per edge of the state machine (``workflow.py``), each one
transaction on the locked agreement row, with an event row, an audit entry and notices through the outbox.

Locking order, the same everywhere: the workplace (only when creating), then the agreement, then the one it amends.
"""

import datetime as dt
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from codex.gate import codex_gate_check
from codex.services import names_match
from core.audit import audit_record
from core.outbox import outbox_enqueue
from meetings.models import User, Workplace, WorkplaceRole

from . import fingerprint as fp
from . import notifications, workflow
from . import permissions as can
from .errors import AgreementError
from .models import (
    EDITABLE,
    FROZEN,
    IN_REVIEW,
    Agreement,
    AgreementEvent,
    AgreementReminder,
    AgreementSignature,
    AgreementVersion,
    Comment,
    FollowUp,
    Goal,
    SharedGoal,
    Status,
    VersionSeen,
    calendar_year,
    default_follow_up_dates,
)

GOAL_TEXT_FIELDS = ("title", "baseline", "aim", "indicator", "actions", "evaluation", "target", "milestones")


def max_goals() -> int:
    return getattr(settings, "DIALOG_MAX_GOALS", 5)


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().select_related("workplace", "committee").get(pk=agreement.pk)


def _move(
    agreement: Agreement,
    *,
    actor: User | None,
    target: str,
    note: str = "",
    version=None,
    now=None,
    by_portal: bool = False,
) -> AgreementEvent:
    """Take one edge of the table, on a locked row, if the table names the actor (``None`` is the portal) for it;
    refuse any other. ``by_portal``: the portal takes the edge as a consequence of the actor's own step (an
    amendment coming into force closes the agreement it amends); the event still names the actor."""
    source = agreement.status
    edge = workflow.edge(source, target)
    if edge is None:
        raise AgreementError(
            _("An agreement that is '%(status)s' cannot become '%(target)s'.")
            % {"status": Status(source).label, "target": Status(target).label}
        )
    if not can.holds(None if by_portal else actor, agreement, edge.who):
        raise AgreementError(
            _("Your role does not let you move the agreement from '%(status)s' to '%(target)s'.")
            % {"status": Status(source).label, "target": Status(target).label}
        )
    now = now or timezone.now()
    agreement.status = target
    agreement.status_changed_at = now
    agreement.updated_at = now
    agreement.save(update_fields=["status", "status_changed_at", "updated_at"])
    event = AgreementEvent.objects.create(
        agreement=agreement,
        actor=actor,
        action=edge.action,
        from_status=source,
        to_status=target,
        version=version,
        note=note,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action=f"agreement.{edge.action}",
        obj=agreement,
        data={"from": source, "to": target, "version": version.number if version else None},
    )
    return event


def _notify(agreement: Agreement, kind: str, actor: User | None = None, *, event: AgreementEvent | None = None) -> None:
    """Queue a notice about ``event`` (or, for reminders, the agreement's status now) to the people it concerns
    now: the e-mail tells this, however late the worker sends it."""
    outbox_enqueue(
        "agreements.notifications.agreement_notice_send",
        **notifications.notice_kwargs(agreement, kind, actor=actor, event=event),
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise AgreementError(message)


def _require_leader(actor: User, agreement: Agreement) -> None:
    _require(can.is_leader(actor, agreement), _("Only the workplace's leader can do this."))


def _require_step(actor: User, agreement: Agreement, target: str, refusal: str) -> None:
    """Refuse a person the workflow's table names for no edge into ``target``. Asked before the status, so that
    someone who may not take the step learns nothing about where the agreement stands."""
    _require(can.holds(actor, agreement, workflow.who_may_enter(target)), refusal)


def _require_editable(actor: User, agreement: Agreement) -> None:
    _require_leader(actor, agreement)
    if agreement.status not in EDITABLE:
        raise AgreementError(_("The agreement is with the committee or signed; its text cannot change now."))


def _touch(agreement: Agreement) -> None:
    agreement.updated_at = timezone.now()
    agreement.save(update_fields=["updated_at"])


# --- Creating and editing ------------------------------------------------------------------------------


def previous_agreement(workplace: Workplace, committee, before: dt.date) -> Agreement | None:
    """The newest signed agreement of an earlier period (an amendment wins over the agreement it replaced)."""
    return (
        Agreement.objects.filter(
            workplace=workplace,
            committee=committee,
            period_end__lt=before,
            status__in=[Status.SIGNED, Status.ACTIVE, Status.FOLLOWED_UP, Status.CLOSED],
        )
        .exclude(amendments__status__in=[Status.ACTIVE, Status.FOLLOWED_UP, Status.CLOSED])
        .order_by("-period_end", "-pk")
        .first()
    )


def _result_as_baseline(goal: Goal, followup: FollowUp | None, label: str) -> str:
    if followup is None:
        return goal.baseline
    result = _("Result %(period)s: %(status)s.") % {"period": label, "status": followup.get_status_display()}
    return f"{result} {followup.note}".strip()


def agreement_create(
    *,
    workplace: Workplace,
    committee,
    actor: User,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    start_from: Agreement | None = None,
) -> Agreement:
    """A new draft for one period (default: next calendar year's, or this year's when it has none). With
    ``start_from`` (an earlier period's agreement) its sections and goals are carried over, each goal with its
    latest result as the new baseline; otherwise the draft starts empty."""
    _require(workplace.pk in actor.roles.led_workplace_ids, _("Only the workplace's leader can start its agreement."))
    if period_start is None:
        period_start, period_end = calendar_year(timezone.localdate().year)
    if period_end is None:
        period_end = calendar_year(period_start.year)[1]
    if period_end <= period_start:
        raise AgreementError(_("The period must end after it starts."))
    if start_from is not None and (start_from.workplace_id != workplace.pk or start_from.committee_id != committee.pk):
        raise AgreementError(_("Only an agreement of the same workplace and committee can be carried over."))
    midterm, final = default_follow_up_dates(period_start, period_end)
    with transaction.atomic():
        Workplace.objects.select_for_update().get(pk=workplace.pk)
        if not workplace.committees.filter(pk=committee.pk).exists():
            raise AgreementError(_("The committee is not responsible for this workplace."))
        overlapping = Agreement.objects.filter(workplace=workplace, committee=committee).for_period(
            period_start, period_end
        )
        if overlapping.exists():
            raise AgreementError(_("The workplace already has an agreement with this committee for that period."))
        agreement = Agreement.objects.create(
            workplace=workplace,
            committee=committee,
            period_start=period_start,
            period_end=period_end,
            midterm_on=midterm,
            final_on=final,
            created_by=actor,
            carried_from=start_from,
            core_task=start_from.core_task if start_from else workplace.description,
            support=start_from.support if start_from else "",
            follow_up_plan=start_from.follow_up_plan if start_from else "",
        )
        if start_from is not None:
            _carry_goals(start_from, agreement)
        AgreementEvent.objects.create(
            agreement=agreement,
            actor=actor,
            action="created",
            to_status=Status.DRAFT,
            note=_("Started from the agreement for %(period)s.") % {"period": start_from.period_label}
            if start_from
            else "",
        )
        audit_record(
            actor=actor,
            action="agreement.created",
            obj=agreement,
            data={"to": Status.DRAFT, "carried_from": start_from.pk if start_from else None},
        )
    return agreement


def _carry_goals(source: Agreement, target: Agreement, *, keep_baselines: bool = False) -> None:
    goals = source.ordered_goals(
        source.goals.select_related("shared_goal").prefetch_related("followups").order_by("order", "pk")
    )[: max_goals()]
    available = set(SharedGoal.objects.available_for(target).values_list("pk", flat=True))
    for order, goal in enumerate(goals, start=1):
        followups = list(goal.followups.all())  # newest first
        final = next((f for f in followups if f.kind == FollowUp.Kind.FINAL), None)
        latest = final or (followups[0] if followups else None)
        shared = goal.kind == Goal.Kind.SHARED and goal.shared_goal_id in available
        Goal.objects.create(
            agreement=target,
            order=order,
            kind=Goal.Kind.SHARED if shared else Goal.Kind.OWN,
            shared_goal=goal.shared_goal if shared else None,
            title=goal.title,
            baseline=goal.baseline if keep_baselines else _result_as_baseline(goal, latest, source.period_label),
            aim=goal.aim,
            indicator=goal.indicator,
            actions=goal.actions,
            evaluation=goal.evaluation,
            target=goal.target,
            milestones="" if not keep_baselines else goal.milestones,
            carried_from=goal,
        )


def agreement_update(
    *,
    agreement: Agreement,
    actor: User,
    core_task: str,
    support: str,
    follow_up_plan: str,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    midterm_on: dt.date | None = None,
    final_on: dt.date | None = None,
) -> Agreement:
    """Save the sections, the period and the follow-up dates of an agreement the leader may still edit."""
    with transaction.atomic():
        agreement = _lock(agreement)
        _require_editable(actor, agreement)
        period_start = period_start or agreement.period_start
        period_end = period_end or agreement.period_end
        if period_end <= period_start:
            raise AgreementError(_("The period must end after it starts."))
        for day in (midterm_on, final_on):
            if day is not None and not period_start <= day <= period_end:
                raise AgreementError(_("Follow-up dates must fall within the agreement's period."))
        if midterm_on and final_on and final_on <= midterm_on:
            raise AgreementError(_("The final follow-up comes after the mid-term follow-up."))
        if (period_start, period_end) != (agreement.period_start, agreement.period_end):
            if agreement.amends_id:
                raise AgreementError(_("An amendment keeps the period of the agreement it amends."))
            clash = (
                Agreement.objects.filter(workplace=agreement.workplace, committee=agreement.committee)
                .for_period(period_start, period_end)
                .exclude(pk=agreement.pk)
            )
            if clash.exists():
                raise AgreementError(_("The workplace already has an agreement with this committee for that period."))
        agreement.core_task = core_task.strip()
        agreement.support = support.strip()
        agreement.follow_up_plan = follow_up_plan.strip()
        agreement.period_start, agreement.period_end = period_start, period_end
        agreement.midterm_on, agreement.final_on = midterm_on, final_on
        agreement.updated_at = timezone.now()
        try:
            with transaction.atomic():
                agreement.save()
        except IntegrityError:
            raise AgreementError(
                _("The workplace already has an agreement with this committee for that period.")
            ) from None
    return agreement


def goal_save(
    *, agreement: Agreement, actor: User, data: dict, goal: Goal | None = None, shared_goal: SharedGoal | None = None
) -> Goal:
    """Add a goal (at most ``DIALOG_MAX_GOALS``) or change one. ``shared_goal`` set: the goal adopts it."""
    data = {name: (data.get(name) or "").strip() for name in GOAL_TEXT_FIELDS}
    if shared_goal is not None and not data["title"]:
        data["title"] = shared_goal.title
    if not data["title"]:
        raise AgreementError(_("Give the goal a title."))
    if not data["indicator"]:
        raise AgreementError(_("Say how citizens will notice the change: every goal needs an indicator."))
    with transaction.atomic():
        agreement = _lock(agreement)
        _require_editable(actor, agreement)
        if goal is not None and goal.agreement_id != agreement.pk:
            raise AgreementError(_("That goal belongs to another agreement."))
        if shared_goal is not None:
            if not SharedGoal.objects.available_for(agreement).filter(pk=shared_goal.pk).exists():
                raise AgreementError(_("That shared goal cannot be adopted for this committee and period."))
            taken = agreement.goals.filter(shared_goal=shared_goal)
            if goal is not None:
                taken = taken.exclude(pk=goal.pk)
            if taken.exists():
                raise AgreementError(_("The agreement already adopts this shared goal."))
        if goal is None:
            count = agreement.goals.count()
            if count >= max_goals():
                raise AgreementError(
                    _("An agreement has at most %(max)d goals. Few, clear goals make a better dialogue.")
                    % {"max": max_goals()}
                )
            goal = Goal(agreement=agreement, order=count + 1)
        goal.kind = Goal.Kind.SHARED if shared_goal is not None else Goal.Kind.OWN
        goal.shared_goal = shared_goal
        for name, value in data.items():
            setattr(goal, name, value)
        goal.save()
        _touch(agreement)
    return goal


def goal_delete(*, goal: Goal, actor: User) -> None:
    with transaction.atomic():
        agreement = _lock(goal.agreement)
        _require_editable(actor, agreement)
        Comment.objects.filter(goal=goal).update(goal=None)
        goal.delete()
        for order, remaining in enumerate(agreement.goals.order_by("order", "pk"), start=1):
            if remaining.order != order:
                remaining.order = order
                remaining.save(update_fields=["order"])
        _touch(agreement)


def goal_move(*, goal: Goal, actor: User, up: bool) -> None:
    """Move a goal one place up or down among the goals of its kind."""
    with transaction.atomic():
        agreement = _lock(goal.agreement)
        _require_editable(actor, agreement)
        goals = agreement.ordered_goals(agreement.goals.all())
        index = next(i for i, g in enumerate(goals) if g.pk == goal.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(goals) and goals[other].kind == goals[index].kind:
            goals[index], goals[other] = goals[other], goals[index]
        for order, item in enumerate(goals, start=1):
            if item.order != order:
                item.order = order
                item.save(update_fields=["order"])


# --- The workflow ------------------------------------------------------------------------------------------


def agreement_consultation_open(*, agreement: Agreement, actor: User, consultees=()) -> Agreement:
    """Send the draft to the trio and the named employees for comments."""
    consultees = list(consultees)
    with transaction.atomic():
        agreement = _lock(agreement)
        _require_step(actor, agreement, Status.CONSULTATION, _("Only the workplace's leader can do this."))
        allowed = set(
            WorkplaceRole.objects.current()
            .filter(workplace=agreement.workplace, role__in=[WorkplaceRole.Role.EMPLOYEE, WorkplaceRole.Role.TRIO])
            .values_list("user_id", flat=True)
        )
        if any(person.pk not in allowed for person in consultees):
            raise AgreementError(_("Only employees of the workplace can be consulted."))
        event = _move(agreement, actor=actor, target=Status.CONSULTATION)
        agreement.consultees.set(consultees)
        _notify(agreement, "consultation", actor, event=event)
    return agreement


def _next_version_number(agreement: Agreement) -> int:
    last = agreement.versions.order_by("-number").values_list("number", flat=True).first()
    if last is None and agreement.amends_id:
        # An amendment's first version follows the last version of the agreement it amends.
        last = (
            AgreementVersion.objects.filter(agreement_id=agreement.amends_id)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
    return (last or 0) + 1


def _freeze(agreement: Agreement, actor: User) -> AgreementVersion:
    goals = list(agreement.goals.select_related("shared_goal"))
    if not goals:
        raise AgreementError(_("Add at least one goal before the agreement goes to the committee."))
    if not agreement.core_task.strip():
        raise AgreementError(_("Describe the workplace's core task before the agreement goes to the committee."))
    data = fp.canonical_dict(agreement.text(goals))
    return AgreementVersion.objects.create(
        agreement=agreement,
        number=_next_version_number(agreement),
        text=data,
        fingerprint=fp.fingerprint_of_canonical(data),
        created_by=actor,
    )


def _send_to_committee(agreement: Agreement, actor: User, *, target: str, refusal: str) -> AgreementVersion:
    """Freeze the text as the next version and send it to the committee (submit and resubmit)."""
    with transaction.atomic():
        agreement = _lock(agreement)
        _require_step(actor, agreement, target, _("Only the workplace's leader can do this."))
        if not workflow.can_move(agreement.status, target):
            raise AgreementError(refusal)
        version = _freeze(agreement, actor)
        event = _move(agreement, actor=actor, target=target, version=version)
        _notify(agreement, target, actor, event=event)
    return version


def agreement_submit(*, agreement: Agreement, actor: User) -> AgreementVersion:
    """Send the agreement to the committee after consultation: the text freezes as a numbered version."""
    return _send_to_committee(
        agreement,
        actor,
        target=Status.SUBMITTED,
        refusal=_("Only an agreement in consultation can be submitted to the committee."),
    )


def agreement_changes_request(*, agreement: Agreement, actor: User, note: str) -> Agreement:
    """A member of the committee asks for changes, saying which."""
    note = (note or "").strip()
    if not note:
        raise AgreementError(_("Say what should change, so the leader knows what to do."))
    with transaction.atomic():
        agreement = _lock(agreement)
        _require_step(
            actor, agreement, Status.CHANGES_REQUESTED, _("Only members of the committee review its agreements.")
        )
        event = _move(agreement, actor=actor, target=Status.CHANGES_REQUESTED, note=note)
        _notify(agreement, "changes_requested", actor, event=event)
    return agreement


def agreement_resubmit(*, agreement: Agreement, actor: User) -> AgreementVersion:
    """The leader sends the changed agreement back: a new version freezes."""
    return _send_to_committee(
        agreement,
        actor,
        target=Status.RESUBMITTED,
        refusal=_("Only an agreement with requested changes can be resubmitted."),
    )


def _committee_role(actor: User, agreement: Agreement, chair_absence: str) -> tuple[str, str]:
    """The chair acts for the committee; the vice-chair only when the chair is absent, and says why."""
    chair_absence = (chair_absence or "").strip()
    if can.is_chair(actor, agreement):
        return AgreementSignature.Role.CHAIR, ""
    if can.is_vice_chair(actor, agreement):
        if not chair_absence:
            raise AgreementError(_("As vice-chair you act for the chair only when the chair is absent: say why."))
        return AgreementSignature.Role.VICE_CHAIR, chair_absence
    raise AgreementError(_("Only the committee's chair, or the vice-chair when the chair is absent, can do this."))


def agreement_approve(*, agreement: Agreement, actor: User, chair_absence: str = "", note: str = "") -> Agreement:
    """The chair (or the vice-chair for an absent chair) approves the agreement for the committee."""
    with transaction.atomic():
        agreement = _lock(agreement)
        role, absence = _committee_role(actor, agreement, chair_absence)
        if agreement.status not in IN_REVIEW:
            raise AgreementError(_("Only an agreement with the committee can be approved."))
        text = note.strip()
        if role == AgreementSignature.Role.VICE_CHAIR:
            text = (_("For the absent chair: %(reason)s") % {"reason": absence} + "\n" + text).strip()
        version = agreement.versions.order_by("-number").first()
        event = _move(agreement, actor=actor, target=Status.APPROVED, note=text, version=version)
        _notify(agreement, "approved", actor, event=event)
    return agreement


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.order_by("-number").first()


def agreement_sign(
    *, agreement: Agreement, actor: User, side: str, typed_name: str, has_read: bool, chair_absence: str = ""
) -> AgreementSignature:
    """Sign the approved version for the workplace (its leader) or the committee (the chair, or the vice-chair
    recording the chair's absence). The codex gate applies. When both sides have signed the agreement is
    signed, and active at once if its period has begun."""
    gate = codex_gate_check(actor)
    if not gate.ok:
        raise AgreementError(gate.reason)
    if not has_read:
        raise AgreementError(_("Please confirm that you have read the agreement."))
    if not names_match(typed_name, actor.full_name):
        raise AgreementError(
            _("The name you typed does not match your full name in the portal (%(name)s).") % {"name": actor.full_name}
        )
    with transaction.atomic():
        agreement = _lock(agreement)
        if agreement.status != Status.APPROVED:
            raise AgreementError(_("Only an approved agreement can be signed."))
        if side == AgreementSignature.Side.WORKPLACE:
            _require_leader(actor, agreement)
            role, absence = AgreementSignature.Role.LEADER, ""
        elif side == AgreementSignature.Side.COMMITTEE:
            role, absence = _committee_role(actor, agreement, chair_absence)
        else:
            raise AgreementError(_("Say whether you sign for the workplace or the committee."))
        version = latest_version(agreement)
        if version is None or version.recompute_fingerprint() != version.fingerprint:
            raise AgreementError(_("The frozen text does not match its fingerprint. Contact the secretariat."))
        if version.signatures.filter(side=side).exists():
            raise AgreementError(_("This version has already been signed for that side."))
        try:
            with transaction.atomic():
                signature = AgreementSignature.objects.create(
                    agreement=agreement,
                    version=version,
                    person=actor,
                    side=side,
                    role=role,
                    chair_absence=absence,
                    typed_name=re.sub(r"\s+", " ", typed_name).strip(),
                    fingerprint=version.fingerprint,
                )
        except IntegrityError:
            raise AgreementError(_("This version has already been signed for that side.")) from None
        signature_event = AgreementEvent.objects.create(
            agreement=agreement,
            actor=actor,
            action="signature",
            from_status=agreement.status,
            to_status=agreement.status,
            version=version,
            note=_("For the absent chair: %(reason)s") % {"reason": absence} if absence else "",
        )
        audit_record(
            actor=actor,
            action="agreement.signature",
            obj=agreement,
            data={"version": version.number, "side": side, "role": role, "signature": signature.pk},
        )
        if version.signatures.count() == len(AgreementSignature.Side.values):
            event = _move(agreement, actor=actor, target=Status.SIGNED, version=version)
            _notify(agreement, "signed", actor, event=event)
            if agreement.period_start <= timezone.localdate():
                _activate(agreement, version=version)
        else:
            _notify(agreement, "sign_waiting", actor, event=signature_event)
    return signature


def _activate(agreement: Agreement, *, actor: User | None = None, version=None) -> None:
    """The locked, signed agreement comes into force; an agreement it amends is closed."""
    _move(agreement, actor=actor, target=Status.ACTIVE, version=version)
    if agreement.amends_id:
        replaced = Agreement.objects.select_for_update().get(pk=agreement.amends_id)
        if replaced.status == Status.ACTIVE:
            _move(
                replaced,
                actor=actor,
                by_portal=True,
                target=Status.CLOSED,
                note=_("Replaced by the amended agreement (version %(number)s).")
                % {"number": version.number if version else "?"},
            )


def agreement_activate(*, agreement: Agreement, actor: User | None = None, today: dt.date | None = None) -> Agreement:
    """A signed agreement comes into force when its period begins (the daily job, or the leader on the day)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        agreement = _lock(agreement)
        if actor is not None:
            _require_step(actor, agreement, Status.ACTIVE, _("Only the workplace's leader can do this."))
        if agreement.status != Status.SIGNED:
            raise AgreementError(_("Only a signed agreement can come into force."))
        if agreement.period_start > today:
            raise AgreementError(_("The agreement comes into force when its period begins."))
        _activate(agreement, actor=actor, version=latest_version(agreement))
    return agreement


def agreements_activate_due(*, today: dt.date | None = None) -> int:
    """Daily: every signed agreement whose period has begun comes into force. Returns how many."""
    today = today or timezone.localdate()
    done = 0
    for agreement in Agreement.objects.filter(status=Status.SIGNED, period_start__lte=today).order_by("pk"):
        try:
            agreement_activate(agreement=agreement, today=today)
        except AgreementError:
            continue  # another run got there first
        done += 1
    return done


def followup_record(
    *, agreement: Agreement, actor: User, entries: list[tuple[Goal, str, str, str]], occasion: str = ""
) -> list[FollowUp]:
    """Record the status of goals of an active agreement: ``entries`` are (goal, kind, status, note). When every
    goal has a final status the agreement is followed up."""
    with transaction.atomic():
        agreement = _lock(agreement)
        _require_step(
            actor,
            agreement,
            Status.FOLLOWED_UP,
            _("Only the workplace's leader and the committee's members record follow-ups."),
        )
        if agreement.status != Status.ACTIVE:
            raise AgreementError(_("Follow-ups are recorded while the agreement is active."))
        if not entries:
            raise AgreementError(_("Choose a status for at least one goal."))
        goal_ids = set(agreement.goals.values_list("pk", flat=True))
        created = []
        for goal, kind, status, note in entries:
            if goal.pk not in goal_ids:
                raise AgreementError(_("That goal belongs to another agreement."))
            allowed = FOLLOWUP_STATUSES.get(kind)
            if allowed is None or status not in allowed:
                raise AgreementError(
                    _("At mid-term a goal is on track, at risk or achieved; at the end it is achieved or not.")
                )
            created.append(
                FollowUp.objects.create(
                    goal=goal, kind=kind, status=status, note=(note or "").strip(), occasion=occasion, recorded_by=actor
                )
            )
        audit_record(
            actor=actor,
            action="agreement.followup",
            obj=agreement,
            data={"followups": [f.pk for f in created], "statuses": [f.status for f in created]},
        )
        finals = set(
            FollowUp.objects.filter(goal__agreement=agreement, kind=FollowUp.Kind.FINAL).values_list(
                "goal_id", flat=True
            )
        )
        if goal_ids and goal_ids <= finals:
            event = _move(agreement, actor=actor, target=Status.FOLLOWED_UP)
            _notify(agreement, "followed_up", actor, event=event)
        else:
            _touch(agreement)
    return created


FOLLOWUP_STATUSES = {
    FollowUp.Kind.MIDTERM: {FollowUp.Status.ON_TRACK, FollowUp.Status.AT_RISK, FollowUp.Status.ACHIEVED},
    FollowUp.Kind.FINAL: {FollowUp.Status.ACHIEVED, FollowUp.Status.NOT_ACHIEVED},
}


def agreement_close(*, agreement: Agreement, actor: User, note: str = "", chair_absence: str = "") -> Agreement:
    """The committee's chair (or an administrator) closes a followed-up agreement."""
    with transaction.atomic():
        agreement = _lock(agreement)
        if not can.is_administrator(actor):
            _committee_role(actor, agreement, chair_absence)
        if agreement.status != Status.FOLLOWED_UP:
            raise AgreementError(_("Only a followed-up agreement can be closed."))
        text = note.strip()
        if chair_absence.strip() and can.is_vice_chair(actor, agreement) and not can.is_chair(actor, agreement):
            text = (_("For the absent chair: %(reason)s") % {"reason": chair_absence.strip()} + "\n" + text).strip()
        _move(agreement, actor=actor, target=Status.CLOSED, note=text)
    return agreement


def agreement_amend(*, agreement: Agreement, actor: User) -> Agreement:
    """Start an amendment of an active agreement: a new draft with the same text that goes through the same
    workflow. The active agreement stays in force, unchanged, until the amendment is signed."""
    with transaction.atomic():
        agreement = _lock(agreement)
        _require_leader(actor, agreement)
        if agreement.status != Status.ACTIVE:
            raise AgreementError(_("Only an active agreement can be amended."))
        if Agreement.objects.filter(amends=agreement).exists():
            raise AgreementError(_("An amendment of this agreement has already been started."))
        amendment = Agreement.objects.create(
            workplace=agreement.workplace,
            committee=agreement.committee,
            period_start=agreement.period_start,
            period_end=agreement.period_end,
            midterm_on=agreement.midterm_on,
            final_on=agreement.final_on,
            core_task=agreement.core_task,
            support=agreement.support,
            follow_up_plan=agreement.follow_up_plan,
            amends=agreement,
            created_by=actor,
        )
        _carry_goals(agreement, amendment, keep_baselines=True)
        AgreementEvent.objects.create(
            agreement=amendment,
            actor=actor,
            action="amendment_started",
            to_status=Status.DRAFT,
            note=_("Amends the active agreement (version %(number)s).")
            % {"number": getattr(latest_version(agreement), "number", "?")},
        )
        audit_record(actor=actor, action="agreement.amendment_started", obj=amendment, data={"amends": agreement.pk})
    return amendment


# --- Comments and reading ------------------------------------------------------------------------------------


def comment_add(
    *, agreement: Agreement, actor: User, body: str, section: str = "", goal: Goal | None = None
) -> Comment:
    body = (body or "").strip()
    if not body:
        raise AgreementError(_("Write a comment first."))
    if section and section not in Comment.Section.values:
        raise AgreementError(_("Unknown section."))
    with transaction.atomic():
        agreement = _lock(agreement)
        _require(can.can_comment(actor, agreement), _("You cannot comment on this agreement now."))
        if goal is not None and goal.agreement_id != agreement.pk:
            raise AgreementError(_("That goal belongs to another agreement."))
        return Comment.objects.create(
            agreement=agreement,
            author=actor,
            body=body,
            section="" if goal is not None else section,
            goal=goal,
            goal_title=goal.title if goal is not None else "",
            status_when_written=agreement.status,
        )


def comment_resolve(*, comment: Comment, actor: User) -> Comment:
    with transaction.atomic():
        agreement = _lock(comment.agreement)
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        _require(
            can.can_resolve(actor, comment, agreement),
            _("Only the workplace's leader or the comment's author can resolve it."),
        )
        comment.resolved_at = timezone.now()
        comment.resolved_by = actor
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


def version_seen(*, agreement: Agreement, person: User, number: int) -> None:
    """Remember the newest version a person has opened (never goes back)."""
    if not person.is_authenticated:
        return
    seen, created = VersionSeen.objects.get_or_create(person=person, agreement=agreement, defaults={"number": number})
    if not created and seen.number < number:
        VersionSeen.objects.filter(pk=seen.pk).update(number=number, seen_at=timezone.now())


# --- The shared-goal catalogue --------------------------------------------------------------------------------


def may_keep_shared_goal(user: User, committee) -> bool:
    """Administrators keep every shared goal; a committee's members keep their committee's."""
    if not user.is_authenticated:
        return False
    if user.roles.is_administrator:
        return True
    return committee is not None and committee.pk in user.roles.committee_ids


def shared_goal_save(
    *,
    actor: User,
    title: str,
    text: str,
    committee,
    period_start: dt.date,
    period_end: dt.date,
    is_active: bool = True,
    goal: SharedGoal | None = None,
) -> SharedGoal:
    if goal is not None and not may_keep_shared_goal(actor, goal.committee):
        raise AgreementError(_("Only administrators and the committee's members keep its shared goals."))
    if not may_keep_shared_goal(actor, committee):
        raise AgreementError(
            _("Only administrators keep goals for the whole municipality; members keep their committee's.")
        )
    if not (title or "").strip() or not (text or "").strip():
        raise AgreementError(_("Give the shared goal a title and a text."))
    if period_end <= period_start:
        raise AgreementError(_("The period must end after it starts."))
    with transaction.atomic():
        goal = (
            SharedGoal.objects.select_for_update().get(pk=goal.pk) if goal is not None else SharedGoal(created_by=actor)
        )
        before = None if goal.pk is None else (goal.title, goal.text)
        goal.title, goal.text = title.strip(), text.strip()
        goal.committee = committee
        goal.period_start, goal.period_end, goal.is_active = period_start, period_end, is_active
        goal.save()
        # The catalogue's words reach only agreements the leader still edits; a frozen text keeps its own.
        goal.text_changed = before is not None and before != (goal.title, goal.text)
        frozen = Goal.objects.filter(shared_goal=goal, agreement__status__in=FROZEN).values("agreement").distinct()
        audit_record(
            actor=actor,
            action="agreement.shared_goal_saved",
            obj=goal,
            data={"active": is_active, "text_changed": goal.text_changed, "frozen_agreements": frozen.count()},
        )
    return goal


# --- Reminders ------------------------------------------------------------------------------------------------

WAITING = (Status.CONSULTATION, Status.SUBMITTED, Status.RESUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED)


def agreement_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Daily: remind whoever must act on an agreement that has waited more than
    ``DIALOG_AGREEMENT_REMINDER_DAYS`` days; then again every that many days while it still waits."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.DIALOG_AGREEMENT_REMINDER_DAYS)
    recent = AgreementReminder.objects.filter(
        Q(agreement=OuterRef("pk"), kind=AgreementReminder.Kind.WAITING, status=OuterRef("status"))
        & Q(sent_at__gte=OuterRef("status_changed_at"))
        & Q(sent_at__gte=cutoff)
    )
    count = 0
    with transaction.atomic():
        due = list(
            Agreement.objects.select_for_update(skip_locked=True)
            .filter(status__in=WAITING, status_changed_at__lt=cutoff)
            .filter(~Exists(recent))
            .order_by("pk")
        )
        for agreement in due:
            AgreementReminder.objects.create(
                agreement=agreement, kind=AgreementReminder.Kind.WAITING, status=agreement.status, sent_at=now
            )
            _notify(agreement, "reminder")
            count += 1
    return count


def followup_reminders_send(*, today: dt.date | None = None) -> int:
    """Daily: tell the leader and the committee's chair that a follow-up is due within
    ``DIALOG_AGREEMENT_FOLLOWUP_NOTICE_DAYS`` days and nothing is recorded yet. Once per agreement and kind."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.DIALOG_AGREEMENT_FOLLOWUP_NOTICE_DAYS)
    count = 0
    with transaction.atomic():
        for kind, date_field in ((FollowUp.Kind.MIDTERM, "midterm_on"), (FollowUp.Kind.FINAL, "final_on")):
            already = AgreementReminder.objects.filter(agreement=OuterRef("pk"), kind=kind)
            recorded = FollowUp.objects.filter(goal__agreement=OuterRef("pk"), kind=kind)
            due = (
                Agreement.objects.select_for_update(skip_locked=True)
                .filter(status=Status.ACTIVE, **{f"{date_field}__gte": today, f"{date_field}__lte": horizon})
                .filter(~Exists(already), ~Exists(recorded))
                .order_by("pk")
            )
            for agreement in due:
                AgreementReminder.objects.create(agreement=agreement, kind=kind, status=agreement.status)
                _notify(agreement, f"followup_{kind}")
                count += 1
    return count
