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

Who takes each step of the workflow is written once, in the table of ``workflow.py``; :func:`may_take` reads it.
"""

from meetings.models import UserRoles, WorkplaceRole

from . import workflow
from .models import EDITABLE, IN_REVIEW, SIGNED_OR_LATER, Agreement, Comment, Status


def can_see_shared_goals(user) -> bool:
    """The shared-goal catalogue is for those who keep it or choose from it: administrators, politicians and
    leaders (the trio and employees meet shared goals inside the agreements they read)."""
    roles = UserRoles.of(user)
    return roles.is_administrator or roles.is_politician or roles.is_leader


def is_leader(user, agreement: Agreement) -> bool:
    return agreement.workplace_id in UserRoles.of(user).led_workplace_ids


def is_trio(user, agreement: Agreement) -> bool:
    return WorkplaceRole.Role.TRIO in UserRoles.of(user).at(agreement.workplace_id)


def is_consultee(user, agreement: Agreement) -> bool:
    if not user.is_authenticated:
        return False
    asked = getattr(agreement, "consulted_for", None)  # (person id, answer): a selector asked for one person
    if asked is not None and asked[0] == user.pk:
        return asked[1]
    cached = getattr(agreement, "_prefetched_objects_cache", {}).get("consultees")
    if cached is not None:
        return any(person.pk == user.pk for person in cached)
    return agreement.consultees.filter(pk=user.pk).exists()


def is_member(user, agreement: Agreement) -> bool:
    return agreement.committee_id in UserRoles.of(user).committee_ids


def is_chair(user, agreement: Agreement) -> bool:
    return agreement.committee_id in UserRoles.of(user).chair_committee_ids


def is_vice_chair(user, agreement: Agreement) -> bool:
    return agreement.committee_id in UserRoles.of(user).vice_chair_committee_ids


def is_administrator(user) -> bool:
    return UserRoles.of(user).is_administrator


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


# --- Steps of the workflow: who the table names for each edge ------------------------------------------------------


def _is_administrator_here(user, agreement: Agreement) -> bool:
    return is_administrator(user)


# What each name in the table's ``who`` means for a person and an agreement.
HOLDS = {
    workflow.LEADER: is_leader,
    workflow.MEMBER: is_member,
    workflow.CHAIR: speaks_for_committee,
    workflow.ADMINISTRATOR: _is_administrator_here,
}


def holds(user, agreement: Agreement, who) -> bool:
    """Whether the person holds one of the roles ``who`` names; ``None`` is the portal itself (``SYSTEM``)."""
    if user is None:
        return workflow.SYSTEM in who
    return any(HOLDS[name](user, agreement) for name in sorted(who) if name in HOLDS)


def may_take(user, agreement: Agreement, target: str) -> bool:
    """Whether the person may move the agreement from its status to ``target``: the table has that edge and names
    one of the person's roles for it."""
    edge = workflow.edge(agreement.status, target)
    return edge is not None and holds(user, agreement, edge.who)


def can_consult(user, agreement: Agreement) -> bool:
    return may_take(user, agreement, Status.CONSULTATION)


def can_submit(user, agreement: Agreement) -> bool:
    return may_take(user, agreement, Status.SUBMITTED)


def can_resubmit(user, agreement: Agreement) -> bool:
    return may_take(user, agreement, Status.RESUBMITTED)


def can_review(user, agreement: Agreement) -> bool:
    return may_take(user, agreement, Status.CHANGES_REQUESTED)


def can_approve(user, agreement: Agreement) -> bool:
    return may_take(user, agreement, Status.APPROVED)


def signing_sides(user, agreement: Agreement) -> list[str]:
    """The sides this person may sign for (before looking at who has signed)."""
    if not may_take(user, agreement, Status.SIGNED):
        return []
    sides = []
    if is_leader(user, agreement):
        sides.append("workplace")
    if speaks_for_committee(user, agreement):
        sides.append("committee")
    return sides


def can_follow_up(user, agreement: Agreement) -> bool:
    """Record follow-ups while the agreement is active: those who may take it on to followed up."""
    return may_take(user, agreement, Status.FOLLOWED_UP)


def can_close(user, agreement: Agreement) -> bool:
    return may_take(user, agreement, Status.CLOSED)


def can_activate(user, agreement: Agreement) -> bool:
    return may_take(user, agreement, Status.ACTIVE)


def can_amend(user, agreement: Agreement) -> bool:
    return agreement.status == Status.ACTIVE and is_leader(user, agreement)


def can_start_for(user, workplace) -> bool:
    return workplace.pk in UserRoles.of(user).led_workplace_ids
