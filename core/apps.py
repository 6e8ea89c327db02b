from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The foundation every app stands on: the outbox, the audit log and its chains, hashing, mail, exports."""

    name = "core"
    verbose_name = _("Notices and audit log")

    def ready(self):
        # Imported here, not above: these modules load models, which exist only once the app registry is ready.
        from . import outbox, tasks
        from .audit import CHAIN, audit_report
        from .chains import register_check
        from .validators import install_form_guard

        register_check(CHAIN, audit_report)
        outbox.delivery_task_set(tasks.deliver_outbox_message)
        install_form_guard()  # every text field of every form refuses invisible control characters
