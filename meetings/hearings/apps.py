from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import (
    LedgerColumns,
    PublicPlanPanel,
    ledger_columns,
    meeting_panels,
    outbox_handler_labels,
    outbox_record_arguments,
    public_plan_panels,
)


class HearingsConfig(AppConfig):
    """Hearings before a committee treats a matter about a workplace: an app of its own (no models: they live with
    the organisation's in ``meetings.models``) so that its admin, tasks and hooks are found like every app's."""

    name = "meetings.hearings"
    label = "hearings"
    verbose_name = _("Hearings")

    def ready(self):
        # Imported here, not above: the module loads models, which exist only once the app registry is ready.
        from .panels import ledger_counts, meeting_matters_panel, public_matters_panel

        notices = "meetings.hearings.notifications."
        for handler, label in {
            "matter_notice_send": _("Notice of a hearing on a matter"),
            "missing_responses_send": _("Notice of missing hearing responses"),
            "presentation_notice_send": _("Notice about presenting a matter at a meeting"),
        }.items():
            outbox_handler_labels.register(notices + handler, label)
        outbox_record_arguments.register("matter_id", (_("Matter no. %(id)s"), "meetings:matter-detail"))
        meeting_panels.register("hearings", meeting_matters_panel)
        # The public plan and the ledger keep these under the versions of what they read (Hearing and Presentation
        # are tracked here).
        from core.versioned_cache import model_version_keys, track_model_versions
        from meetings.models import Hearing, HearingResponse, Matter, MeetingDate, Presentation, Workplace

        track_model_versions(Hearing, Presentation)
        public_plan_panels.register(
            "hearings",
            PublicPlanPanel(
                public_matters_panel,
                lambda: model_version_keys(Matter, MeetingDate, Hearing, HearingResponse, Workplace),
            ),
        )
        ledger_columns.register(
            "hearings",
            LedgerColumns(
                ledger_counts,
                lambda: model_version_keys(HearingResponse, Hearing, Matter, MeetingDate, Presentation),
            ),
        )
