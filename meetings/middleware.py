from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .signals import current_actor
from .sso import logged_in_by_sso

# Paths a person who must set up two-factor can still reach: the account pages, the public ones, the brand
# stylesheet every page loads, and the accessibility statement and privacy notice every page links to.
_ALLOWED_PREFIXES = (
    "/konto/",
    "/i18n/",
    "/static/",
    "/plan/",
    "/brand.css",
    "/was",
    "/tilgaengelighed/",
    "/privatliv/",
)


class RequireTwoFactorMiddleware:
    """When DIALOG_REQUIRE_MFA is on, politicians and administrators must activate TOTP first, unless they logged in
    through single sign-on (the identity provider asks for two-factor then; docs/sso.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DIALOG_REQUIRE_MFA and self._must_enroll(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_enroll(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(_ALLOWED_PREFIXES):
            return False
        if not (user.is_administrator or user.roles.is_politician):
            return False
        return not is_mfa_enabled(user, types=[Authenticator.Type.TOTP]) and not logged_in_by_sso(request, user)


class LoadRolesMiddleware:
    """Work out the signed-in person's roles before the view runs. Every page's navigation shows them, and
    loading them here keeps those queries out of template rendering (the benchmark counts those)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            _ = user.roles
            # The audit log's signal handlers record who made a permission change.
            token = current_actor.set(user.pk)
            try:
                return self.get_response(request)
            finally:
                current_actor.reset(token)
        return self.get_response(request)
