from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogPortalConfig(AppConfig):
    """The top floor: settings, URLs and the pages and commands that gather every app (nothing imports it)."""

    name = "dialog_portal"
    verbose_name = _("Dialogportalen")
