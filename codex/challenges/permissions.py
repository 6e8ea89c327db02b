"""Who may see and do what with a challenge of a rule. The services call these (they decide); the views call them to
show only the buttons that work. Built on ``user.roles`` (computed once per request): no queries.

- Administrators (the secretariat) see every challenge and may act for the committee.
- A workplace's leader writes and sends its challenges; its trio reads the draft and stands behind it.
- Every leader sees every challenge sent to a committee and may say »this applies to us too« for a workplace they lead.
- The deciding committee's members see its challenges; its chair (or vice-chair) puts them on a meeting and
  records the decisions.
- Once decided, a challenge is on the public pages (workplace names only).
"""

from meetings.models import UserRoles, WorkplaceRole

from . import workflow
from .models import OPEN, Challenge, Status


def is_administrator(user) -> bool:
    return UserRoles.of(user).is_administrator


def is_leader_of(user, workplace_id: int) -> bool:
    return workplace_id in UserRoles.of(user).led_workplace_ids


def is_trio_of(user, workplace_id: int) -> bool:
    return WorkplaceRole.Role.TRIO in UserRoles.of(user).at(workplace_id)


def chairs(user, committee_id: int) -> bool:
    return UserRoles.of(user).chairs(committee_id)


def may_challenge(user) -> bool:
    return UserRoles.of(user).is_leader


def can_edit(user, challenge: Challenge) -> bool:
    return challenge.status == Status.DRAFT and (
        is_leader_of(user, challenge.workplace_id) or is_trio_of(user, challenge.workplace_id)
    )


def may_take(user, challenge: Challenge, target: str) -> bool:
    """Whether the table lets this person take the edge from the challenge's status to ``target``."""
    step = workflow.edge(challenge.status, target)
    if step is None:
        return False
    if workflow.ADMINISTRATOR in step.who and is_administrator(user):
        return True
    if workflow.CHAIR in step.who and chairs(user, challenge.committee_id):
        return True
    return workflow.LEADER in step.who and is_leader_of(user, challenge.workplace_id)


def may_decide(user, challenge: Challenge) -> bool:
    return challenge.status == Status.SCHEDULED and may_take(user, challenge, Status.GRANTED)


def may_evaluate(user, challenge: Challenge) -> bool:
    return challenge.status == Status.TRIAL and may_take(user, challenge, Status.STOPPED)


def joinable_workplace_ids(user, challenge: Challenge) -> set[int]:
    """The workplaces this person leads that may still say »this applies to us too« (not the challenger's, not
    twice: pass the joined ones in ``challenge.joined_workplace_ids``)."""
    roles = UserRoles.of(user)
    if not roles.led_workplace_ids or challenge.status not in OPEN:
        return set()
    joined = getattr(challenge, "joined_workplace_ids", frozenset())
    return set(roles.led_workplace_ids) - {challenge.workplace_id} - set(joined)
