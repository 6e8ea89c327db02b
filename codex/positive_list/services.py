"""Writes to the positive list: add an item, change it while in force, review it (keep, simplify, abolish), record a
change decided elsewhere (a granted challenge of a rule), and the daily review reminders. Each one transaction on the
locked item, with an event row, an audit entry, and notices through the outbox.

The rules, refused here whoever calls (a page, the admin, a task, the shell):

- Only the secretariat adds to the city council's list; the secretariat or the committee's chair adds to a
  committee's list. The secretariat, the committee's chair and the item's owner change and review an item.
- A removed item is history: it is never changed or reviewed again.
- A review has a reason. »Keep« and »Simplify« set the next review date (after the decision); »Simplify« says what
  changed; »Abolish« removes the item with the reason and the date.
- Each item is reminded once per review date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.outbox import outbox_enqueue
from meetings.models import Committee, User

from ..errors import CodexError
from . import permissions as can
from .models import OwnerKind, PolicyItem, PolicyItemEvent, PolicyKind, PolicyReview, ReviewDecision

# The fields a person fills in; a change records each one that differs (old and new value).
EDITABLE_FIELDS = (
    "title",
    "kind",
    "summary",
    "owner_kind",
    "owner_title",
    "owner_person",
    "link_url",
    "demands_reporting",
    "demands_documentation",
    "demands_meetings",
    "demands",
    "adopted_on",
    "next_review_on",
)
DEFAULT_REVIEW_PERIOD = dt.timedelta(days=365)


def review_notice_days() -> int:
    return settings.DIALOG_POLICY_REVIEW_NOTICE_DAYS


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise CodexError(message)


def _refuse_unknown(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not a field of an item on the positive list: {', '.join(sorted(unknown))}")


def _check_fields(fields: dict, *, committee: Committee | None) -> None:
    """The rules on an item's own fields (the forms show the same messages beside the fields)."""
    _require(bool((fields.get("title") or "").strip()), _("Write the title of the strategy, plan or policy."))
    _require(fields.get("kind") in PolicyKind.values, _("Choose what kind of item it is."))
    owner_kind = fields.get("owner_kind")
    _require(owner_kind in OwnerKind.values, _("Choose who owns the item."))
    _require(
        not (owner_kind == OwnerKind.COMMITTEE and committee is None),
        _("The city council's list cannot be owned by a committee. Choose the city council or a head of centre."),
    )
    _require(
        owner_kind != OwnerKind.HEAD_OF_CENTRE
        or bool((fields.get("owner_title") or "").strip())
        or fields.get("owner_person") is not None,
        _("Write the head of centre's position, or choose the person."),
    )
    # The link is shown as a link on public pages: only a web address, never javascript: or the like.
    link = (fields.get("link_url") or "").strip()
    _require(not link or link.lower().startswith(("https://", "http://")), _("Write the document's web address."))
    adopted_on, next_review_on = fields.get("adopted_on"), fields.get("next_review_on")
    _require(adopted_on is not None, _("Write the date it was adopted."))
    _require(next_review_on is not None, _("Write the date of the next review."))
    _require(next_review_on > adopted_on, _("The next review must come after the date it was adopted."))


def _field_value(value):
    """A value as it is kept in an event's changes (JSON)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, User):
        return value.pk
    return value


def _event(item: PolicyItem, kind: str, *, actor, note: str = "", changes=None, review=None) -> PolicyItemEvent:
    return PolicyItemEvent.objects.create(
        item=item, kind=kind, actor=actor, note=note, changes=changes or {}, review=review
    )


def policy_item_add(*, actor: User, committee: Committee | None, **fields) -> PolicyItem:
    """Put a strategy, plan, policy or fixed demand on a committee's list (``committee=None``: the city council's)."""
    _require(
        can.can_add(actor, committee),
        _("Only the secretariat keeps the city council's list.")
        if committee is None
        else _("Only the secretariat and the committee's chair add to the committee's list."),
    )
    _refuse_unknown(fields)
    _check_fields(fields, committee=committee)
    fields["title"] = fields["title"].strip()
    with transaction.atomic():
        item = PolicyItem.objects.create(committee=committee, created_by=actor, **fields)
        _event(item, PolicyItemEvent.Kind.ADDED, actor=actor)
        audit_record(
            actor=actor, action="codex.policy_item_added", obj=item, data={"committee": committee and committee.pk}
        )
    return item


def policy_item_edit(*, item: PolicyItem, actor: User, **fields) -> PolicyItem:
    """Change an item in force. Each field that differs is recorded in the event (old and new value); nothing
    changed records nothing. A removed item is history and is refused."""
    _refuse_unknown(fields)
    with transaction.atomic():
        item = PolicyItem.objects.select_for_update().get(pk=item.pk)
        _require(item.is_in_force, _("The item has been removed. A removed item is history and cannot be changed."))
        _require(
            can.can_manage(actor, item), _("Only the secretariat, the committee's chair and the owner change the item.")
        )
        merged = {name: getattr(item, name) for name in EDITABLE_FIELDS} | fields
        _check_fields(merged, committee=item.committee)
        merged["title"] = merged["title"].strip()
        changes = {}
        for name in EDITABLE_FIELDS:
            old, new = getattr(item, name), merged[name]
            if old != new:
                changes[name] = [_field_value(old), _field_value(new)]
                setattr(item, name, new)
        if not changes:
            return item
        if "next_review_on" in changes:
            item.reminded_for = None
        item.updated_at = timezone.now()
        item.save()
        _event(item, PolicyItemEvent.Kind.CHANGED, actor=actor, changes=changes)
        audit_record(actor=actor, action="codex.policy_item_changed", obj=item, data={"fields": sorted(changes)})
    return item


def _locked_in_force(item: PolicyItem) -> PolicyItem:
    """The item, locked until the transaction ends; refused if it has been removed (history)."""
    item = PolicyItem.objects.select_for_update().get(pk=item.pk)
    _require(item.is_in_force, _("The item has been removed. A removed item is history and cannot be reviewed."))
    return item


def _may_not_review() -> str:
    return _("Only the secretariat, the committee's chair and the owner review the item.")


def _source_fields(source) -> dict:
    """What a review keeps of what led to it (a model instance from any app), without importing that app."""
    if source is None:
        return {}
    get_url = getattr(source, "get_absolute_url", None)
    return {
        "source_ref": f"{source._meta.label_lower}:{source.pk}"[:100],
        "source_label": str(source)[:300],
        "source_url": (get_url() if get_url else "")[:300],
    }


def _record_review(
    *,
    item: PolicyItem,
    actor: User,
    decision: str,
    reason: str,
    changes: str,
    next_review_on: dt.date | None,
    decided_on: dt.date,
    source=None,
) -> PolicyReview:
    """The review itself, on a locked item in force; the caller has checked who may record it."""
    _require(item.is_in_force, _("The item has been removed. A removed item is history and cannot be reviewed."))
    _require(decision in ReviewDecision.values, _("Choose keep, simplify or abolish."))
    reason = (reason or "").strip()
    changes = (changes or "").strip()
    _require(bool(reason), _("Write the reason for the decision, so that everyone can see why."))
    _require(decided_on <= timezone.localdate(), _("A decision cannot be dated in the future."))
    if decision == ReviewDecision.ABOLISH:
        next_review_on = None
        changes = ""
    else:
        _require(next_review_on is not None, _("Write the date of the next review."))
        _require(next_review_on > decided_on, _("The next review must come after the decision."))
    if decision == ReviewDecision.SIMPLIFY:
        _require(bool(changes), _("Write what was simplified, so that the workplaces know what changed."))
    review = PolicyReview.objects.create(
        item=item,
        decided_on=decided_on,
        decision=decision,
        reason=reason,
        changes=changes,
        next_review_on=next_review_on,
        actor=actor,
        **_source_fields(source),
    )
    if decision == ReviewDecision.ABOLISH:
        item.status = PolicyItem.Status.REMOVED
        item.removed_on = decided_on
        item.removed_reason = reason
    else:
        item.next_review_on = next_review_on
    item.reminded_for = None
    item.updated_at = timezone.now()
    item.save()
    _event(item, PolicyItemEvent.Kind.REVIEWED, actor=actor, review=review, note=reason)
    audit_record(
        actor=actor,
        action=f"codex.policy_item_{decision}",
        obj=item,
        data={"review": review.pk, "source": review.source_ref},
    )
    outbox_enqueue("codex.positive_list.notifications.review_notice_send", review_id=review.pk)
    return review


def policy_item_review(
    *,
    item: PolicyItem,
    actor: User,
    decision: str,
    reason: str,
    changes: str = "",
    next_review_on: dt.date | None = None,
    decided_on: dt.date | None = None,
) -> PolicyReview:
    """Record a review: keep (to the next review), simplify (what changed, and the next review) or abolish (the item
    is removed, with the reason and the date). The owner and the committee are told."""
    with transaction.atomic():
        item = _locked_in_force(item)
        _require(can.can_manage(actor, item), _may_not_review())
        return _record_review(
            item=item,
            actor=actor,
            decision=decision,
            reason=reason,
            changes=changes,
            next_review_on=next_review_on,
            decided_on=decided_on or timezone.localdate(),
        )


def policy_item_change(
    *,
    item: PolicyItem,
    actor: User,
    decision: str,
    reason: str,
    source=None,
    changes: str = "",
    next_review_on: dt.date | None = None,
) -> PolicyReview:
    """Record a change to the list decided elsewhere, e.g. a granted challenge of a rule (``source``, any model
    instance; its name, page and ``app_label.model:pk`` are kept on the review and shown with it).

    ``decision`` is keep, simplify or abolish. Without ``changes``, a simplification says the reason; without
    ``next_review_on``, a kept or simplified item keeps its review date if that is still ahead, else is reviewed
    in a year. With a ``source``, the caller's service has already checked that ``actor`` may record its decision
    (the committee decided it); without one, the rules of an ordinary review apply."""
    today = timezone.localdate()
    with transaction.atomic():
        item = _locked_in_force(item)
        if source is None:
            _require(can.can_manage(actor, item), _may_not_review())
        if decision != ReviewDecision.ABOLISH and next_review_on is None:
            ahead = item.next_review_on and item.next_review_on > today
            next_review_on = item.next_review_on if ahead else today + DEFAULT_REVIEW_PERIOD
        if decision == ReviewDecision.SIMPLIFY and not (changes or "").strip():
            changes = reason
        return _record_review(
            item=item,
            actor=actor,
            decision=decision,
            reason=reason,
            changes=changes,
            next_review_on=next_review_on,
            decided_on=today,
            source=source,
        )


def policy_reviews_remind(*, today: dt.date | None = None) -> int:
    """The daily job: remind the owner and the committee of each item in force whose review is within
    ``DIALOG_POLICY_REVIEW_NOTICE_DAYS``, once per item and review date. Returns how many items were reminded."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=review_notice_days())
    due = list(
        PolicyItem.objects.review_due(horizon).exclude(reminded_for=F("next_review_on")).values_list("pk", flat=True)
    )
    reminded = 0
    for pk in due:
        with transaction.atomic():
            item = PolicyItem.objects.select_for_update().filter(pk=pk).first()
            if item is None or not item.is_in_force or item.reminded_for == item.next_review_on:
                continue
            if item.next_review_on > horizon:
                continue
            item.reminded_for = item.next_review_on
            item.save(update_fields=["reminded_for"])
            _event(
                item,
                PolicyItemEvent.Kind.REMINDED,
                actor=None,
                changes={"review_on": _field_value(item.next_review_on)},
            )
            outbox_enqueue(
                "codex.positive_list.notifications.review_reminder_send",
                item_id=item.pk,
                review_on=item.next_review_on.isoformat(),
            )
            reminded += 1
    return reminded
