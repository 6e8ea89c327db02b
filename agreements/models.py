"""Development agreements (udviklingsaftaler) between a committee and a workplace.

An :class:`Agreement` holds the working text (its sections and :class:`Goal` rows) and moves through an explicit
state machine (``agreements/workflow.py``). Every submission freezes the text into a numbered
:class:`AgreementVersion` with a SHA-256 fingerprint; :class:`AgreementSignature` rows bind a person to one frozen
version's fingerprint. Versions, signatures and events are append-only: the portal never edits or deletes them.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from core.versioned_cache import VersionBumpingQuerySet

from . import fingerprint as fp
from .errors import AgreementError


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    SUBMITTED = "submitted", _("Submitted to the committee")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed by both")
    ACTIVE = "active", _("Active")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")


# The leader may change the text in these states; a submitted or later text is frozen.
EDITABLE = frozenset({Status.DRAFT, Status.CONSULTATION, Status.CHANGES_REQUESTED})
# From submission on, the agreement's text is its newest frozen version: pages show that, never the live rows
# (a shared goal's catalogue text may change after adoption; the frozen version keeps what was sent and signed).
FROZEN = frozenset(set(Status) - EDITABLE)
# The committee reviews in these states.
IN_REVIEW = frozenset({Status.SUBMITTED, Status.RESUBMITTED})
# From here on the agreement is signed and readable by everyone signed in.
SIGNED_OR_LATER = frozenset({Status.SIGNED, Status.ACTIVE, Status.FOLLOWED_UP, Status.CLOSED})


def calendar_year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def default_follow_up_dates(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Mid-term halfway through the period; the final follow-up a month before it ends."""
    midterm = start + (end - start) / 2
    final = max(midterm + dt.timedelta(days=1), end - dt.timedelta(days=30))
    return midterm, final


class AgreementQuerySet(VersionBumpingQuerySet):
    def for_period(self, start: dt.date, end: dt.date):
        """Agreements whose period overlaps ``start``–``end``."""
        return self.filter(period_start__lte=end, period_end__gte=start)

    def in_force(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(status=Status.ACTIVE, period_start__lte=on, period_end__gte=on)

    def originals(self):
        return self.filter(amends__isnull=True)


class Agreement(models.Model):
    """One workplace's agreement with one committee for a period (by default a calendar year)."""

    Status = Status

    workplace = models.ForeignKey(
        "meetings.Workplace", on_delete=models.PROTECT, related_name="agreements", verbose_name=_("workplace")
    )
    committee = models.ForeignKey(
        "meetings.Committee", on_delete=models.PROTECT, related_name="agreements", verbose_name=_("committee")
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    core_task = models.TextField(
        _("core task and context"),
        blank=True,
        help_text=_("Why the workplace exists, who it serves and what matters right now."),
    )
    support = models.TextField(
        _("support needed from the administration"),
        blank=True,
        help_text=_("What the workplace needs from the centre, HR, finance or others to reach the goals."),
    )
    follow_up_plan = models.TextField(
        _("how we follow up together"),
        blank=True,
        help_text=_("How and when the committee and the workplace talk about progress."),
    )
    midterm_on = models.DateField(_("mid-term follow-up"), null=True, blank=True)
    final_on = models.DateField(_("final follow-up"), null=True, blank=True)
    consultees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="agreements_consulted",
        verbose_name=_("employees consulted"),
        help_text=_("Employees named to comment during consultation (the trio always may)."),
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("amends"),
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("started from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("development agreement")
        verbose_name_plural = _("development agreements")
        ordering = ["-period_start", "workplace__name"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="agreement_period"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="agreement_status_known"),
            # One agreement per workplace, committee and period; amendments replace it through the workflow.
            models.UniqueConstraint(
                fields=["workplace", "committee", "period_start"],
                condition=Q(amends__isnull=True),
                name="agreement_one_per_period",
            ),
            # An agreement is amended at most once; the amendment itself can be amended later.
            models.UniqueConstraint(
                fields=["amends"], condition=Q(amends__isnull=False), name="agreement_amended_once"
            ),
        ]
        indexes = [models.Index(fields=["committee", "period_start", "status"], name="agreement_overview_idx")]

    def __str__(self):
        return _("%(workplace)s – %(committee)s, %(start)s–%(end)s") % {
            "workplace": self.workplace.name,
            "committee": self.committee.name,
            "start": dates.when(self.period_start, "date_short"),
            "end": dates.when(self.period_end, "date_short"),
        }

    def get_absolute_url(self):
        return reverse("agreements:agreement-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def period_label(self) -> str:
        if (self.period_start.month, self.period_start.day, self.period_end.month, self.period_end.day) == (
            1,
            1,
            12,
            31,
        ) and self.period_start.year == self.period_end.year:
            return str(self.period_start.year)
        return f"{self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    def ordered_goals(self, goals=None) -> list["Goal"]:
        """Adopted shared goals first, then the workplace's own; uses prefetched goals when present."""
        goals = list(goals if goals is not None else self.goals.all())
        return sorted(goals, key=lambda g: (g.kind != Goal.Kind.SHARED, g.order, g.pk or 0))

    def text(self, goals=None) -> fp.AgreementText:
        """The working text as plain data: what a submission freezes and fingerprints."""
        return fp.AgreementText(
            workplace=self.workplace.name,
            committee=self.committee.name,
            period_start=self.period_start.isoformat(),
            period_end=self.period_end.isoformat(),
            core_task=self.core_task,
            support=self.support,
            follow_up_plan=self.follow_up_plan,
            goals=tuple(goal.text() for goal in self.ordered_goals(goals)),
        )


class SharedGoalQuerySet(VersionBumpingQuerySet):
    def available_for(self, agreement: Agreement):
        """Shared goals of the agreement's committee or the whole municipality, overlapping its period."""
        return self.filter(
            is_active=True, period_start__lte=agreement.period_end, period_end__gte=agreement.period_start
        ).filter(Q(committee__isnull=True) | Q(committee_id=agreement.committee_id))


class SharedGoal(models.Model):
    """A cross-cutting goal that agreements may adopt, kept by administrators or a committee's members."""

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), help_text=_("What the goal means and why it matters for citizens."))
    committee = models.ForeignKey(
        "meetings.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shared_goals",
        verbose_name=_("committee"),
        help_text=_("Empty: a goal for the whole municipality."),
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    is_active = models.BooleanField(_("may be adopted"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = SharedGoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("shared goal")
        verbose_name_plural = _("shared goals")
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="shared_goal_period"),
        ]

    def __str__(self):
        return self.title

    @property
    def scope_label(self) -> str:
        return self.committee.name if self.committee_id else str(_("The whole municipality"))


class Goal(models.Model):
    """One goal in the familiar Danish form: where we are now, the goal, the indicator, what we do, how we
    evaluate. Either the workplace's own or an adopted shared goal (with an optional local target)."""

    class Kind(models.TextChoices):
        OWN = "own", _("The workplace's own goal")
        SHARED = "shared", _("Adopted shared goal")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OWN)
    shared_goal = models.ForeignKey(
        SharedGoal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("shared goal"),
    )
    title = models.CharField(_("title"), max_length=200)
    baseline = models.TextField(_("where we are now"), blank=True)
    aim = models.TextField(_("the goal"), blank=True)
    indicator = models.TextField(
        _("indicator"), help_text=_("What changes for citizens, and how we will see it. Not a count of activities.")
    )
    actions = models.TextField(_("what we will do"), blank=True)
    evaluation = models.TextField(_("how we evaluate"), blank=True)
    target = models.CharField(_("target"), max_length=300, blank=True)
    milestones = models.TextField(_("milestones"), blank=True, help_text=_("Optional, one per line."))
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("carried over from")
    )

    objects = VersionBumpingQuerySet.as_manager()  # bulk writes replace its version (agreement page, goals panel)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="own") & Q(shared_goal__isnull=True))
                | (Q(kind="shared") & Q(shared_goal__isnull=False)),
                name="goal_shared_has_catalogue_goal",
            ),
            models.UniqueConstraint(
                fields=["agreement", "shared_goal"],
                condition=Q(shared_goal__isnull=False),
                name="goal_shared_adopted_once",
            ),
            models.CheckConstraint(condition=~Q(indicator=""), name="goal_has_indicator"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self._refuse_unless_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_unless_editable()
        return super().delete(*args, **kwargs)

    def _refuse_unless_editable(self):
        status = Agreement.objects.filter(pk=self.agreement_id).values_list("status", flat=True).first()
        if status is not None and status not in EDITABLE:
            raise AgreementError(_("A submitted agreement's goals cannot change. Ask the committee for changes."))

    def text(self) -> fp.GoalText:
        shared = self.shared_goal if self.kind == self.Kind.SHARED else None
        return fp.GoalText(
            title=self.title,
            kind=self.kind,
            shared_title=shared.title if shared else "",
            shared_text=shared.text if shared else "",
            baseline=self.baseline,
            aim=self.aim,
            indicator=self.indicator,
            actions=self.actions,
            evaluation=self.evaluation,
            target=self.target,
            milestones=tuple(line.strip() for line in self.milestones.splitlines() if line.strip()),
        )


class _AppendOnly(models.Model):
    """Rows that are written once and never changed or deleted by the portal."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AgreementError(_("This record is kept as it was written and cannot change."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AgreementError(_("This record is kept as it was written and cannot change."))


class AppendOnlyQuerySet(VersionBumpingQuerySet):
    def update(self, **kwargs):
        raise AgreementError(_("This record is kept as it was written and cannot change."))

    def delete(self):
        raise AgreementError(_("This record is kept as it was written and cannot change."))


class SignatureQuerySet(AppendOnlyQuerySet):
    def pseudonymise(self, pseudonym: str) -> int:
        """The one change a signature ever gets: when a person's data is erased (GDPR) their typed name gives way
        to their pseudonym. The fingerprint of the signed text is untouched. See dialog_portal/privacy.py."""
        return super(AppendOnlyQuerySet, self).update(typed_name=pseudonym)


class AgreementVersion(_AppendOnly):
    """The text as it was submitted, frozen: numbered per agreement, with its canonical form and fingerprint."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.JSONField(_("frozen text"))
    fingerprint = models.CharField(_("text fingerprint (SHA-256)"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("frozen at"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="agreement_version_number_positive"),
            models.CheckConstraint(condition=~Q(fingerprint=""), name="agreement_version_has_fingerprint"),
        ]

    def __str__(self):
        return _("Version %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("agreements:version-detail", args=[self.agreement_id, self.number])

    def recompute_fingerprint(self) -> str:
        return fp.fingerprint_of_canonical(self.text)


class AgreementSignature(_AppendOnly):
    """A person's signature on one frozen version: the leader for the workplace, the chair (or the vice-chair,
    with the chair's absence recorded) for the committee. Never edited."""

    class Side(models.TextChoices):
        WORKPLACE = "workplace", _("For the workplace")
        COMMITTEE = "committee", _("For the committee")

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair, for the absent chair")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="signatures"
    )
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="signatures")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreement_signatures")
    side = models.CharField(_("signs"), max_length=10, choices=Side.choices)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    chair_absence = models.CharField(_("why the chair is absent"), max_length=300, blank=True)
    typed_name = models.CharField(_("typed name"), max_length=200)
    fingerprint = models.CharField(_("fingerprint of the signed text"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "side"], name="agreement_signature_one_per_side"),
            models.CheckConstraint(
                condition=(Q(side="workplace") & Q(role="leader"))
                | (Q(side="committee") & Q(role__in=["chair", "vice_chair"])),
                name="agreement_signature_role_fits_side",
            ),
            models.CheckConstraint(
                condition=~Q(role="vice_chair") | ~Q(chair_absence=""), name="agreement_signature_absence_recorded"
            ),
            models.CheckConstraint(condition=~Q(fingerprint=""), name="agreement_signature_has_fingerprint"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_side_display()} – v{self.version.number}"

    def get_absolute_url(self):
        return reverse("agreements:signature-verify", args=[self.pk])


class AgreementEvent(_AppendOnly):
    """One transition: who, from, to, when, and a note (a reason for changes, the chair's absence, …)."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.agreement_id}: {self.from_status or '–'} → {self.to_status}"


class Comment(models.Model):
    """A comment on the agreement, one of its sections or one goal. Can be resolved, never deleted."""

    class Section(models.TextChoices):
        CORE_TASK = "core_task", _("Core task and context")
        GOALS = "goals", _("Goals")
        SUPPORT = "support", _("Support from the administration")
        FOLLOW_UP = "follow_up", _("Follow-up")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="comments"
    )
    section = models.CharField(_("section"), max_length=20, choices=Section.choices, blank=True)
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    goal_title = models.CharField(_("goal"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="agreement_comments"
    )
    body = models.TextField(_("comment"))
    status_when_written = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = VersionBumpingQuerySet.as_manager()  # the agreement's page keeps its comments (issue 19)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_has_body"),
            models.CheckConstraint(
                condition=Q(section="") | Q(goal__isnull=True), name="comment_on_section_or_goal_not_both"
            ),
        ]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def target_label(self) -> str:
        if self.goal_title:
            return str(_("Goal: %(title)s") % {"title": self.goal_title})
        if self.section:
            return str(self.get_section_display())
        return str(_("The whole agreement"))


class FollowUp(models.Model):
    """A status for one goal: at mid-term (on track, at risk or already achieved) or final (achieved or not)."""

    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("Mid-term")
        FINAL = "final", _("Final")

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        ACHIEVED = "achieved", _("Achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="followups")
    kind = models.CharField(_("follow-up"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    occasion = models.CharField(_("recorded at"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = VersionBumpingQuerySet.as_manager()  # bulk writes replace its version (agreement page, goals panel)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="midterm") & Q(status__in=["on_track", "at_risk", "achieved"]))
                | (Q(kind="final") & Q(status__in=["achieved", "not_achieved"])),
                name="followup_status_fits_kind",
            ),
        ]
        indexes = [models.Index(fields=["goal", "-recorded_at"], name="followup_latest_idx")]

    def __str__(self):
        return f"{self.goal}: {self.get_status_display()}"


class VersionSeen(models.Model):
    """The newest version a person has opened, so the comparison starts from what they last saw."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    seen_at = models.DateTimeField(default=timezone.now)

    objects = VersionBumpingQuerySet.as_manager()  # as the comments'

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "agreement"], name="version_seen_once")]

    def __str__(self):
        return f"{self.person_id} saw v{self.number} of {self.agreement_id}"


class AgreementReminder(models.Model):
    """That a reminder went out, so the daily jobs do not repeat themselves."""

    class Kind(models.TextChoices):
        WAITING = "waiting", _("Waiting for someone")
        MIDTERM = "midterm", _("Mid-term follow-up due")
        FINAL = "final", _("Final follow-up due")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreement reminder")
        verbose_name_plural = _("agreement reminders")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["agreement", "kind", "sent_at"], name="agreement_reminder_idx")]

    def __str__(self):
        return f"{self.agreement_id} {self.kind} {self.sent_at:%Y-%m-%d}"
