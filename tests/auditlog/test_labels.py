"""Every action code the portal writes to the audit log has plain Danish words on the page."""

import ast
import re
from pathlib import Path

from django.utils import translation

from agreements.workflow import EDGES
from codex.challenges.workflow import EDGES as CHALLENGE_EDGES
from codex.models import SignatureEvent
from codex.positive_list.models import ReviewDecision
from dialog_portal.audit_log import labels
from meetings.models import VisitEvent

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for part in ("agreements", "codex", "meetings", "dialog_portal") for p in (ROOT / part).rglob("*.py")]
# The action codes built at run time, and what they expand to.
DYNAMIC = {
    'f"agreement.{edge.action}"': {f"agreement.{edge.action}" for edge in EDGES},
    'f"challenge.{step.action}"': {f"challenge.{edge.action}" for edge in CHALLENGE_EDGES},
    'f"codex.{event.kind}"': {f"codex.{kind}" for kind in SignatureEvent.Kind.values},
    'f"codex.policy_item_{decision}"': {f"codex.policy_item_{decision}" for decision in ReviewDecision.values},
    'f"visit.{action}"': {f"visit.{action}" for action in VisitEvent.Action.values},
    'f"permission.{sender._meta.model_name}_{action}"': {
        f"permission.{model}_{action}"
        for model in ("committeemembership", "workplacerole")
        for action in ("created", "changed")
    },
    'f"permission.{sender._meta.model_name}_deleted"': {
        "permission.committeemembership_deleted",
        "permission.workplacerole_deleted",
    },
}
CODE = re.compile(r"^[a-z]+\.[a-z_]+$")


def _written_codes() -> tuple[set[str], set[str]]:
    """The codes passed as ``action=`` in the source (to ``audit_record`` or a helper that passes them on):
    literal ones, and the f-string templates of computed ones. Read with ``ast``, so examples in docstrings
    do not count."""
    literals, templates = set(), set()
    for path in SOURCES:
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                values = [keyword.value]
                if isinstance(keyword.value, ast.IfExp):
                    values = [keyword.value.body, keyword.value.orelse]
                for value in values:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str) and CODE.match(value.value):
                        literals.add(value.value)
                    elif isinstance(value, ast.JoinedStr):
                        templates.add(ast.get_source_segment(text, value))
    return literals, templates


def test_every_action_code_the_portal_writes_has_a_label():
    literals, templates = _written_codes()
    unknown_templates = templates - set(DYNAMIC)
    assert not unknown_templates, f"new computed action codes: add them to DYNAMIC and labels: {unknown_templates}"
    written = literals | set().union(*DYNAMIC.values())
    assert {"organisation.imported", "rotation.host_swapped", "meeting.moved", "meeting.updated"} <= written
    missing = written - set(labels.ACTIONS)
    assert not missing, f"action codes without a label in dialog_portal/audit_log/labels.py: {sorted(missing)}"


def test_every_label_is_danish_on_the_page():
    with translation.override("en"):
        english = {code: str(label) for code, label in labels.ACTIONS.items()}
    with translation.override("da"):
        untranslated = [code for code, label in labels.ACTIONS.items() if str(label) == english[code]]
    assert not untranslated


def test_an_unknown_code_is_shown_as_it_is_written():
    assert labels.action_label("something.new") == "something.new"
