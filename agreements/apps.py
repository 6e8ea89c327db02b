from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import outbox_handler_labels, outbox_record_arguments, workplace_panels


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Development agreements")

    def ready(self):
        # Imported here, not above: these modules load models, which exist only once the app registry is ready.
        from core.chains import register_check
        from core.versioned_cache import track_model_versions

        from . import models as m
        from .panels import workplace_goals_panel
        from .selectors import integrity_report

        register_check("agreements", integrity_report)
        track_model_versions(
            m.Agreement, m.SharedGoal, m.AgreementVersion, m.AgreementSignature, m.AgreementEvent, m.Goal, m.FollowUp
        )  # fmt: skip
        workplace_panels.register("agreements", workplace_goals_panel)
        outbox_handler_labels.register(
            "agreements.notifications.agreement_notice_send", _("Notice about a development agreement")
        )
        outbox_record_arguments.register(
            "agreement_id", (_("Development agreement no. %(id)s"), "agreements:agreement-detail")
        )
