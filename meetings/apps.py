from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import outbox_handler_labels


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Organisation and meetings")

    def ready(self):
        # Imported here, not above: these modules load models, which exist only once the app registry is ready.
        from core.versioned_cache import track_model_versions

        from . import feeds, signals  # noqa: F401  (permission changes go to the audit log; the feeds' versions)
        from . import models as m

        # Every write to these replaces the model's version (core.versioned_cache): fragments cached under them
        # cannot outlive a change.
        track_model_versions(
            m.Committee, m.CommitteeMembership, m.Workplace, m.WorkplaceKind, m.WorkplaceRole, m.Blackout,
            m.Visit, m.VisitParticipant, m.VisitOffer, m.VisitSlot, m.VisitEvent, m.VisitFeedback, m.WaitlistEntry,
            m.RotationPlan, m.Meeting, m.MeetingInvitation,
            m.Question, m.QuestionAnswer, m.Story, m.Matter, m.HearingResponse,
            m.District, m.WorkplaceKind, m.Blackout, m.VisitOffer, m.VisitParticipant, m.VisitSettings,
        )  # fmt: skip

        outbox_handler_labels.register("meetings.services.invitation_mail_send", _("Invitation to the portal"))
        outbox_handler_labels.register(
            "meetings.account_mail.account_mail_send", _("Password reset or e-mail confirmation")
        )
        outbox_handler_labels.register("meetings.notices.notice_mail_send", _("Notice sent at once"))
        outbox_handler_labels.register("meetings.notices.notice_digest_mail_send", _("Weekly digest of notices"))
