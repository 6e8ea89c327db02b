import logging

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.core.internal.httpkit import clean_client_ip, get_client_ip
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, _build_apps_from_settings
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from . import account_mail, login_protection, mfa_crypto, sso

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
        "sso_required": _(
            "You log in with the municipality's login and not with a password. Use the button for the "
            "municipality's login on this page."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Password resets and the other account mails go through the outbox in the portal's words
        (meetings/account_mail.py); a mail the portal does not carry yet is sent as allauth would."""
        if not account_mail.account_mail_enqueue(template_prefix=template_prefix, email=email, context=context):
            log.warning("allauth mail %s sent directly, not through the outbox", template_prefix)
            super().send_mail(template_prefix, email, context)

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
                if sso.sso_required(user):
                    raise self.validation_error("sso_required")
                return user
            if request.user.is_authenticated and request.user.pk == user.pk:
                return user  # re-typing one's password while logged in
            login_protection.protected_login_notice(user=user)
            raise self.validation_error("account_protected")
        self.authentication_failed(request, **credentials)
        if not account_usage:
            raise self.validation_error("account_protected")
        return None

    def pre_login(self, request, user, **kwargs):
        """DIALOG_SSO_ONLY holds on every way in: a password reset or an e-mailed set-password link does not log
        in a person who must use single sign-on either."""
        if user.is_active and sso.sso_required(user) and not sso.logged_in_by_sso(request, user):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            messages.error(request, self.error_messages["sso_required"])
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def get_login_stages(self) -> list[str]:
        """The portal's two-factor step is not asked of a single sign-on login: the provider's two-factor counts."""
        return [
            "meetings.sso_stages.AuthenticateStage" if path == "allauth.mfa.stages.AuthenticateStage" else path
            for path in super().get_login_stages()
        ]

    @staticmethod
    def _login_failed_rates() -> str:

        return app_settings.RATE_LIMITS.get("login_failed") or ""


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted with DIALOG_MFA_KEY (meetings/mfa_crypto.py)."""

    def encrypt(self, text: str) -> str:
        return mfa_crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_crypto.decrypt(encrypted_text)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Logins from the municipality's identity providers (meetings/sso.py): never a sign-up, only a link to a person
    the secretariat created; providers come from the settings (the environment), never from the database."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        try:
            sso.sso_login_resolve(sociallogin=sociallogin)
        except sso.SSORefused as refusal:
            raise ImmediateHttpResponse(
                render(
                    request,
                    "account/sso_refused.html",
                    {
                        "message": str(refusal),
                        "reason": refusal.reason,
                        "provider_name": sso.sso_provider_name(sociallogin.account.provider),
                        "secretariat_email": settings.PORTAL_SECRETARIAT_EMAIL,
                    },
                    status=403,
                )
            ) from None

    def list_apps(self, request, provider=None, client_id=None):
        return [
            app for apps in _build_apps_from_settings(provider=provider, client_id=client_id).values() for app in apps
        ]
