"""The agreement's state machine as data: every allowed edge, who may take it and the service that does.

draft → consultation → submitted → changes_requested ⇄ resubmitted → approved → signed → active → followed_up
→ closed. Submitting and resubmitting freeze a numbered version. Amending an active agreement makes a new agreement
(``amends`` points back) that goes through the same edges; when it becomes active the one it amends is closed
(the one edge outside the main line, taken only by the portal). Pure: no ORM.
"""

from dataclasses import dataclass

from .models import Status


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    action: str  # the event's action and the audit's verb
    who: str  # leader, member, chair (or acting vice-chair), signers, system, administrator


EDGES: tuple[Edge, ...] = (
    Edge(Status.DRAFT, Status.CONSULTATION, "consultation_opened", "leader"),
    Edge(Status.CONSULTATION, Status.SUBMITTED, "submitted", "leader"),
    Edge(Status.SUBMITTED, Status.CHANGES_REQUESTED, "changes_requested", "member"),
    Edge(Status.RESUBMITTED, Status.CHANGES_REQUESTED, "changes_requested", "member"),
    Edge(Status.CHANGES_REQUESTED, Status.RESUBMITTED, "resubmitted", "leader"),
    Edge(Status.SUBMITTED, Status.APPROVED, "approved", "chair"),
    Edge(Status.RESUBMITTED, Status.APPROVED, "approved", "chair"),
    Edge(Status.APPROVED, Status.SIGNED, "signed", "signers"),
    Edge(Status.SIGNED, Status.ACTIVE, "activated", "system"),
    Edge(Status.ACTIVE, Status.FOLLOWED_UP, "followed_up", "leader_or_member"),
    Edge(Status.FOLLOWED_UP, Status.CLOSED, "closed", "chair_or_administrator"),
    Edge(Status.ACTIVE, Status.CLOSED, "superseded", "system"),
)

TRANSITIONS: dict[str, frozenset[str]] = {}
for _edge in EDGES:
    TRANSITIONS.setdefault(_edge.source, frozenset())
    TRANSITIONS[_edge.source] = TRANSITIONS[_edge.source] | {_edge.target}


def can_move(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


def edge(source: str, target: str) -> Edge | None:
    return next((e for e in EDGES if e.source == source and e.target == target), None)
