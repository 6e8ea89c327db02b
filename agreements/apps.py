from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Development agreements")

    def ready(self):
        from meetings.chains import register_check

        from .selectors import integrity_report

        register_check("agreements", integrity_report)
