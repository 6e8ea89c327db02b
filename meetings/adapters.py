import logging

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.core.internal import ratelimit
from allauth.core.internal.httpkit import clean_client_ip, get_client_ip
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from . import login_protection, mfa_crypto

log = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up (the secretariat creates or imports people and invites them), and failed logins that slow
    attackers without locking the owner out (meetings/login_protection.py)."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _("You have tried too many times. Wait a little, and try again."),
        "account_protected": _(
            "There have been too many failed attempts to log in to this account, so it is protected for a while. "
            "If the password you typed is right, we have sent you an e-mail with a link: open it to choose a new "
            "password and log in at once. Otherwise try again later."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request) -> str:
        """allauth's answer (DIALOG_TRUSTED_PROXY_COUNT / DIALOG_TRUSTED_CLIENT_IP_HEADER), but a request that did
        not come through every trusted proxy, or whose header holds no address, counts by its connection's address
        rather than failing."""
        try:
            ip = get_client_ip(request)
        except ImproperlyConfigured:
            ip = None
        if not ip:
            log.warning("No client address in the trusted proxy headers; using the connection's address")
            ip = clean_client_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104 (a bucket name)
        return ip

    def _consume(self, request, rates: str, key: str):
        return ratelimit.consume(
            request, app="allauth.account", action="login_failed", config={"login_failed": rates}, key=key
        )

    def authenticate(self, request, **credentials):
        """Per client address: refuse past the limit. Per account: past the limit, refuse every password alike and
        e-mail the owner a link when theirs was right (never simply refuse the owner)."""
        per_ip, per_account = login_protection.split_rates(self._login_failed_rates())
        key = self._get_login_attempts_cache_key(request, **credentials)
        ip_usage = self._consume(request, per_ip, key)
        if not ip_usage:
            raise self.validation_error("too_many_login_attempts")
        account_usage = self._consume(request, per_account, key)
        AuthenticationBackend.unstash_authenticated_user()
        user = authenticate(request, **credentials)
        user = user or AuthenticationBackend.unstash_authenticated_user()
        if user:
            # A right password is not a failure: give back what this attempt took.
            ip_usage.rollback()
            if account_usage:
                account_usage.rollback()
                return user
            if request.user.is_authenticated and request.user.pk == user.pk:
                return user  # re-typing one's password while logged in
            login_protection.protected_login_notice(user=user)
            raise self.validation_error("account_protected")
        self.authentication_failed(request, **credentials)
        if not account_usage:
            raise self.validation_error("account_protected")
        return None

    @staticmethod
    def _login_failed_rates() -> str:

        return app_settings.RATE_LIMITS.get("login_failed") or ""


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted with DIALOG_MFA_KEY (meetings/mfa_crypto.py)."""

    def encrypt(self, text: str) -> str:
        return mfa_crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_crypto.decrypt(encrypted_text)
