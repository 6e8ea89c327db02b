"""allauth's two-factor login step, skipped for a single sign-on login (the identity provider asks for two-factor)."""

from allauth.mfa.stages import AuthenticateStage as MFAAuthenticateStage

from .sso import logged_in_by_sso


class AuthenticateStage(MFAAuthenticateStage):
    def _should_handle(self, request) -> bool:
        if self.login.user is not None and logged_in_by_sso(request, self.login.user):
            return False
        return super()._should_handle(request)
