"""Writes for challenges of rules: write, send, put on a meeting, decide, evaluate a trial, join, and the daily
reminder of a trial's end. Each one transaction on the locked challenge, with an event row, an audit entry and
notices through the outbox.

The rules, refused here whoever calls (a page, the admin, a task, the shell):

- Only a leader of the workplace writes and sends its challenge, to one of the workplace's committees (for a rule
  on a committee's positive list: that committee); the trio reads the draft and must stand behind it before it goes.
- The status moves only along ``workflow.EDGES``, by the people the table names: the committee's chair (or
  vice-chair) or the secretariat puts it on one of the committee's coming meetings (or a date when none fits) and
  records the committee's decision.
- A trial has an end date after today and says how it is evaluated; a rejection has a reason.
- Another leader adds their workplace (»this applies to us too«) once, while the challenge waits for the decision.
- A granted challenge of a rule on the positive list (or a trial made permanent) changes the list.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.audit import audit_record
from core.outbox import outbox_enqueue
from meetings.models import Committee, Meeting, User, Workplace

from ..positive_list.models import PolicyItem, ReviewDecision
from ..positive_list.services import policy_item_change
from . import permissions as can
from . import workflow
from .errors import ChallengeError
from .models import MAX_HOURS, OPEN, Challenge, ChallengeEvent, ChallengeJoiner, Proposal, Status

NOTICE = "codex.challenges.notifications.challenge_notice_send"


def trial_reminder_days() -> int:
    return settings.DIALOG_CHALLENGE_TRIAL_REMINDER_DAYS


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ChallengeError(message)


def _lock(challenge: Challenge) -> Challenge:
    return Challenge.objects.select_for_update().get(pk=challenge.pk)


def _hours(value) -> int:
    try:
        hours = int(value)
    except (TypeError, ValueError):
        hours = 0
    _require(
        1 <= hours <= MAX_HOURS,
        _("Write roughly how many hours a month it costs: a whole number from 1 to %(max)s.") % {"max": MAX_HOURS},
    )
    return hours


def _check_content(
    *, workplace: Workplace, committee: Committee, policy_item: PolicyItem | None, rule: str, description: str
) -> str:
    rule, description = (rule or "").strip(), (description or "").strip()
    if policy_item is not None:
        _require(policy_item.is_in_force, _("That rule is no longer on the positive list. Describe it in words."))
        _require(
            policy_item.committee_id in (None, committee.pk),
            _("The rule is on %(committee)s's positive list. Send the challenge to that committee.")
            % {"committee": policy_item.committee},
        )
        rule = rule or policy_item.title
    _require(bool(rule), _("Name the rule or demand you challenge, or choose it from the positive list."))
    _require(bool(description), _("Describe what the rule demands of you and what it costs."))
    _require(
        workplace.committees.filter(pk=committee.pk).exists(),
        _("Choose a committee that %(workplace)s is under.") % {"workplace": workplace.name},
    )
    return rule[:200]


def challenge_create(
    *,
    actor: User,
    workplace: Workplace,
    committee: Committee,
    rule: str = "",
    description: str,
    hours_per_month,
    proposal: str,
    policy_item: PolicyItem | None = None,
    proposal_detail: str = "",
    trio_agrees: bool = False,
) -> Challenge:
    """Write a challenge as a draft, which the workplace's trio can read before it is sent."""
    _require(can.is_leader_of(actor, workplace.pk), _("Only a leader of the workplace can challenge a rule for it."))
    _require(proposal in Proposal.values, _("Choose what you propose: abolish, simplify or a trial."))
    rule = _check_content(
        workplace=workplace, committee=committee, policy_item=policy_item, rule=rule, description=description
    )
    hours = _hours(hours_per_month)
    with transaction.atomic():
        challenge = Challenge.objects.create(
            workplace=workplace,
            committee=committee,
            policy_item=policy_item,
            rule=rule,
            description=description.strip(),
            hours_per_month=hours,
            proposal=proposal,
            proposal_detail=(proposal_detail or "").strip(),
            trio_agrees=bool(trio_agrees),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="challenge.created",
            obj=challenge,
            data={"workplace": workplace.pk, "committee": committee.pk, "item": getattr(policy_item, "pk", None)},
        )
    return challenge


def challenge_update(
    *,
    challenge: Challenge,
    actor: User,
    committee: Committee,
    rule: str = "",
    description: str,
    hours_per_month,
    proposal: str,
    policy_item: PolicyItem | None = None,
    proposal_detail: str = "",
    trio_agrees: bool = False,
) -> Challenge:
    """Change the draft (its leader or trio). A challenge sent to the committee is no longer changed."""
    _require(proposal in Proposal.values, _("Choose what you propose: abolish, simplify or a trial."))
    hours = _hours(hours_per_month)
    with transaction.atomic():
        challenge = _lock(challenge)
        _require(can.can_edit(actor, challenge), _("Only the workplace's leader and trio can change a draft."))
        rule = _check_content(
            workplace=challenge.workplace,
            committee=committee,
            policy_item=policy_item,
            rule=rule,
            description=description,
        )
        challenge.committee, challenge.policy_item, challenge.rule = committee, policy_item, rule
        challenge.description, challenge.hours_per_month = description.strip(), hours
        challenge.proposal, challenge.proposal_detail = proposal, (proposal_detail or "").strip()
        challenge.trio_agrees = bool(trio_agrees)
        challenge.save()
        audit_record(actor=actor, action="challenge.changed", obj=challenge, data={"hours": hours})
    return challenge


def _move(challenge: Challenge, *, actor: User, target: str, note: str = "", now=None) -> ChallengeEvent:
    """Take one edge of the table on the locked challenge, if the table names the actor for it; refuse any other."""
    source = challenge.status
    step = workflow.edge(source, target)
    _require(
        step is not None,
        _("A challenge that is »%(status)s« cannot become »%(target)s«.")
        % {"status": Status(source).label, "target": Status(target).label},
    )
    _require(
        can.may_take(actor, challenge, target),
        _("Your role does not let you move the challenge from »%(status)s« to »%(target)s«.")
        % {"status": Status(source).label, "target": Status(target).label},
    )
    now = now or timezone.now()
    challenge.status = target
    challenge.save()
    event = ChallengeEvent.objects.create(
        challenge=challenge,
        actor=actor,
        action=step.action,
        from_status=source,
        to_status=target,
        note=note,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action=f"challenge.{step.action}",
        obj=challenge,
        data={"from": source, "to": target, "note": note[:200]},
    )
    return event


def challenge_submit(*, challenge: Challenge, actor: User) -> Challenge:
    """Send the draft to the committee; its chair is told."""
    with transaction.atomic():
        challenge = _lock(challenge)
        _require(
            challenge.status != Status.DRAFT or challenge.trio_agrees,
            _("Talk the challenge over with the trio first, and tick that the trio stands behind it."),
        )
        _move(challenge, actor=actor, target=Status.SUBMITTED)
        challenge.submitted_at = timezone.now()
        challenge.save(update_fields=["submitted_at"])
        outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="submitted")
    return challenge


def challenge_schedule(
    *, challenge: Challenge, actor: User, meeting: Meeting | None = None, treated_on: dt.date | None = None
) -> Challenge:
    """Put the challenge on one of the committee's coming meetings, or on a date when no meeting fits."""
    today = timezone.localdate()
    with transaction.atomic():
        challenge = _lock(challenge)
        if meeting is not None:
            _require(
                meeting.committee_id == challenge.committee_id
                and meeting.status == Meeting.Status.SCHEDULED
                and meeting.starts_at > timezone.now(),
                _("Choose one of the committee's own coming meetings."),
            )
            treated_on = timezone.localdate(meeting.starts_at)
        _require(treated_on is not None, _("Choose a meeting, or a date when no meeting fits."))
        _require(treated_on >= today, _("The date has passed. Choose today or a later day."))
        challenge.meeting, challenge.treated_on = meeting, treated_on
        _move(challenge, actor=actor, target=Status.SCHEDULED, note=dates.when(treated_on, "date"))
        outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="scheduled")
    return challenge


def _decision(challenge: Challenge, *, reason: str) -> None:
    """Note the decision on the locked row before the edge saves it (the constraints check them together). The
    committee decides at the meeting: not before its day."""
    if challenge.treated_on is not None and timezone.localdate() < challenge.treated_on:
        raise ChallengeError(
            _("The committee treats the challenge on %(day)s. Record its decision on that day or later.")
            % {"day": dates.when(challenge.treated_on, "date")}
        )
    challenge.decided_at = timezone.now()
    challenge.decision_reason = reason


def _change_positive_list(challenge: Challenge, *, actor: User, reason: str) -> None:
    """A granted challenge of a rule on the positive list changes the list: simplified as proposed, or abolished
    (a trial of working without the rule, made permanent, abolishes it too)."""
    if challenge.policy_item_id is None:
        return
    item = PolicyItem.objects.select_for_update().get(pk=challenge.policy_item_id)
    if not item.is_in_force:
        return  # removed meanwhile (by a review, or another challenge): nothing left to change
    simplify = challenge.proposal == Proposal.SIMPLIFY
    policy_item_change(
        item=item,
        actor=actor,
        decision=ReviewDecision.SIMPLIFY if simplify else ReviewDecision.ABOLISH,
        reason=reason
        or _("%(committee)s granted the challenge from %(workplace)s.")
        % {"committee": challenge.committee.name, "workplace": challenge.workplace.name},
        changes=challenge.proposal_detail if simplify else "",
        source=challenge,
    )


def challenge_grant(*, challenge: Challenge, actor: User, reason: str = "") -> Challenge:
    """The committee grants the challenge: the rule is dropped or simplified as proposed."""
    reason = (reason or "").strip()
    with transaction.atomic():
        challenge = _lock(challenge)
        _decision(challenge, reason=reason)
        _move(challenge, actor=actor, target=Status.GRANTED, note=reason)
        outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="granted")
        _change_positive_list(challenge, actor=actor, reason=reason)
    return challenge


def _trial_end(trial_ends_on: dt.date | None, *, after: dt.date) -> dt.date:
    _require(trial_ends_on is not None, _("Choose the day the trial ends."))
    _require(
        trial_ends_on > after,
        _("The trial must end after %(day)s. Choose a later day.") % {"day": dates.when(after, "date")},
    )
    return trial_ends_on


def challenge_grant_trial(
    *, challenge: Challenge, actor: User, trial_ends_on: dt.date | None, trial_evaluation: str, reason: str = ""
) -> Challenge:
    """The committee grants the challenge as a trial: the workplaces work without the rule until the end date, and
    then the committee evaluates it (scale up, extend or stop)."""
    reason, trial_evaluation = (reason or "").strip(), (trial_evaluation or "").strip()
    end = _trial_end(trial_ends_on, after=timezone.localdate())
    _require(bool(trial_evaluation), _("Write how the trial will be evaluated, so everyone knows what counts."))
    with transaction.atomic():
        challenge = _lock(challenge)
        challenge.trial_ends_on, challenge.trial_evaluation = end, trial_evaluation
        _decision(challenge, reason=reason)
        _move(challenge, actor=actor, target=Status.TRIAL, note=reason or trial_evaluation)
        outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="trial_granted")
    return challenge


def challenge_reject(*, challenge: Challenge, actor: User, reason: str) -> Challenge:
    """The committee rejects the challenge; the reason is told to the workplaces and shown publicly."""
    reason = (reason or "").strip()
    _require(bool(reason), _("Write the committee's reason, so the workplaces know why."))
    with transaction.atomic():
        challenge = _lock(challenge)
        _decision(challenge, reason=reason)
        _move(challenge, actor=actor, target=Status.REJECTED, note=reason)
        outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="rejected")
    return challenge


def challenge_pass_on(*, challenge: Challenge, actor: User, reason: str = "") -> Challenge:
    """The committee passes the challenge to the city council (the rule is the whole municipality's)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        challenge = _lock(challenge)
        _decision(challenge, reason=reason)
        _move(challenge, actor=actor, target=Status.PASSED_ON, note=reason)
        outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="passed_on")
    return challenge


def challenge_make_permanent(*, challenge: Challenge, actor: User, note: str = "") -> Challenge:
    """The trial worked: it is scaled up and made permanent, and the positive list changes."""
    note = (note or "").strip()
    with transaction.atomic():
        challenge = _lock(challenge)
        challenge.decided_at = timezone.now()
        _move(challenge, actor=actor, target=Status.GRANTED, note=note)
        outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="made_permanent")
        _change_positive_list(challenge, actor=actor, reason=note or challenge.decision_reason)
    return challenge


def challenge_extend_trial(
    *, challenge: Challenge, actor: User, trial_ends_on: dt.date | None, note: str = ""
) -> Challenge:
    """The trial needs longer: a new end date, reminded again before it."""
    note = (note or "").strip()
    with transaction.atomic():
        challenge = _lock(challenge)
        after = max(timezone.localdate(), challenge.trial_ends_on or timezone.localdate())
        end = _trial_end(trial_ends_on, after=after)
        challenge.trial_ends_on, challenge.trial_reminded_at = end, None
        _move(challenge, actor=actor, target=Status.TRIAL, note=note or dates.when(end, "date"))
        outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="extended")
    return challenge


def challenge_stop_trial(*, challenge: Challenge, actor: User, note: str) -> Challenge:
    """The trial did not work: the rule applies again. The reason is told and shown."""
    note = (note or "").strip()
    _require(bool(note), _("Write why the trial stops, so the workplaces know."))
    with transaction.atomic():
        challenge = _lock(challenge)
        _move(challenge, actor=actor, target=Status.STOPPED, note=note)
        outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="stopped")
    return challenge


def challenge_join(
    *, challenge: Challenge, actor: User, workplace: Workplace, hours_per_month, note: str = ""
) -> ChallengeJoiner:
    """Another leader says »this applies to us too«: their workplace and their estimate are added to the case."""
    hours = _hours(hours_per_month)
    with transaction.atomic():
        challenge = _lock(challenge)
        _require(challenge.status in OPEN, _("Only a challenge that waits for the committee's decision can be joined."))
        _require(
            can.is_leader_of(actor, workplace.pk), _("Only a leader of the workplace can add it to the challenge.")
        )
        _require(workplace.pk != challenge.workplace_id, _("The challenge is already your workplace's own."))
        _require(
            not challenge.joiners.filter(workplace=workplace).exists(),
            _("%(workplace)s is already on the challenge.") % {"workplace": workplace.name},
        )
        joiner = ChallengeJoiner.objects.create(
            challenge=challenge, workplace=workplace, hours_per_month=hours, note=(note or "").strip(), joined_by=actor
        )
        audit_record(
            actor=actor, action="challenge.joined", obj=challenge, data={"workplace": workplace.pk, "hours": hours}
        )
        outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="joined")
    return joiner


def challenge_trial_reminders_send(*, today: dt.date | None = None) -> int:
    """Daily: remind the committee's chair and the workplace's leader that a trial ends within
    ``DIALOG_CHALLENGE_TRIAL_REMINDER_DAYS`` days, once per end date. Returns how many trials were reminded."""
    today = today or timezone.localdate()
    by = today + dt.timedelta(days=trial_reminder_days())
    sent = 0
    for pk in Challenge.objects.trials_ending(by).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            challenge = Challenge.objects.select_for_update().filter(pk=pk).first()
            if challenge is None or challenge.status != Status.TRIAL or challenge.trial_reminded_at is not None:
                continue  # evaluated or reminded by another run meanwhile
            challenge.trial_reminded_at = timezone.now()
            challenge.save(update_fields=["trial_reminded_at"])
            audit_record(
                actor=None,
                action="challenge.trial_reminded",
                obj=challenge,
                data={"ends": challenge.trial_ends_on.isoformat()},
            )
            outbox_enqueue(NOTICE, challenge_id=challenge.pk, kind="trial_ending")
            sent += 1
    return sent
