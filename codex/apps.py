from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodexConfig(AppConfig):
    name = "codex"
    verbose_name = _("Codex of trust")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from meetings.chains import register_check

        from . import selectors
        from .models import CodexVersion

        register_check(selectors.CHAIN, selectors.signature_log_report)

        post_save.connect(selectors.forget_in_force, sender=CodexVersion, dispatch_uid="codex-forget-in-force")
        post_delete.connect(selectors.forget_in_force, sender=CodexVersion, dispatch_uid="codex-forget-in-force-del")
