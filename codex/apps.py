from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from core.registry import meeting_panels, outbox_handler_labels, outbox_record_arguments


class CodexConfig(AppConfig):
    name = "codex"
    verbose_name = _("Codex of trust")

    def ready(self):
        # Imported here, not above: these modules load models, which exist only once the app registry is ready.
        from core.chains import register_check
        from core.versioned_cache import track_model_versions

        from . import selectors
        from .challenges.panels import meeting_challenges_panel
        from .models import CodexVersion, SignatureEvent

        register_check(selectors.CHAIN, selectors.signature_log_report)
        from .challenges.models import Challenge, ChallengeEvent
        from .positive_list.models import PolicyItem

        track_model_versions(CodexVersion, SignatureEvent, Challenge, ChallengeEvent, PolicyItem)
        outbox_handler_labels.register(
            "codex.notifications.sign_requests_send", _("Requests to sign the codex of trust")
        )
        outbox_handler_labels.register("codex.notifications.sign_mail_send", _("Request to sign the codex of trust"))
        outbox_record_arguments.register("version_id", (_("Codex version no. %(id)s"), None))
        outbox_handler_labels.register(
            "codex.positive_list.notifications.review_reminder_send", _("Reminder of a review on the positive list")
        )
        outbox_handler_labels.register(
            "codex.positive_list.notifications.review_notice_send", _("Decision of a review on the positive list")
        )
        outbox_record_arguments.register(
            "item_id", (_("Item no. %(id)s on the positive list"), "codex:policy-item-detail")
        )
        outbox_handler_labels.register(
            "codex.challenges.notifications.challenge_notice_send", _("Notice about a challenge of a rule")
        )
        meeting_panels.register("challenges", meeting_challenges_panel)
        outbox_record_arguments.register(
            "challenge_id", (_("Challenge of a rule no. %(id)s"), "codex:challenge-detail")
        )
        outbox_record_arguments.register("review_id", (_("Review no. %(id)s on the positive list"), None))

        post_save.connect(selectors.forget_in_force, sender=CodexVersion, dispatch_uid="codex-forget-in-force")
        post_delete.connect(selectors.forget_in_force, sender=CodexVersion, dispatch_uid="codex-forget-in-force-del")
        for model in (CodexVersion, SignatureEvent):
            post_save.connect(selectors.forget_signatures, sender=model, dispatch_uid=f"codex-signed-{model.__name__}")
        # The register is kept in the cache (see selectors.register_cache_key): what it shows of people changed.
        from meetings.models import Committee, CommitteeMembership, User, Workplace, WorkplaceRole

        for model in (User, CommitteeMembership, WorkplaceRole, Committee, Workplace, CodexVersion):
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.forget_register,
                    sender=model,
                    dispatch_uid=f"codex-forget-register-{model._meta.label_lower}-{signal is post_save}",
                )
