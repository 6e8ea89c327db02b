"""The fingerprint of an agreement's exact text: canonical JSON hashed with SHA-256.

Pure: plain data in, strings out, no ORM (like ``codex/fingerprint.py``; both share ``core/fingerprint.py``'s
canonical JSON and hashing). The canonical form ignores line-ending style and trailing whitespace, so the same
words always give the same fingerprint and any changed word gives another. A frozen version stores its canonical
dict, so it can be fingerprinted again years later without the live rows it came from.
"""

from dataclasses import dataclass, field

from core.fingerprint import canonical_bytes, normalise_text, sha256_hex

FINGERPRINT_SCHEME = "agreement-v1"


@dataclass(frozen=True)
class GoalText:
    title: str
    kind: str  # "own" or "shared"
    indicator: str
    shared_title: str = ""
    shared_text: str = ""
    baseline: str = ""
    aim: str = ""
    actions: str = ""
    evaluation: str = ""
    target: str = ""
    milestones: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgreementText:
    workplace: str
    committee: str
    period_start: str  # ISO dates
    period_end: str
    core_task: str = ""
    support: str = ""
    follow_up_plan: str = ""
    goals: tuple[GoalText, ...] = field(default_factory=tuple)


GOAL_FIELDS = (
    "title",
    "kind",
    "shared_title",
    "shared_text",
    "baseline",
    "aim",
    "indicator",
    "actions",
    "evaluation",
    "target",
)


def canonical_dict(text: AgreementText) -> dict:
    """The text as plain JSON-able data in reading order; what a version stores."""
    return {
        "scheme": FINGERPRINT_SCHEME,
        "workplace": normalise_text(text.workplace),
        "committee": normalise_text(text.committee),
        "period_start": text.period_start,
        "period_end": text.period_end,
        "core_task": normalise_text(text.core_task),
        "support": normalise_text(text.support),
        "follow_up_plan": normalise_text(text.follow_up_plan),
        "goals": [
            {
                **{name: normalise_text(getattr(goal, name)) for name in GOAL_FIELDS},
                "milestones": [normalise_text(m) for m in goal.milestones if normalise_text(m)],
            }
            for goal in text.goals
        ],
    }


def fingerprint_of_canonical(data: dict) -> str:
    """SHA-256 (64 hex characters) of a canonical dict, e.g. one stored in a frozen version."""
    return sha256_hex(canonical_bytes(data))


def text_fingerprint(text: AgreementText) -> str:
    return fingerprint_of_canonical(canonical_dict(text))


def changes_only(rows: list) -> list:
    """Diff rows (``codex.diff.DiffRow``) reduced to the changed ones, each run led by the heading it falls under."""
    out, heading = [], None
    for row in rows:
        line = row.new if row.new is not None else row.old
        if row.kind == "same":
            if line and line.startswith("#"):
                heading = row
            continue
        if heading is not None:
            out.append(heading)
            heading = None
        out.append(row)
    return out


def text_lines(data: dict, labels: dict[str, str]) -> list[str]:
    """A canonical dict as plain lines for a side-by-side comparison. ``labels`` names the headings
    (translated by the caller): core_task, goals, support, follow_up_plan, shared, baseline, aim, indicator,
    actions, evaluation, target, milestones, period."""
    lines = [f"{labels['period']}: {data['period_start']} – {data['period_end']}", ""]
    lines += [f"## {labels['core_task']}", *data["core_task"].split("\n"), ""]
    lines += [f"## {labels['goals']}"]
    for number, goal in enumerate(data["goals"], start=1):
        lines += ["", f"### {number}. {goal['title']}"]
        if goal["kind"] == "shared":
            lines += [f"{labels['shared']}: {goal['shared_title']}", *goal["shared_text"].split("\n")]
        for name in ("baseline", "aim", "indicator", "actions", "evaluation", "target"):
            if goal[name]:
                lines += [f"{labels[name]}:", *goal[name].split("\n")]
        if goal["milestones"]:
            lines += [f"{labels['milestones']}:", *(f"- {m}" for m in goal["milestones"])]
    lines += ["", f"## {labels['support']}", *data["support"].split("\n")]
    lines += ["", f"## {labels['follow_up_plan']}", *data["follow_up_plan"].split("\n")]
    return lines
