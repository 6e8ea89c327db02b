"""The positive list's rows: an item in force or removed, its reviews and its event log.

- ``PolicyItem``: one strategy, plan, policy or fixed demand on a committee's list (no committee: the city council's
  list, for the whole municipality). Edited only while in force, through services that write an event; a removed item
  is history.
- ``PolicyReview``: a decision on an item (keep, simplify, abolish) with its reason. Append-only.
- ``PolicyItemEvent``: what happened to an item and who did it (added, changed, reviewed, reminded). Append-only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import history_queryset
from core.versioned_cache import VersionBumpingQuerySet

from ..errors import CodexError

APPEND_ONLY = _("The history of the positive list is never changed or deleted.")


class PolicyKind(models.TextChoices):
    STRATEGY = "strategy", _("Strategy")
    PLAN = "plan", _("Plan")
    POLICY = "policy", _("Policy")
    FIXED_REQUIREMENT = "fixed_requirement", _("Fixed requirement")
    STEERING_DEMAND = "steering_demand", _("Steering demand")
    DATA_DEMAND = "data_demand", _("Central data demand")


class OwnerKind(models.TextChoices):
    COMMITTEE = "committee", _("The committee")
    CITY_COUNCIL = "city_council", _("The city council")
    HEAD_OF_CENTRE = "head_of_centre", _("A head of centre")


class PolicyItemQuerySet(VersionBumpingQuerySet):
    def in_force(self):
        return self.filter(status=PolicyItem.Status.IN_FORCE)

    def removed(self):
        return self.filter(status=PolicyItem.Status.REMOVED)

    def of_list(self, committee):
        """The items on one list: a committee's, or the city council's (``committee=None``)."""
        return self.filter(committee__isnull=True) if committee is None else self.filter(committee=committee)

    def review_due(self, by):
        """Items in force whose next review is on or before ``by``."""
        return self.in_force().filter(next_review_on__lte=by)


class PolicyItem(models.Model):
    """One strategy, plan, policy or fixed demand on a positive list."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        REMOVED = "removed", _("Removed")

    committee = models.ForeignKey(
        "meetings.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_items",
        verbose_name=_("committee"),
        help_text=_("Empty: the city council's list, for the whole municipality."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PolicyKind.choices)
    summary = models.TextField(_("what it is for"), blank=True)
    owner_kind = models.CharField(_("owner"), max_length=20, choices=OwnerKind.choices)
    # A position, not a person's name: it is shown on the public pages. The person is ``owner_person``.
    owner_title = models.CharField(
        _("owner's position"),
        max_length=200,
        blank=True,
        help_text=_("For a head of centre: the position, e.g. »Centerchef for Dagtilbud«. Choose the person below."),
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="policy_items_owned",
        verbose_name=_("owner in the portal"),
        help_text=_("The person who is reminded before a review and may change and review the item."),
    )
    link_url = models.URLField(_("link to the document"), max_length=500, blank=True)
    # What it demands of the workplaces: the kinds as flags (for filtering and counting), the details as text.
    demands_reporting = models.BooleanField(_("reporting"), default=False)
    demands_documentation = models.BooleanField(_("documentation"), default=False)
    demands_meetings = models.BooleanField(_("meetings"), default=False)
    demands = models.TextField(_("what it demands of the workplaces"), blank=True)
    adopted_on = models.DateField(_("adopted on"))
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removed_reason = models.TextField(_("why it was removed"), blank=True)
    # The review date the last reminder was sent for: one reminder per item and review date.
    reminded_for = models.DateField(_("reminded for the review on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    objects = PolicyItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("item on the positive list")
        verbose_name_plural = _("items on the positive list")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["committee", "status", "title"], name="policyitem_list_idx"),
            models.Index(fields=["status", "next_review_on"], name="policyitem_review_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="policyitem_has_title"),
            models.CheckConstraint(
                condition=Q(status="removed") | Q(next_review_on__isnull=False), name="policyitem_in_force_has_review"
            ),
            models.CheckConstraint(
                condition=Q(status="in_force", removed_on__isnull=True)
                | (Q(status="removed", removed_on__isnull=False) & ~Q(removed_reason="")),
                name="policyitem_removed_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(owner_kind="committee") | Q(committee__isnull=False),
                name="policyitem_committee_owner_has_committee",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("codex:policy-item-detail", args=[self.pk])

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.IN_FORCE

    @property
    def owner_label(self) -> str:
        """Who owns the item, in words, without a person's name (the position of a head of centre, else the
        committee or the city council)."""
        if self.owner_kind == OwnerKind.HEAD_OF_CENTRE:
            return self.owner_title or str(OwnerKind.HEAD_OF_CENTRE.label)
        if self.owner_kind == OwnerKind.COMMITTEE and self.committee_id:
            return str(self.committee)
        return str(OwnerKind(self.owner_kind).label)

    def demand_labels(self) -> list[str]:
        flags = (
            (self.demands_reporting, _("Reporting")),
            (self.demands_documentation, _("Documentation")),
            (self.demands_meetings, _("Meetings")),
        )
        return [str(label) for on, label in flags if on]


_AppendOnlyQuerySet = history_queryset(CodexError, APPEND_ONLY)


class _AppendOnly(models.Model):
    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise CodexError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise CodexError(APPEND_ONLY)


class ReviewDecision(models.TextChoices):
    KEEP = "keep", _("Keep")
    SIMPLIFY = "simplify", _("Simplify")
    ABOLISH = "abolish", _("Abolish")


class PolicyReview(_AppendOnly):
    """A decision on an item: keep it (to the next review), simplify it (what changed), or abolish it (removed).

    ``source_*`` name what led to the decision when it was not an ordinary review, e.g. a granted challenge of a
    rule: its kind and id (``app_label.model:pk``), its name and its page, copied so the review needs no import of it.
    """

    item = models.ForeignKey(PolicyItem, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("item"))
    decided_on = models.DateField(_("decided on"))
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    reason = models.TextField(_("reason"))
    changes = models.TextField(_("what was simplified"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    source_ref = models.CharField(_("source"), max_length=100, blank=True)
    source_label = models.CharField(_("source's name"), max_length=300, blank=True)
    source_url = models.CharField(_("source's page"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("review of an item on the positive list")
        verbose_name_plural = _("reviews of items on the positive list")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="policyreview_has_reason"),
            models.CheckConstraint(
                condition=Q(decision="abolish") | Q(next_review_on__isnull=False),
                name="policyreview_kept_has_next_review",
            ),
            models.CheckConstraint(
                condition=~Q(decision="simplify") | ~Q(changes=""), name="policyreview_simplify_says_what"
            ),
        ]

    def __str__(self):
        return f"{self.item} – {self.get_decision_display()}"


class PolicyItemEvent(_AppendOnly):
    """One thing that happened to an item: who, what, when, and the fields changed (old and new values)."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Added")
        CHANGED = "changed", _("Changed")
        REVIEWED = "reviewed", _("Reviewed")
        REMINDED = "reminded", _("Reminder sent")

    item = models.ForeignKey(PolicyItem, on_delete=models.PROTECT, related_name="events", verbose_name=_("item"))
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review = models.ForeignKey(
        PolicyReview, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("review")
    )
    note = models.TextField(_("note"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("event on the positive list")
        verbose_name_plural = _("events on the positive list")
        ordering = ["item", "at", "pk"]

    def __str__(self):
        return f"{self.item_id}: {self.get_kind_display()}"

    def changed_labels(self) -> list[str]:
        """The names of the fields a change touched, as the forms call them."""
        fields = {field.name: field for field in PolicyItem._meta.get_fields()}
        return [str(fields[name].verbose_name) if name in fields else name for name in self.changes]
