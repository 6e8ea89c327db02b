"""Challenging a rule (udfordringsret, issue 18): a leader, with the trio, asks the committee to abolish or simplify
a requirement, or to try working without it for a period (a trial, prøvehandling).

- ``Challenge``: the case. Its ``status`` moves only along ``workflow.EDGES``, one service per edge.
- ``ChallengeEvent``: one row per transition (who, from, to, when, note). Append-only.
- ``ChallengeJoiner``: another workplace saying »this applies to us too«, with its own estimate of the hours.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import history_queryset
from core.versioned_cache import VersionBumpingQuerySet

from ..positive_list.models import PolicyItem
from .errors import ChallengeError

HISTORY_KEPT = _("The history of a challenge is never changed or deleted.")
MAX_HOURS = 2000  # a month has about 160 working hours per person; a workplace of a dozen reaches this


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Sent to the committee")
    SCHEDULED = "scheduled", _("On the agenda")
    GRANTED = "granted", _("Granted")
    TRIAL = "trial", _("Trial running")
    REJECTED = "rejected", _("Rejected")
    PASSED_ON = "passed_on", _("Passed to the city council")
    STOPPED = "stopped", _("Trial stopped")


# Decided: shown on the public pages. Giving time back: counted in the hours a month given back to the core task.
DECIDED = (Status.GRANTED, Status.TRIAL, Status.REJECTED, Status.PASSED_ON, Status.STOPPED)
GIVING_BACK = (Status.GRANTED, Status.TRIAL)
OPEN = (Status.SUBMITTED, Status.SCHEDULED)


class Proposal(models.TextChoices):
    ABOLISH = "abolish", _("Abolish the rule")
    SIMPLIFY = "simplify", _("Simplify the rule")
    TRIAL = "trial", _("Try working without it for a period")


class ChallengeQuerySet(VersionBumpingQuerySet):
    def visible_to(self, user):
        """Administrators see every challenge; every leader sees every one sent to a committee, and the deciding
        committee its own; a workplace's people see their own and those their workplace joined, and its leader and
        trio its drafts."""
        if not user.is_authenticated:
            return self.none()
        roles = user.roles
        if roles.is_administrator:
            return self
        own = list(roles.workplace_roles)
        writers = [pk for pk, held in roles.workplace_roles.items() if held & {"leader", "trio"}]
        sent = Q(workplace_id__in=own) | Q(joiners__workplace_id__in=own)
        if roles.is_leader:
            sent = Q()  # every leader sees every challenge sent to a committee
        elif roles.committee_ids:
            sent |= Q(committee_id__in=roles.committee_ids)
        seen = Q(workplace_id__in=writers) | (~Q(status=Status.DRAFT) & sent)
        return self.filter(pk__in=self.model.objects.filter(seen).values("pk"))

    def decided(self):
        return self.filter(status__in=DECIDED)

    def open(self):
        return self.filter(status__in=OPEN)

    def trials_ending(self, by):
        """Running trials that end on or before ``by`` and whose end has not been reminded."""
        return self.filter(status=Status.TRIAL, trial_ends_on__lte=by, trial_reminded_at__isnull=True)


class Challenge(models.Model):
    """A leader's challenge of a rule or demand, decided by a committee."""

    workplace = models.ForeignKey(
        "meetings.Workplace", on_delete=models.PROTECT, related_name="challenges", verbose_name=_("workplace")
    )
    committee = models.ForeignKey(
        "meetings.Committee", on_delete=models.PROTECT, related_name="challenges", verbose_name=_("committee")
    )
    policy_item = models.ForeignKey(
        PolicyItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("rule on the positive list"),
    )
    rule = models.CharField(_("the rule or demand"), max_length=200)
    description = models.TextField(_("what it demands and what it costs"))
    hours_per_month = models.PositiveIntegerField(
        _("hours a month"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS)],
        help_text=_("Roughly: the time a month the rule takes from the core task at your workplace."),
    )
    proposal = models.CharField(_("what you propose"), max_length=20, choices=Proposal.choices)
    proposal_detail = models.TextField(_("what you propose instead"), blank=True)
    trio_agrees = models.BooleanField(_("the trio stands behind it"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    submitted_at = models.DateTimeField(_("sent to the committee"), null=True, blank=True)
    # The committee meeting that treats it (from the rotation), or only a date when no meeting fits.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("committee meeting"),
    )
    treated_on = models.DateField(_("treated on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("the committee's reason"), blank=True)
    trial_ends_on = models.DateField(_("the trial ends"), null=True, blank=True)
    trial_evaluation = models.TextField(_("how the trial is evaluated"), blank=True)
    # Set by the daily job when the trial's end is near; cleared when the trial is extended.
    trial_reminded_at = models.DateTimeField(_("end of the trial reminded"), null=True, blank=True)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        verbose_name = _("challenge of a rule")
        verbose_name_plural = _("challenges of rules")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "committee"], name="challenge_status_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(rule=""), name="challenge_names_rule"),
            models.CheckConstraint(
                condition=Q(hours_per_month__gte=1, hours_per_month__lte=MAX_HOURS), name="challenge_hours_range"
            ),
            models.CheckConstraint(
                condition=~Q(status="trial") | (Q(trial_ends_on__isnull=False) & ~Q(trial_evaluation="")),
                name="challenge_trial_has_end_and_evaluation",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""), name="challenge_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"]) | Q(treated_on__isnull=False),
                name="challenge_scheduled_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.rule} ({self.workplace})"

    def get_absolute_url(self):
        return reverse("codex:challenge-detail", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED


_KeptQuerySet = history_queryset(ChallengeError, HISTORY_KEPT)


class ChallengeEvent(models.Model):
    """One transition of a challenge: who, from, to, when, and a note (the reason, the trial's end, …)."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="events", verbose_name=_("challenge")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    objects = _KeptQuerySet.as_manager()

    class Meta:
        verbose_name = _("event of a challenge")
        verbose_name_plural = _("events of challenges")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.challenge_id}: {self.from_status or '–'} → {self.to_status}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ChallengeError(HISTORY_KEPT)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ChallengeError(HISTORY_KEPT)


class ChallengeJoiner(models.Model):
    """Another workplace for which the rule costs time too (»this applies to us too«), with its own estimate."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="joiners", verbose_name=_("challenge")
    )
    workplace = models.ForeignKey(
        "meetings.Workplace", on_delete=models.PROTECT, related_name="challenges_joined", verbose_name=_("workplace")
    )
    hours_per_month = models.PositiveIntegerField(
        _("hours a month"), validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS)]
    )
    note = models.TextField(_("how it costs time for you"), blank=True)
    joined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("workplace the challenge also applies to")
        verbose_name_plural = _("workplaces the challenge also applies to")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "workplace"], name="challenge_joined_once_per_workplace"),
            models.CheckConstraint(
                condition=Q(hours_per_month__gte=1, hours_per_month__lte=MAX_HOURS), name="challenge_joiner_hours_range"
            ),
        ]

    def __str__(self):
        return f"{self.challenge_id}: {self.workplace}"
