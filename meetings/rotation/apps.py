from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import (
    committee_panels,
    mirror_occasions,
    outbox_handler_labels,
    outbox_record_arguments,
    workplace_panels,
)


class RotationConfig(AppConfig):
    """The annual meeting rotation: an app of its own (no models: they live with the organisation's in
    ``meetings.models``) so that its admin, tasks and hooks are found like every app's."""

    name = "meetings.rotation"
    label = "rotation"
    verbose_name = _("Meeting rotation")

    def ready(self):
        # Imported here, not above: these modules load models, which exist only once the app registry is ready.
        from core.versioned_cache import track_model_versions

        from ..models import Hosting, MeetingDate, PlannedMeeting, PlanningRun, PublishedInputs, Venue
        from .mirror import MeetingOccasion
        from .panels import committee_meetings_panel, workplace_meetings_panel, workplace_wishes_panel

        notices = "meetings.rotation.notifications."
        for handler, label in {
            "plan_published_send": _("Notice that a meeting plan is published"),
            "meeting_changed_send": _("Notice that a committee meeting changed"),
            "cancellation_requested_send": _("Notice that a host has withdrawn from a meeting"),
            "meeting_reminder_send": _("Reminder of a committee meeting"),
            "meeting_outcome_reminder_send": _("Reminder to confirm what happened at a meeting"),
            "drafts_ready_send": _("Notice that next year's draft plans are ready"),
        }.items():
            outbox_handler_labels.register(notices + handler, label)
        outbox_record_arguments.register("meeting_id", (_("Committee meeting no. %(id)s"), "meetings:meeting-detail"))
        outbox_record_arguments.register("plan_id", (_("Meeting plan no. %(id)s"), None))
        outbox_record_arguments.register("request_id", (_("Withdrawal as host no. %(id)s"), None))
        outbox_handler_labels.register(
            "meetings.rotation.services.planning_run_execute", _("Planning of a committee's year")
        )
        # The public plan (selectors.PUBLIC_PLAN_MODELS) and the review page's cached fragments are kept under the
        # versions of what they read; these are theirs besides the plans, meetings and workplaces (and the review's
        # planning run under way).
        track_model_versions(PublishedInputs, PlannedMeeting, Hosting, Venue, MeetingDate, PlanningRun)
        mirror_occasions.register(MeetingOccasion.kind, MeetingOccasion())
        committee_panels.register("rotation", committee_meetings_panel)
        workplace_panels.register("rotation", workplace_meetings_panel)
        workplace_panels.register("rotation-wishes", workplace_wishes_panel)
