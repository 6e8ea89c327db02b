"""The gate: a politician or leader who has not signed the codex in force cannot take guarded actions.

Other apps call one of these before booking a visit, signing an agreement or accepting to host:

    from codex.gate import codex_gate_check, require_codex_signed, CodexSignedRequiredMixin

    result = codex_gate_check(request.user)
    if not result.ok:
        ...  # show templates/codex/_gate_notice.html with {"gate": result}

``settings.DIALOG_CODEX_GATE = False`` opens the gate for everyone.
"""

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


OPEN = GateResult(ok=True)


def codex_gate_check(user, *, next_url: str = "") -> GateResult:
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
