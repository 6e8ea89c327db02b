"""The annual rotation: a committee's meeting dates, the plan of hosts and guests, and the meetings it publishes.

- ``MeetingDate``: the dates a committee meets in a year, generated from its pattern and edited by hand.
- ``RotationPlan`` with ``PlannedMeeting`` rows: a draft the planner writes (and may write again) until an
  administrator publishes it; then it is frozen.
- ``Meeting`` and ``MeetingInvitation``: what publishing creates; changes go through services that record a
  ``MeetingEvent`` and raise the calendar ``sequence``.
- ``Hosting``: who hosted the committee when, from the portal's own meetings or imported history. The planner's
  equal-access rule counts both alike.
- ``PlanningRun``: one run of the Celery task, so the page can show its progress and result.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.versioned_cache import VersionBumpingQuerySet

from ..errors import MeetingsError
from .organisation import LEDGER_VERSION_KEY, BorrowedVenue, Committee, Workplace, feeds_version_keys


class MeetingDate(models.Model):
    """One date a committee meets, with its time. Public holidays are never proposed."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="meeting_dates", verbose_name=_("committee")
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=180)

    # Bulk writes replace the model's version: the review page keeps the year's dates.
    objects = VersionBumpingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting date")
        verbose_name_plural = _("meeting dates")
        ordering = ["committee", "date"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "date"], name="meeting_date_once_a_day"),
            models.CheckConstraint(condition=Q(minutes__gte=15), name="meeting_date_minutes_min_15"),
        ]

    def __str__(self):
        return f"{self.committee}: {self.date:%Y-%m-%d} {self.start:%H:%M}"

    @property
    def end(self) -> dt.time:
        return (dt.datetime.combine(self.date, self.start) + dt.timedelta(minutes=self.minutes)).time()


class RotationPlanQuerySet(VersionBumpingQuerySet):
    def drafts(self):
        return self.filter(status=RotationPlan.Status.DRAFT)

    def published(self):
        return self.filter(status=RotationPlan.Status.PUBLISHED)


class RotationPlan(models.Model):
    """A committee's plan for one year: a draft until it is published, then never changed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Replaced")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="rotation_plans", verbose_name=_("committee")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    fairness = models.JSONField(_("fairness figures"), default=dict)
    broken_rules = models.JSONField(_("broken rules"), default=list)
    cannot_host = models.JSONField(_("workplaces that cannot host"), default=list)
    wishes_unmet = models.JSONField(_("wishes not met"), default=list)
    created_at = models.DateTimeField(_("planned at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the planner was given and what it made of it (meetings/rotation/inputs.py), kept from the draft so the
    # published record can be re-checked; and every hand change since, with its reason.
    inputs = models.JSONField(_("planner inputs"), default=dict, blank=True)
    hand_changes = models.JSONField(_("hand changes"), default=list, blank=True)

    objects = RotationPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")
        ordering = ["committee", "-year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year"], condition=Q(status="draft"), name="rotation_one_draft_a_year"
            ),
            models.UniqueConstraint(
                fields=["committee", "year"], condition=Q(status="published"), name="rotation_one_published_a_year"
            ),
        ]

    def __str__(self):
        return f"{self.committee} {self.year} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("meetings:rotation-year", args=[self.committee.slug, self.year])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def broken_hard_rules(self) -> list[dict]:
        return list(self.broken_rules or [])


def _one_room(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(venue__isnull=True) | Q(venue_workplace__isnull=True), name=name)


class LocalDate(models.Func):
    """A timestamp's date in the portal's time zone, written so an index may use it (PostgreSQL's ``AT TIME ZONE``
    with a named zone is immutable; Django's ``TruncDate`` names the zone through a setting migrations cannot
    store). SQLite, for development only, keeps no zones: there it is the date in UTC."""

    arity = 1
    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        zone = settings.TIME_ZONE.replace("'", "")
        return f"(({sql}) AT TIME ZONE '{zone}')::date", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql})", params


def _room_once_a_day(field: str, name: str) -> models.UniqueConstraint:
    """One scheduled meeting a day in a borrowed room: the day is the meeting's local date."""
    return models.UniqueConstraint(
        field,
        LocalDate("starts_at"),
        condition=Q(status="scheduled", **{f"{field}__isnull": False}),
        name=name,
    )


class PlannedMeeting(BorrowedVenue):
    """One date of a plan: its host, the invited guests and why the planner chose them."""

    plan = models.ForeignKey(RotationPlan, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("plan"))
    date = models.DateField(_("date"))
    start = models.TimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=180)
    host = models.ForeignKey(
        Workplace, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("host")
    )
    guests = models.ManyToManyField(Workplace, blank=True, related_name="+", verbose_name=_("invited guests"))
    why = models.TextField(_("why"), blank=True)
    changed_by_hand = models.BooleanField(_("changed by hand"), default=False)
    hand_reason = models.TextField(_("reason for the change"), blank=True)

    # Bulk writes replace the model's version (the review page's cached fragments read the planned meetings).
    objects = VersionBumpingQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned meeting")
        verbose_name_plural = _("planned meetings")
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="planned_meeting_once_a_day"),
            _one_room("planned_meeting_one_room"),
        ]

    def __str__(self):
        return f"{self.plan}: {self.date:%Y-%m-%d}"


class PublishedInputsQuerySet(VersionBumpingQuerySet):
    def update(self, **kwargs):
        raise MeetingsError(_("A published record is never changed."))

    def delete(self):
        raise MeetingsError(_("A published record is never changed."))


class PublishedInputs(models.Model):
    """The published record of a plan: the planner's inputs, its plan, the hand changes with their reasons and the
    plan as published, as one canonical JSON file with its SHA-256 fingerprint. Written once when the plan is
    published and never changed or deleted, by any path (the model and its QuerySet refuse, the plan is
    protected, the admin only reads)."""

    plan = models.OneToOneField(
        RotationPlan, on_delete=models.PROTECT, related_name="published_inputs", verbose_name=_("rotation plan")
    )
    data = models.JSONField(_("published inputs"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("published"), default=timezone.now)

    objects = PublishedInputsQuerySet.as_manager()

    class Meta:
        verbose_name = _("published planner inputs")
        verbose_name_plural = _("published planner inputs")
        constraints = [models.CheckConstraint(condition=~Q(fingerprint=""), name="published_inputs_fingerprint")]

    def __str__(self):
        return f"{self.plan}: {self.fingerprint[:12]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise MeetingsError(_("A published record is never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise MeetingsError(_("A published record is never changed."))


class MeetingQuerySet(VersionBumpingQuerySet):
    bumps_versions = (LEDGER_VERSION_KEY,)  # the equal-access ledger counts meetings

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).exclude(status=Meeting.Status.CANCELLED)

    def unconfirmed(self, now=None):
        """Scheduled meetings that are over and whose outcome nobody has recorded: not counted as contact."""
        return self.filter(status=Meeting.Status.SCHEDULED, outcome="", ends_at__lte=now or timezone.now())

    def for_person(self, user):
        """Meetings of the person's committees, those their workplaces host or are invited to, and those where the
        chair has accepted their request to present a matter (the hearings' foretræde)."""
        roles = user.roles
        workplaces = list(roles.workplace_roles)
        presents = Q(pk__in=[])
        if roles.led_workplace_ids:
            presents = Q(
                pk__in=self.model.objects.filter(
                    committee__matters__meeting_date__date=models.F("starts_at__date"),
                    committee__matters__hearings__presentation__status="accepted",
                    committee__matters__hearings__presentation__requested_by=user,
                ).values("pk")
            )
        mine = Q(committee_id__in=roles.committee_ids) | presents
        if workplaces:  # most politicians have no role at a workplace: no clauses that match nothing to build
            # EXISTS rather than a join on the invitations and DISTINCT: the same rows, and PostgreSQL plans it in about
            # a millisecond where the join with DISTINCT over every selected column took 12-20 (issue 19).
            invited = models.Exists(
                MeetingInvitation.objects.filter(meeting_id=models.OuterRef("pk"), workplace_id__in=workplaces)
            )
            mine |= Q(host_id__in=workplaces) | invited
        return self.filter(mine)

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.roles.is_administrator:
            return self
        return self.for_person(user)


class Meeting(BorrowedVenue):
    """A published on-site committee meeting with its dialogue part."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    class Outcome(models.TextChoices):
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Did not take place")
        CANCELLED_LATE = "cancelled_late", _("Cancelled late")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="meetings"
    )
    plan = models.ForeignKey(RotationPlan, on_delete=models.PROTECT, related_name="published_meetings")
    host = models.ForeignKey(
        Workplace,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    agenda_url = models.URLField(
        _("link to the agenda"), blank=True, help_text=_("The committee's own agenda, outside the portal.")
    )
    programme = models.TextField(_("programme for the on-site part"), blank=True)
    presentation = models.TextField(
        _("what the workplace will present"), blank=True, help_text=_("Written by the host.")
    )
    minutes = models.TextField(_("short minutes of the on-site dialogue"), blank=True)
    why = models.TextField(_("why this host"), blank=True)
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    # What happened, recorded after the meeting by the host's leader, the chair or the secretariat
    # (``services.meeting_outcome_record``). Empty: not confirmed yet, and not counted as contact.
    outcome = models.CharField(_("what happened"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    outcome_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    outcome_reminders = models.PositiveSmallIntegerField(_("reminders to confirm what happened"), default=0)
    outcome_reminded_at = models.DateTimeField(_("last reminded to confirm"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["committee", "starts_at"]), models.Index(fields=["host", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            _one_room("meeting_one_room"),
            # A borrowed room is never given to two meetings on the same day, by any path (services lock the rooms
            # and refuse in words first; this holds for two publishes at once, the shell and the admin alike).
            _room_once_a_day("venue", "meeting_venue_once_a_day"),
            _room_once_a_day("venue_workplace", "meeting_lent_room_once_a_day"),
        ]

    def __str__(self):
        return f"{self.committee}: {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("meetings:meeting-detail", args=[self.pk])

    @property
    def local_date(self) -> dt.date:
        return self.starts_at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_held(self) -> bool:
        return self.outcome == self.Outcome.HELD

    @property
    def is_unconfirmed(self) -> bool:
        """Over, scheduled, and nobody has said yet whether it took place."""
        return self.status == self.Status.SCHEDULED and not self.outcome and self.is_past


class MeetingInvitationQuerySet(VersionBumpingQuerySet):
    bumps_versions = (LEDGER_VERSION_KEY,)  # the equal-access ledger counts the guests who came
    row_version_fields = ("workplace_id",)

    def row_versions(self, rows):
        """The calendar feeds of everyone at the invited workplaces show the meeting."""
        return feeds_version_keys(workplaces=[row["workplace_id"] for row in rows])


class MeetingInvitation(models.Model):
    """A workplace invited as a guest to a meeting's dialogue part."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    workplace = models.ForeignKey(Workplace, on_delete=models.PROTECT, related_name="meeting_invitations")
    attended = models.BooleanField(_("took part"), null=True, blank=True)

    objects = MeetingInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting invitation")
        verbose_name_plural = _("meeting invitations")
        constraints = [models.UniqueConstraint(fields=["meeting", "workplace"], name="invitation_once")]

    def __str__(self):
        return f"{self.workplace} → {self.meeting}"


class MeetingEvent(models.Model):
    """An immutable record of one change to a published meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")
        ordering = ["created_at", "pk"]

    LABELS = {
        "published": _("Published"),
        "moved": _("Moved"),
        "updated": _("Agenda or programme changed"),
        "presentation": _("The host said what it will present"),
        "minutes": _("Minutes written"),
        "cancellation_requested": _("The host asked to hand the meeting on"),
        "replanned": _("Re-planned with a new host"),
        "outcome_held": _("Confirmed as held"),
        "outcome_no_show": _("Confirmed as not taken place"),
        "outcome_cancelled_late": _("Confirmed as cancelled late"),
    }

    def __str__(self):
        return f"{self.meeting}: {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Meeting events are immutable.")
        super().save(*args, **kwargs)

    def get_action_label(self) -> str:
        return str(self.LABELS.get(self.action, self.action))


class HostingQuerySet(VersionBumpingQuerySet):
    def counted(self):
        """The hostings the rotation's fairness counts: imported history, and the portal's meetings unless the
        meeting was cancelled or is recorded as not taken place or cancelled late. Worked out from the meeting as it
        stands, so it holds whichever path changed the meeting (a service, the admin, the shell): a hosting that did
        not happen does not cost the workplace its turn. A meeting not yet confirmed still counts, or the
        next year's plan would give the same workplace the turn again before anyone could confirm it."""
        return self.filter(
            Q(meeting__isnull=True)
            | Q(meeting__status=Meeting.Status.SCHEDULED, meeting__outcome__in=["", Meeting.Outcome.HELD])
        )

    def not_counted(self):
        """The portal's hostings whose meeting did not happen (cancelled, not taken place or cancelled late)."""
        return self.filter(
            Q(meeting__status=Meeting.Status.CANCELLED)
            | Q(meeting__outcome__in=[Meeting.Outcome.NO_SHOW, Meeting.Outcome.CANCELLED_LATE])
        )


class Hosting(models.Model):
    """A workplace hosted the committee on a date: from the portal's meetings or imported history. The row stays
    when its meeting does not happen (the trace of who was to host); ``Hosting.objects.counted()`` leaves it out."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("Published in the portal")
        IMPORT = "import", _("Imported history")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="hostings"
    )
    workplace = models.ForeignKey(
        Workplace, verbose_name=_("workplace"), on_delete=models.CASCADE, related_name="hostings"
    )
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    meeting = models.OneToOneField(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="hosting")

    # Bulk writes (the import, a moved meeting's date) replace the model's version: the review page reads hostings.
    objects = HostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("hosting")
        verbose_name_plural = _("hostings")
        ordering = ["committee", "date"]
        constraints = [models.UniqueConstraint(fields=["committee", "date"], name="hosting_one_host_a_day")]
        indexes = [models.Index(fields=["workplace", "date"])]

    def __str__(self):
        return f"{self.workplace} hosted {self.committee} {self.date:%Y-%m-%d}"


class MeetingReminder(models.Model):
    """A reminder sent for a meeting (28 or 7 days before), so it is never sent twice."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        constraints = [models.UniqueConstraint(fields=["meeting", "days_before"], name="meeting_reminder_once")]

    def __str__(self):
        return f"{self.meeting} −{self.days_before}"


class CancellationRequest(models.Model):
    """A host asks the secretariat to re-plan its meeting."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the secretariat")
        REPLANNED = "replanned", _("Re-planned")
        REFUSED = "refused", _("Kept as planned")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="cancellation_requests"
    )
    workplace = models.ForeignKey(Workplace, verbose_name=_("workplace"), on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = VersionBumpingQuerySet.as_manager()

    class Meta:
        verbose_name = _("cancellation request")
        verbose_name_plural = _("cancellation requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting"], condition=Q(status="open"), name="one_open_cancellation")
        ]

    def __str__(self):
        return f"{self.meeting} ({self.get_status_display()})"


class PlanningRun(models.Model):
    """One run of the planning task: queued, running, done or failed, with progress for the page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Planning")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    committee = models.ForeignKey(Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(_("step"), max_length=200, blank=True)
    percent = models.PositiveSmallIntegerField(_("percent"), default=0)
    error = models.TextField(blank=True)
    plan = models.ForeignKey(RotationPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # The worker's progress is written with ``update()``: it replaces the runs' version (the review page keeps
    # whether a run is under way, core.versioned_cache).
    objects = VersionBumpingQuerySet.as_manager()

    class Meta:
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.committee} {self.year}: {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("meetings:planning-run", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class LedgerSnapshotQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-month")


class LedgerSnapshot(models.Model):
    """The equal-access ledger as it stood at the end of a month, published on the public pages: per committee and
    workplace, the contacts of the 12 and 24 months up to the end of ``month``. Names and counts only, no person.
    An immutable record: written once by the monthly job, never changed; ``digest`` is the SHA-256 of the canonical
    JSON of ``rows``, so a copy can be checked against it."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month the ledger covers."))
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    # [{"committee", "committee_slug", "workplace", "workplace_slug", "hosted_12", "hosted_24", "attended_12",
    #   "attended_24", "visits_12", "visits_24"}], by committee and then workplace name.
    rows = models.JSONField(_("rows"), default=list)
    digest = models.CharField(_("digest"), max_length=64)

    objects = LedgerSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("published ledger")
        verbose_name_plural = _("published ledgers")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A published ledger is immutable.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:public-ledger", args=[self.month.year, self.month.month])
