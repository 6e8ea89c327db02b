from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Organisation and meetings")

    def ready(self):
        from . import signals  # noqa: F401  (permission changes go to the audit log)
        from .audit import CHAIN, audit_report
        from .chains import register_check
        from .validators import install_form_guard

        register_check(CHAIN, audit_report)
        install_form_guard()  # every text field of every form refuses invisible control characters
