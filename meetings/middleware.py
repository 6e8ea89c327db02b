from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.db import DatabaseError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .models import totp_enabled_cached
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
        if totp_enabled_cached(user, lambda: is_mfa_enabled(user, types=[Authenticator.Type.TOTP])):
            return False
        return not logged_in_by_sso(request, user)


class LoadRolesMiddleware:
    """Name the signed-in person as the actor of the audit log's signal handlers. Their roles are not loaded here:
    ``user.roles`` reads them (from the cache, one round trip) when a page first asks, and a response that never
    asks (a redirect, a download, the bare signed-in floor) does not pay for them (issue 19)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # The audit log's signal handlers record who made a permission change.
            token = current_actor.set(user.pk)
            try:
                return self.get_response(request)
            finally:
                current_actor.reset(token)
        return self.get_response(request)


def supported_language(code: str | None) -> str | None:
    """``code`` if the portal speaks it (LANGUAGES), else None."""
    return code if code in dict(settings.LANGUAGES) else None


class PersonLanguageMiddleware:
    """The portal speaks Danish to everyone until they choose English: the browser's Accept-Language is never read.
    A signed-in person gets the language saved on them (``User.language``); anyone else the one they chose with the
    language switch (the ``LANGUAGE_COOKIE_NAME`` cookie); otherwise LANGUAGE_CODE. A signed-in person's choice is
    also written to the cookie, so the login page and the pages after logging out stay in their language.

    It replaces Django's LocaleMiddleware and sits after AuthenticationMiddleware (it needs the person)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        if not getattr(response, "public_asset", False):
            patch_vary_headers(response, ("Cookie",))  # the language is chosen by a cookie: shared caches keep apart
        self._remember(request, response)
        return response

    @staticmethod
    def _person_language(request) -> str | None:
        user = getattr(request, "user", None)
        try:
            if user is None or not user.is_authenticated:
                return None
        except DatabaseError:
            return None  # the session cannot be read; the page is the 503 already
        return supported_language(getattr(user, "language", ""))

    def _language(self, request) -> str:
        return (
            self._person_language(request)
            or supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or settings.LANGUAGE_CODE
        )

    def _remember(self, request, response) -> None:
        language = self._person_language(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            language_cookie_set(response, language)


def language_cookie_set(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
