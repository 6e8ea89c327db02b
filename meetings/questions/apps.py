from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import (
    LedgerColumns,
    NoticeChannel,
    committee_panels,
    ledger_columns,
    notice_channels,
    outbox_handler_labels,
    outbox_record_arguments,
    workplace_panels,
)


class QuestionsConfig(AppConfig):
    """Questions from politicians to a workplace: an app of its own (no models: they live with the organisation's in
    ``meetings.models``) so that its admin, tasks and hooks are found like every app's."""

    name = "meetings.questions"
    label = "questions"
    verbose_name = _("Questions to workplaces")

    def ready(self):
        # Imported here, not above: the module loads models, which exist only once the app registry is ready.
        from .panels import committee_questions_panel, ledger_counts, workplace_questions_panel

        notice_channels.register(
            "questions",
            NoticeChannel(
                label=_("Questions to workplaces"),
                help_text=_(
                    "Answers to your committee's questions to its workplaces, and questions passed on to the "
                    "administration. A question to your own workplace and the answer to your own question always "
                    "come by e-mail at once."
                ),
                applies_to=lambda person: person.roles.is_politician,
            ),
        )
        notices = "meetings.questions.notifications."
        for handler, label in {
            "question_asked_send": _("Notice of a question to a workplace"),
            "question_answered_send": _("Notice of an answer to a question"),
            "question_passed_on_send": _("Notice of a question passed on to the administration"),
            "question_reminder_send": _("Reminder of a question to a workplace"),
        }.items():
            outbox_handler_labels.register(notices + handler, label)
        outbox_record_arguments.register("question_id", (_("Question no. %(id)s"), "meetings:question-detail"))
        workplace_panels.register("questions", workplace_questions_panel)
        committee_panels.register("questions", committee_questions_panel)
        from core.versioned_cache import model_version_keys
        from meetings.models import Question

        ledger_columns.register("questions", LedgerColumns(ledger_counts, lambda: model_version_keys(Question)))
