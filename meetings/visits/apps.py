from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import mirror_occasions, outbox_handler_labels, outbox_record_arguments, workplace_panels


class VisitsConfig(AppConfig):
    """Workplace visits: an app of its own (no models: they live with the organisation's in ``meetings.models``)
    so that its admin, tasks and hooks are found like every app's."""

    name = "meetings.visits"
    label = "visits"
    verbose_name = _("Workplace visits")

    def ready(self):
        # Imported here, not above: these modules load models, which exist only once the app registry is ready.
        from .mirror import VisitOccasion
        from .panels import workplace_visits_panel

        outbox_handler_labels.register("meetings.visits.notifications.visit_mail_send", _("Notice about a visit"))
        outbox_record_arguments.register("visit_id", (_("Visit no. %(id)s"), "meetings:visit-detail"))
        outbox_handler_labels.register(
            "meetings.visits.notifications.waitlist_offer_send", _("A time held for the waiting list")
        )
        outbox_handler_labels.register(
            "meetings.visits.notifications.visit_outcome_reminder_send", _("Reminder to confirm what happened")
        )
        outbox_record_arguments.register("entry_id", (_("Waiting list entry no. %(id)s"), None))
        mirror_occasions.register(VisitOccasion.kind, VisitOccasion())
        workplace_panels.register("visits", workplace_visits_panel)
