"""Questions to a workplace (issue #17): a politician asks one of the committee's workplaces directly; its leader
answers, and the committee and the secretariat read both.

- ``Question``: one workplace asked once. The same question to several workplaces is one row per workplace,
  sharing a ``group``. Never edited (no edit path anywhere; the admin is read-only): the administration can read a
  politician's question but not rewrite it.
- ``QuestionAnswer``: an answer, append-only. An answer once given is final; a correction is a new answer entry
  (``number`` 2, 3, …), the first kept.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import history_queryset
from core.versioned_cache import VersionBumpingQuerySet

from ..errors import MeetingsError
from .organisation import Committee, Workplace, WorkplaceRole

# A question or an answer is a few paragraphs, not a report: longer texts are refused.
QUESTION_TEXT_MAX = 4000


class QuestionQuerySet(VersionBumpingQuerySet):
    def visible_to(self, user):
        """The secretariat sees every question; the committee's members its questions; the workplace's leader and
        trio the questions to their workplace; a head of centre the questions passed on to them."""
        if not user.is_authenticated:
            return self.none()
        roles = user.roles
        if roles.is_administrator:
            return self
        workplaces = [
            pk
            for pk, held in roles.workplace_roles.items()
            if held & {WorkplaceRole.Role.LEADER, WorkplaceRole.Role.TRIO}
        ]
        return self.filter(Q(committee_id__in=roles.committee_ids) | Q(workplace_id__in=workplaces) | Q(passed_to=user))

    def overdue(self, today=None):
        """Open past the deadline: the workplace has neither answered nor passed the question on."""
        return self.filter(status=Question.Status.OPEN, deadline__lt=today or timezone.localdate())


class Question(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        PASSED_ON = "passed_on", _("Passed on to the administration")
        ANSWERED = "answered", _("Answered")

    # The allowed transitions: answered is final (a correction is a new answer, not a new state).
    TRANSITIONS = {
        Status.OPEN: {Status.ANSWERED, Status.PASSED_ON},
        Status.PASSED_ON: {Status.ANSWERED},
        Status.ANSWERED: set(),
    }

    group = models.UUIDField(_("asked together"), default=uuid.uuid4, db_index=True, editable=False)
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="questions", verbose_name=_("committee")
    )
    workplace = models.ForeignKey(
        Workplace, on_delete=models.PROTECT, related_name="questions", verbose_name=_("workplace")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions_asked", verbose_name=_("asked by")
    )
    text = models.TextField(_("question"), max_length=QUESTION_TEXT_MAX)
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    deadline = models.DateField(_("answer by"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # The leader says the question belongs with the administration and passes it to a head of centre. Heads of
    # centre are not in the organisation model: a name and an e-mail address, and their account when they have one.
    passed_to_name = models.CharField(_("passed on to"), max_length=200, blank=True)
    passed_to_email = models.EmailField(_("e-mail address of the head of centre"), blank=True)
    passed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions_passed_to",
        verbose_name=_("head of centre's account"),
    )
    pass_note = models.TextField(_("why it belongs with the administration"), blank=True)
    passed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    passed_at = models.DateTimeField(_("passed on"), null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question to a workplace")
        verbose_name_plural = _("questions to workplaces")
        ordering = ["-asked_at", "-pk"]
        indexes = [models.Index(fields=["committee", "status", "deadline"], name="question_committee_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="question_has_text"),
            models.CheckConstraint(
                condition=~Q(status="passed_on") | (~Q(passed_to_name="") & Q(passed_at__isnull=False)),
                name="question_passed_on_names_whom",
            ),
        ]

    def __str__(self):
        return f"{self.workplace}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("meetings:question-detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and timezone.localdate() > self.deadline


class FrozenAnswerError(MeetingsError):
    """Raised when anything tries to change or delete an answer to a question."""


QuestionAnswerQuerySet = history_queryset(
    FrozenAnswerError, _("An answer is kept as it was given. Write a correction instead.")
)


class QuestionAnswer(models.Model):
    """An answer (``number`` 1) or a correction of it (2, 3, …). Written once, never changed."""

    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question to a workplace")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("answer"), max_length=QUESTION_TEXT_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("answered"), default=timezone.now)

    objects = QuestionAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer to a question")
        verbose_name_plural = _("answers to questions")
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_answer_number_once"),
            models.CheckConstraint(condition=~Q(text=""), name="question_answer_has_text"),
        ]

    def __str__(self):
        return f"{self.question} #{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenAnswerError(_("An answer is kept as it was given. Write a correction instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenAnswerError(_("An answer is kept as it was given. Write a correction instead."))

    @property
    def is_correction(self) -> bool:
        return self.number > 1
