"""The agreement's state machine as data: every allowed edge, who may take it and the action it records.

draft → consultation → submitted → changes_requested ⇄ resubmitted → approved → signed → active → followed_up
→ closed. Submitting and resubmitting freeze a numbered version. Amending an active agreement makes a new agreement
(``amends`` points back) that goes through the same edges; when it becomes active the one it amends is closed
(the one edge outside the main line, taken only by the portal). Pure: no ORM.

The table is the one place that says who takes each edge: ``permissions.may_take`` reads it for the pages, and the
services refuse anyone it does not name (``services._move``).
"""

from dataclasses import dataclass

from .models import Status

# Who may take an edge. What each means for a person and an agreement is in permissions.py.
LEADER = "leader"  # a leader of the agreement's workplace
MEMBER = "member"  # a member of the agreement's committee (the chair and vice-chair are members too)
CHAIR = "chair"  # the committee's chair, or its vice-chair recording that the chair is absent
ADMINISTRATOR = "administrator"
SYSTEM = "system"  # the portal itself: a daily job, or the consequence of another edge


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    action: str  # the event's action and the audit's verb
    who: frozenset[str]


def _edge(source: str, target: str, action: str, *who: str) -> Edge:
    return Edge(source, target, action, frozenset(who))


EDGES: tuple[Edge, ...] = (
    _edge(Status.DRAFT, Status.CONSULTATION, "consultation_opened", LEADER),
    _edge(Status.CONSULTATION, Status.SUBMITTED, "submitted", LEADER),
    _edge(Status.SUBMITTED, Status.CHANGES_REQUESTED, "changes_requested", MEMBER),
    _edge(Status.RESUBMITTED, Status.CHANGES_REQUESTED, "changes_requested", MEMBER),
    _edge(Status.CHANGES_REQUESTED, Status.RESUBMITTED, "resubmitted", LEADER),
    _edge(Status.SUBMITTED, Status.APPROVED, "approved", CHAIR),
    _edge(Status.RESUBMITTED, Status.APPROVED, "approved", CHAIR),
    # Taken by the second signature, the workplace's (its leader) or the committee's (its chair).
    _edge(Status.APPROVED, Status.SIGNED, "signed", LEADER, CHAIR),
    # The daily job when the period begins, or the leader (or the secretariat) on the day.
    _edge(Status.SIGNED, Status.ACTIVE, "activated", SYSTEM, LEADER, ADMINISTRATOR),
    _edge(Status.ACTIVE, Status.FOLLOWED_UP, "followed_up", LEADER, MEMBER),
    _edge(Status.FOLLOWED_UP, Status.CLOSED, "closed", CHAIR, ADMINISTRATOR),
    _edge(Status.ACTIVE, Status.CLOSED, "superseded", SYSTEM),
)

TRANSITIONS: dict[str, frozenset[str]] = {}
for _each in EDGES:
    TRANSITIONS[_each.source] = TRANSITIONS.get(_each.source, frozenset()) | {_each.target}


def can_move(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


def edge(source: str, target: str) -> Edge | None:
    return next((e for e in EDGES if e.source == source and e.target == target), None)


def who_may_enter(target: str) -> frozenset[str]:
    """Everyone the table lets take some edge into ``target``, whatever the agreement's status now."""
    return frozenset().union(*(e.who for e in EDGES if e.target == target))
