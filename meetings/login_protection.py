"""Failed logins are limited per client address and per account, without locking the owner out.

allauth counts failed logins per client address (``10/m/ip``) and per account (``5/5m/key``, the key being the
e-mail address typed). Its own behaviour refuses every password once either count is full, so ten bad guesses
from anyone – or, behind a load balancer without ``DIALOG_TRUSTED_PROXY_COUNT``, from everyone together – lock the
owner out with the right password. Here (``meetings.adapters.AccountAdapter.authenticate``):

- the per-address limit still refuses outright: it slows one client, never another;
- past the per-account limit every password is answered alike – "this account is protected for a while" – so a
  guesser learns nothing, not even when a guess is right. When the typed password *is* right, the owner is sent an
  e-mail with a set-password link (at most one per ``NOTICE_INTERVAL``); it logs them in (through two-factor when
  they have it) and clears the account's count. Wrong passwords stay refused and keep the address's count rising.
"""

from __future__ import annotations

import logging

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from allauth.core.internal.ratelimit import parse_rate
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from core.audit import audit_record
from core.mail import send_templated_mail
from core.outbox import outbox_enqueue

from .models import User
from .services import invitation_url

log = logging.getLogger(__name__)

# At most one set-password e-mail per account this often (seconds): the per-account window of the default limit.
NOTICE_INTERVAL = 5 * 60


def split_rates(config: str | None) -> tuple[str, str]:
    """allauth's rate string split into (per client address, per account), each still in allauth's syntax, so that
    the counters are the very ones allauth itself reads and clears."""

    parts = [part.strip() for part in (config or "").split(",") if part.strip()]
    per_ip = [part for part in parts if parse_rate(part).per == "ip"]
    return ",".join(per_ip), ",".join(part for part in parts if part not in per_ip)


def protected_login_notice(*, user: User) -> bool:
    """The right password was typed for an account past its limit: e-mail the owner a set-password link (once per
    NOTICE_INTERVAL). Returns whether an e-mail was queued."""
    if not user.is_active or not cache.add(f"login-protected:{user.pk}", True, NOTICE_INTERVAL):
        return False
    with transaction.atomic():
        outbox_enqueue("meetings.login_protection.protected_login_send", user_id=user.pk)
        audit_record(actor=None, action="account.protected_login_link_sent", obj=user)
    log.warning("Account %s is past its failed-login limit; a set-password link was e-mailed", user.pk)
    return True


def protected_login_send(*, user_id: int) -> bool:
    """The outbox's handler: the e-mail with a fresh set-password link."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    send_templated_mail(
        "meetings/email/login_protected",
        to=[user.email],
        context={
            "person": user,
            "set_password_url": invitation_url(user),
            "timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        },
    )
    return True


def failed_logins_clear(*, request, user: User) -> None:
    """End an account's protection: a new password was chosen through the e-mailed link. (allauth clears the count
    only for addresses it keeps rows for; the portal's people mostly have none.)"""

    ratelimit.clear(
        request,
        app="allauth.account",
        action="login_failed",
        config={"login_failed": split_rates(app_settings.RATE_LIMITS.get("login_failed"))[1]},
        key=get_adapter(request)._get_login_attempts_cache_key(request, email=user.email),
    )
