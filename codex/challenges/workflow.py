"""The challenge's state machine as data: every allowed edge, who may take it and the action it records. Pure.

draft → submitted → scheduled → granted | trial | rejected | passed_on; trial → granted (made permanent) | trial
(extended) | stopped. The services refuse an edge the table does not list (``services._move``), and
``permissions.may_take`` reads who may take it for the pages.
"""

from dataclasses import dataclass

from .models import Status

LEADER = "leader"  # a leader of the challenge's workplace
CHAIR = "chair"  # the deciding committee's chair (or vice-chair): puts it on a meeting, records the decision
ADMINISTRATOR = "administrator"  # the secretariat, on the committee's behalf


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    action: str  # the event's action and the audit's verb
    who: frozenset[str]


def _edge(source: str, target: str, action: str, *who: str) -> Edge:
    return Edge(source, target, action, frozenset(who))


EDGES: tuple[Edge, ...] = (
    _edge(Status.DRAFT, Status.SUBMITTED, "submitted", LEADER),
    _edge(Status.SUBMITTED, Status.SCHEDULED, "scheduled", CHAIR, ADMINISTRATOR),
    _edge(Status.SCHEDULED, Status.GRANTED, "granted", CHAIR, ADMINISTRATOR),
    _edge(Status.SCHEDULED, Status.TRIAL, "trial_granted", CHAIR, ADMINISTRATOR),
    _edge(Status.SCHEDULED, Status.REJECTED, "rejected", CHAIR, ADMINISTRATOR),
    _edge(Status.SCHEDULED, Status.PASSED_ON, "passed_on", CHAIR, ADMINISTRATOR),
    # The evaluation of a trial: scale it up, give it longer, or stop it.
    _edge(Status.TRIAL, Status.GRANTED, "made_permanent", CHAIR, ADMINISTRATOR),
    _edge(Status.TRIAL, Status.TRIAL, "extended", CHAIR, ADMINISTRATOR),
    _edge(Status.TRIAL, Status.STOPPED, "stopped", CHAIR, ADMINISTRATOR),
)

TRANSITIONS: dict[str, frozenset[str]] = {}
for _each in EDGES:
    TRANSITIONS[_each.source] = TRANSITIONS.get(_each.source, frozenset()) | {_each.target}


def edge(source: str, target: str) -> Edge | None:
    return next((e for e in EDGES if e.source == source and e.target == target), None)
