"""The gate: a politician or leader who has not signed the codex in force cannot take guarded actions.

The guarded actions commit a person to contact with the other side: booking a visit (and being brought along as a
colleague), moving it, offering visit times, confirming a visit (or confirming automatically), writing the host's
presentation for a committee meeting, and signing an agreement. Stepping back (declining, cancelling, withdrawing,
asking to hand on a meeting) and feedback are never blocked.

The rule lives in the services, one place per guarded action, so the shell, the admin, a task and the page all meet
it; they call :func:`codex_gate_refusal` and raise their own app's error with the message::

    refusal = codex_gate_refusal(actor)
    if refusal:
        raise MeetingsError(refusal)

The views keep the kind front: ``@require_codex_signed`` (or ``CodexSignedRequiredMixin``) shows why and links to
the codex before the person fills in a form (``templates/codex/_gate_notice.html`` with ``{"gate": result}``).

After a material change, people who had signed the version before may go on for ``DIALOG_CODEX_GRACE_DAYS`` days;
``GateResult.deadline`` is then their last day, shown in the dashboard's banner.
``settings.DIALOG_CODEX_GATE = False`` opens the gate for everyone.
"""

import datetime as dt
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import selectors


@dataclass(frozen=True)
class GateResult:
    ok: bool
    reason: str = ""
    url: str = ""  # where to read and sign
    deadline: dt.date | None = None  # open only for the grace period after a material change: its last day


OPEN = GateResult(ok=True)


def codex_gate_check(user, *, next_url: str = "", today: dt.date | None = None) -> GateResult:
    """Whether the person may take a guarded action; if not, why and where to sign."""
    if not getattr(settings, "DIALOG_CODEX_GATE", True):
        return OPEN
    if not user.is_authenticated:
        return OPEN  # authentication is the view's job; the gate only judges signed-in people
    version = selectors.current_version()
    if version is None or not selectors.must_sign(user, version):
        return OPEN
    if selectors.has_signed(user, version):
        return OPEN
    url = reverse("codex:signature-create")
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    deadline = selectors.grace_deadline(user, version, today=today)
    if deadline is not None:
        return GateResult(ok=True, url=url, deadline=deadline)
    return GateResult(
        ok=False,
        reason=str(
            _(
                "Before you can do this, please read and sign version %(number)s of the codex of trust. "
                "It sets out how politicians, the administration and the workplaces work together."
            )
            % {"number": version.number}
        ),
        url=url,
    )


def codex_gate_refusal(person) -> str:
    """Why the person may not take a guarded action now, or "" when they may. Services raise their own error with
    it, so the refusal holds whoever calls them."""
    result = codex_gate_check(person)
    return "" if result.ok else result.reason


def codex_gate_refusal_for_colleague(person) -> str:
    """Why a person cannot be brought along to a visit (they have not signed), naming them; "" when they can."""
    if codex_gate_check(person).ok:
        return ""
    return str(
        _(
            "%(name)s has not signed the codex of trust in force, so %(name)s cannot take part in a visit yet. "
            "Ask %(name)s to sign it first, or book without a colleague."
        )
        % {"name": person.full_name or person.email}
    )


def render_gate_notice(request, result: GateResult):
    return render(request, "codex/gate_blocked.html", {"gate": result}, status=403)


def require_codex_signed(view):
    """Decorator for function views of guarded actions; put it under ``login_required``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        result = codex_gate_check(request.user, next_url=request.get_full_path())
        if not result.ok:
            return render_gate_notice(request, result)
        return view(request, *args, **kwargs)

    return wrapper


class CodexSignedRequiredMixin:
    """Mixin for class-based views of guarded actions; put it after ``LoginRequiredMixin``."""

    def dispatch(self, request, *args, **kwargs):
        result = codex_gate_check(request.user, next_url=request.get_full_path())
        if not result.ok:
            return render_gate_notice(request, result)
        return super().dispatch(request, *args, **kwargs)
