"""Who may see and do what with one agreement. The services call these (they decide); views call them to show
only the buttons that work. Built on ``user.roles`` (computed once per request) and at most one query for the
named employees.

- Leaders of the workplace: see everything, edit in draft, in consultation and when changes are requested, send to
  consultation, submit, resubmit, sign for the workplace, amend, record follow-ups.
- The workplace's trio and the employees named for the consultation: see it from consultation on and comment
  during consultation.
- Members of the agreement's committee: see it from submission on, comment and request changes while it is in
  review, record follow-ups.
- The chair (or the vice-chair, recording the chair's absence): approves, signs for the committee and closes.
- Administrators see everything and may close a followed-up agreement.
- Everyone signed in reads a signed agreement (the municipality's agreements are not secret once signed).
"""

from meetings.models import WorkplaceRole

from .models import EDITABLE, IN_REVIEW, SIGNED_OR_LATER, Agreement, Comment, Status


def _roles(user):
    return user.roles if user.is_authenticated else None


def is_leader(user, agreement: Agreement) -> bool:
    roles = _roles(user)
    return bool(roles) and agreement.workplace_id in roles.led_workplace_ids


def is_trio(user, agreement: Agreement) -> bool:
    roles = _roles(user)
    return bool(roles) and WorkplaceRole.Role.TRIO in roles.workplace_roles.get(agreement.workplace_id, set())


def is_consultee(user, agreement: Agreement) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(agreement, "_prefetched_objects_cache", {}).get("consultees")
    if cached is not None:
        return any(person.pk == user.pk for person in cached)
    return agreement.consultees.filter(pk=user.pk).exists()


def is_member(user, agreement: Agreement) -> bool:
    roles = _roles(user)
    return bool(roles) and agreement.committee_id in roles.committee_ids


def is_chair(user, agreement: Agreement) -> bool:
    roles = _roles(user)
    return bool(roles) and agreement.committee_id in roles.chair_committee_ids


def is_vice_chair(user, agreement: Agreement) -> bool:
    roles = _roles(user)
    return bool(roles) and agreement.committee_id in roles.vice_chair_committee_ids


def is_administrator(user) -> bool:
    roles = _roles(user)
    return bool(roles) and roles.is_administrator


def speaks_for_committee(user, agreement: Agreement) -> bool:
    """The chair, or the vice-chair (who must then record why the chair is absent)."""
    return is_chair(user, agreement) or is_vice_chair(user, agreement)


def can_view(user, agreement: Agreement) -> bool:
    if not user.is_authenticated:
        return False
    if is_administrator(user) or is_leader(user, agreement):
        return True
    if agreement.status in SIGNED_OR_LATER:
        return True
    if agreement.status == Status.DRAFT:
        return False
    if is_trio(user, agreement) or is_consultee(user, agreement):
        return True
    return agreement.status != Status.CONSULTATION and is_member(user, agreement)


def can_see_workings(user, agreement: Agreement) -> bool:
    """Comments, versions and their differences: for the people in the dialogue, not every reader."""
    if not can_view(user, agreement):
        return False
    return (
        is_administrator(user)
        or is_leader(user, agreement)
        or is_trio(user, agreement)
        or is_consultee(user, agreement)
        or (agreement.status not in (Status.DRAFT, Status.CONSULTATION) and is_member(user, agreement))
    )


def can_edit(user, agreement: Agreement) -> bool:
    return agreement.status in EDITABLE and is_leader(user, agreement)


def can_comment(user, agreement: Agreement) -> bool:
    if agreement.status == Status.CONSULTATION:
        return is_leader(user, agreement) or is_trio(user, agreement) or is_consultee(user, agreement)
    if agreement.status in IN_REVIEW or agreement.status == Status.CHANGES_REQUESTED:
        return is_leader(user, agreement) or is_member(user, agreement)
    return False


def can_resolve(user, comment: Comment, agreement: Agreement) -> bool:
    if comment.is_resolved or agreement.status in SIGNED_OR_LATER or agreement.status == Status.APPROVED:
        return False
    return is_leader(user, agreement) or comment.author_id == user.pk


def can_review(user, agreement: Agreement) -> bool:
    return agreement.status in IN_REVIEW and is_member(user, agreement)


def can_approve(user, agreement: Agreement) -> bool:
    return agreement.status in IN_REVIEW and speaks_for_committee(user, agreement)


def signing_sides(user, agreement: Agreement) -> list[str]:
    """The sides this person may sign for (before looking at who has signed)."""
    if agreement.status != Status.APPROVED:
        return []
    sides = []
    if is_leader(user, agreement):
        sides.append("workplace")
    if speaks_for_committee(user, agreement):
        sides.append("committee")
    return sides


def can_follow_up(user, agreement: Agreement) -> bool:
    return agreement.status == Status.ACTIVE and (is_leader(user, agreement) or is_member(user, agreement))


def can_close(user, agreement: Agreement) -> bool:
    return agreement.status == Status.FOLLOWED_UP and (speaks_for_committee(user, agreement) or is_administrator(user))


def can_amend(user, agreement: Agreement) -> bool:
    return agreement.status == Status.ACTIVE and is_leader(user, agreement)


def can_activate(user, agreement: Agreement) -> bool:
    return agreement.status == Status.SIGNED and (is_leader(user, agreement) or is_administrator(user))


def can_start_for(user, workplace) -> bool:
    roles = _roles(user)
    return bool(roles) and workplace.pk in roles.led_workplace_ids
