from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogPortalConfig(AppConfig):
    """The top floor: settings, URLs and the pages and commands that gather every app (nothing imports it)."""

    name = "dialog_portal"
    verbose_name = _("Dialogportalen")

    def ready(self):
        from . import checks  # noqa: F401 – registers the system checks (the app registry is ready only now)
        from .dashboard import track_dashboard_models

        _name_authenticators()
        track_dashboard_models()


def _name_authenticators() -> None:
    """allauth's Authenticator model has no verbose name, so the administration showed "Authenticators" in every
    language; give it a translatable one (docs/danish.md)."""
    from allauth.mfa.models import Authenticator

    Authenticator._meta.verbose_name = _("authenticator")
    Authenticator._meta.verbose_name_plural = _("authenticators")
