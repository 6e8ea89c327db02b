"""Workplace visits: leaders offer times, politicians book them, both give feedback afterwards.

Offers are materialised into slots, one row per bookable time, so capacity is a counter on a row
that can be locked and is checked by the database (``booked_count <= capacity``).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import history_queryset
from core.versioned_cache import VersionBumpingQuerySet

from ..errors import MeetingsError
from ..workdays import closed_days_of_year
from .organisation import LEDGER_VERSION_KEY, Blackout, Workplace, feeds_version_keys

MAX_POLITICIANS_PER_SLOT = 20


class VisitSettings(models.Model):
    """How one workplace receives visits."""

    workplace = models.OneToOneField(
        Workplace, on_delete=models.CASCADE, related_name="visit_settings", verbose_name=_("workplace")
    )
    auto_confirm = models.BooleanField(
        _("confirm bookings automatically"),
        default=False,
        help_text=_("If off, you confirm or decline each booking yourself."),
    )
    monthly_cap = models.PositiveSmallIntegerField(
        _("at most this many visits a month"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit. A limit spreads the politicians' attention to other workplaces."),
    )
    booking_notice_days = models.PositiveSmallIntegerField(
        _("book at least this many working days ahead"),
        default=2,
        help_text=_("Weekends and public holidays do not count. 0 lets politicians book until the time starts."),
    )
    cancel_notice_days = models.PositiveSmallIntegerField(
        _("cancel at least this many working days ahead"),
        default=2,
        help_text=_("A visit can still be cancelled later, but it is recorded as a late cancellation."),
    )

    objects = VersionBumpingQuerySet.as_manager()  # a tracked model (core.versioned_cache): bulk writes bump

    class Meta:
        verbose_name = _("visit settings")
        verbose_name_plural = _("visit settings")

    def __str__(self):
        return str(self.workplace)


class VisitOffer(models.Model):
    """Times a leader offers: one window on one day, or a weekly window over a period."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single time")
        WEEKLY = "weekly", _("Every week")

    workplace = models.ForeignKey(
        Workplace, on_delete=models.CASCADE, related_name="visit_offers", verbose_name=_("workplace")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)  # 1 = Monday … 7 = Sunday
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("to"), null=True, blank=True)
    first_day = models.DateField(_("first day"), null=True, blank=True)
    last_day = models.DateField(_("last day"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("length of a visit (minutes)"), default=60)
    min_politicians = models.PositiveSmallIntegerField(_("fewest politicians"), default=1)
    max_politicians = models.PositiveSmallIntegerField(_("most politicians at once"), default=4)
    topics = models.TextField(_("what we would like to show"), blank=True)
    practical_notes = models.TextField(
        _("practical notes"), blank=True, help_text=_("Where to meet, parking, step-free access.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)

    # Its bulk writes replace its model version too (core.versioned_cache).
    objects = VersionBumpingQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit offer")
        verbose_name_plural = _("visit offers")
        ordering = ["workplace__name", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(min_politicians__gte=1), name="visit_offer_min_1"),
            models.CheckConstraint(
                condition=Q(max_politicians__gte=models.F("min_politicians"))
                & Q(max_politicians__lte=MAX_POLITICIANS_PER_SLOT),
                name="visit_offer_max_gte_min",
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=15), name="visit_offer_slot_min_15"),
            models.CheckConstraint(
                condition=(
                    Q(kind="single", starts_at__isnull=False, ends_at__gt=models.F("starts_at"))
                    | Q(
                        kind="weekly",
                        weekday__gte=1,
                        weekday__lte=7,
                        start_time__isnull=False,
                        end_time__gt=models.F("start_time"),
                        first_day__isnull=False,
                        last_day__gte=models.F("first_day"),
                    )
                ),
                name="visit_offer_kind_fields",
            ),
        ]

    def __str__(self):
        return f"{self.workplace}: {self.get_kind_display()}"


class VisitSlotQuerySet(VersionBumpingQuerySet):
    def not_blacked_out(self):
        return self.exclude(
            Exists(
                Blackout.objects.filter(
                    workplace_id=OuterRef("workplace_id"), first_day__lte=OuterRef("day"), last_day__gte=OuterRef("day")
                )
            )
        )

    def on_working_days(self, now=None):
        """Slots on days the municipality works: no weekends, no public holidays or municipal closed days
        (``meetings.workdays``), for times from this year to two years ahead (a weekly offer spans at most a year)."""
        year = timezone.localdate(now or timezone.now()).year
        closed = [day for y in range(year - 1, year + 3) for day in closed_days_of_year(y)]
        # Django's week_day: 1 = Sunday, 7 = Saturday.
        return self.exclude(day__week_day__in=(1, 7)).exclude(day__in=closed)

    def open(self, now=None):
        """Slots a politician can book now: future, not cancelled, with room, on a working day, not blacked out."""
        return (
            self.filter(
                cancelled=False,
                offer__active=True,
                starts_at__gt=now or timezone.now(),
                booked_count__lt=models.F("capacity"),
            )
            .on_working_days(now)
            .not_blacked_out()
        )


class VisitSlot(models.Model):
    """One bookable time at a workplace, generated from an offer."""

    workplace = models.ForeignKey(
        Workplace, on_delete=models.CASCADE, related_name="visit_slots", verbose_name=_("workplace")
    )
    offer = models.ForeignKey(VisitOffer, on_delete=models.CASCADE, related_name="slots", verbose_name=_("offer"))
    day = models.DateField(_("day"))  # the local day of starts_at, for blackout lookups
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    booked_count = models.PositiveSmallIntegerField(_("places booked"), default=0)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # One place held for the first on the waiting list until held_until (see services.waitlist_*).
    held_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held for"),
    )
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)

    objects = VisitSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit slot")
        verbose_name_plural = _("visit slots")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["workplace", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(booked_count__gte=0), name="visit_slot_booked_not_negative"),
            models.CheckConstraint(
                condition=Q(booked_count__lte=models.F("capacity")), name="visit_slot_within_capacity"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="visit_slot_ends_after_start"),
            models.UniqueConstraint(fields=["offer", "starts_at"], name="visit_slot_unique_per_offer"),
        ]

    def __str__(self):
        return f"{self.workplace}: {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.booked_count, 0)

    def is_held(self, now=None) -> bool:
        """One place is held for someone on the waiting list."""
        return bool(self.held_for_id and self.held_until and self.held_until > (now or timezone.now()))

    def places_for(self, person, now=None) -> int:
        """Free places this person can take: a place held for someone else is not theirs."""
        held = 1 if self.is_held(now) and self.held_for_id != getattr(person, "pk", None) else 0
        return max(self.free_places - held, 0)


HISTORY_IS_KEPT = _("This is a record of what happened and is kept as it was.")


_KeptQuerySet = history_queryset(MeetingsError, HISTORY_IS_KEPT)  # rows that are history


class _Kept(models.Model):
    """A row written once and never changed or deleted, by any path (a page, the admin, the shell)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise MeetingsError(HISTORY_IS_KEPT)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise MeetingsError(HISTORY_IS_KEPT)


class VisitQuerySet(VersionBumpingQuerySet):
    bumps_versions = (LEDGER_VERSION_KEY,)  # the equal-access ledger counts visits

    def delete(self):
        raise MeetingsError(_("A visit is never deleted; cancel it instead, so everyone involved is told."))

    delete.alters_data = True
    delete.queryset_only = True

    def active(self):
        """Visits that take a place and the politicians' time."""
        return self.filter(status__in=Visit.ACTIVE_STATUSES)

    def upcoming(self, now=None):
        return self.active().filter(ends_at__gte=now or timezone.now())

    def awaiting_confirmation(self):
        return self.filter(status=Visit.Status.REQUESTED)

    def unconfirmed(self, now=None):
        """Confirmed visits whose time is over and whose outcome nobody has recorded yet: not counted as contact."""
        return self.filter(status=Visit.Status.CONFIRMED, ends_at__lte=now or timezone.now())

    def with_person(self, user):
        return self.filter(Exists(VisitParticipant.objects.filter(visit=OuterRef("pk"), person=user)))

    def visible_to(self, user):
        """Participants, the workplace's leaders and administrators see a visit."""
        if not user.is_authenticated:
            return self.none()
        roles = user.roles
        if roles.is_administrator:
            return self
        participant = Exists(VisitParticipant.objects.filter(visit=OuterRef("pk"), person=user))
        return self.filter(participant | Q(workplace_id__in=roles.led_workplace_ids))


class Visit(models.Model):
    """A booking: one or two politicians visit a workplace in a slot."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Did not take place")

    ACTIVE_STATUSES = (Status.REQUESTED, Status.CONFIRMED, Status.HELD)
    # What the leader or a politician records once the time is over (``services.visit_outcome_record``).
    OUTCOMES = ("held", "no_show", "cancelled_late")

    slot = models.ForeignKey(VisitSlot, on_delete=models.PROTECT, related_name="visits", verbose_name=_("slot"))
    workplace = models.ForeignKey(
        Workplace, on_delete=models.PROTECT, related_name="visits", verbose_name=_("workplace")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="booked_visits", verbose_name=_("booked by")
    )
    purpose = models.TextField(_("purpose of the visit"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    seats = models.PositiveSmallIntegerField(_("places taken"), default=1)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    cancelled_late = models.BooleanField(_("cancelled late"), default=False)
    tie_seen = models.BooleanField(_("declared tie seen when booking"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Reminders to record what happened (``services.visit_outcome_reminders_send``): how many, and the last.
    outcome_reminders = models.PositiveSmallIntegerField(_("reminders to confirm what happened"), default=0)
    outcome_reminded_at = models.DateTimeField(_("last reminded to confirm"), null=True, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["workplace", "status", "starts_at"]),
            # The secretariat's list (newest first, paged) and everyone's coming visits (by end time) read these;
            # without them PostgreSQL sorted or scanned all 50,000 visits of the benchmark for each page.
            # The finder's count of each workplace's visits in the last 12 months (the whole municipality's, when
            # it is built anew) reads the status and the workplace from this index alone, not 1,100 pages of visits.
            models.Index(fields=["starts_at"], include=["status", "workplace", "id"], name="visit_starts_at"),
            models.Index(fields=["ends_at"], name="visit_ends_at"),
            # Confirmed visits are few (the coming ones and those over that nobody has confirmed yet): the
            # dashboards' "did it take place?" list reads them by end time instead of scanning every visit.
            models.Index(fields=["ends_at"], condition=Q(status="confirmed"), name="visit_confirmed_ends_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="visit_ends_after_start"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="visit_seats_at_least_1"),
        ]

    def __str__(self):
        return f"{self.workplace}: {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("meetings:visit-detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        # Deleting would take its events along and leave its place booked; cancelling frees it and tells everyone.
        raise MeetingsError(_("A visit is never deleted; cancel it instead, so everyone involved is told."))

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_unconfirmed(self) -> bool:
        """Over, but nobody has said yet whether it took place."""
        return self.status == self.Status.CONFIRMED and self.ends_at <= timezone.now()


class VisitParticipantQuerySet(VersionBumpingQuerySet):
    row_version_fields = ("person_id", "visit_id", "visit__workplace_id")

    def row_versions(self, rows):
        """The calendar feeds of the participants, of their fellow participants (each event names everyone who takes
        part) and of everyone at the visit's workplace."""
        visits = {row["visit_id"] for row in rows}
        fellows = VisitParticipant.objects.filter(visit_id__in=visits).values_list("person_id", flat=True)
        return feeds_version_keys(
            people={row["person_id"] for row in rows} | set(fellows),
            workplaces={row["visit__workplace_id"] for row in rows},
        )


class VisitParticipant(models.Model):
    """A politician who takes part in a visit: the booker and an optional colleague."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="participants", verbose_name=_("visit"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visit_participations",
        verbose_name=_("person"),
    )

    # Its bulk writes (the booking's bulk_create) replace its model version and the feeds' row versions.
    objects = VisitParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit participant")
        verbose_name_plural = _("visit participants")
        constraints = [models.UniqueConstraint(fields=["visit", "person"], name="visit_participant_once")]

    def __str__(self):
        return f"{self.person} – {self.visit}"


class VisitEvent(_Kept):
    """An immutable record of one change to a visit: who, from which status to which, when and why."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        CANCELLED_LATE = "cancelled_late", _("Cancelled late")
        MOVED = "moved", _("Moved")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Did not take place")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="events", verbose_name=_("visit"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Visit.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Visit.Status.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = _KeptQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.visit}: {self.get_action_display()}"


class VisitFeedback(_Kept):
    """After a visit: a politician's short feedback with a rating, or the workplace's own note. Once given, kept."""

    class Kind(models.TextChoices):
        POLITICIAN = "politician", _("Politician")
        WORKPLACE = "workplace", _("Workplace")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("visit"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("feedback"))
    rating = models.PositiveSmallIntegerField(_("how useful (1–5)"), null=True, blank=True)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    objects = _KeptQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit feedback")
        verbose_name_plural = _("visit feedback")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "author"], name="visit_feedback_once_per_author"),
            models.CheckConstraint(
                condition=Q(kind="politician", rating__gte=1, rating__lte=5) | Q(kind="workplace", rating__isnull=True),
                name="visit_feedback_rating",
            ),
        ]

    def __str__(self):
        return f"{self.visit} – {self.author}"


class WorkplaceTie(models.Model):
    """A politician's declared tie to a workplace, shown when they book a visit there."""

    class Kind(models.TextChoices):
        EMPLOYED = "employed", _("I am employed there")
        RELATIVE = "relative", _("A child or close relative of mine is there")
        BOARD = "board", _("I am a board member there")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workplace_ties", verbose_name=_("person")
    )
    workplace = models.ForeignKey(Workplace, on_delete=models.CASCADE, related_name="ties", verbose_name=_("workplace"))
    kind = models.CharField(_("tie"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared tie")
        verbose_name_plural = _("declared ties")
        ordering = ["workplace__name", "kind"]
        constraints = [models.UniqueConstraint(fields=["person", "workplace", "kind"], name="workplace_tie_once")]

    def __str__(self):
        return f"{self.person} – {self.workplace} ({self.get_kind_display()})"


class WaitlistEntryQuerySet(VersionBumpingQuerySet):
    def in_line(self):
        """Entries still on the list: waiting, or offered a held time."""
        return self.filter(status__in=WaitlistEntry.IN_LINE)


class WaitlistEntry(models.Model):
    """A politician asks to be told when a time opens at a workplace. The first in line is offered the time that
    opens, held for them for a while; when the hold lapses, the next in line is offered it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Time held")
        BOOKED = "booked", _("Booked")
        LAPSED = "lapsed", _("Hold lapsed")
        LEFT = "left", _("Left the list")

    IN_LINE = (Status.WAITING, Status.OFFERED)

    workplace = models.ForeignKey(
        Workplace, on_delete=models.CASCADE, related_name="waitlist_entries", verbose_name=_("workplace")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)
    offered_slot = models.ForeignKey(
        VisitSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("time held")
    )
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    hold_until = models.DateTimeField(_("held until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = WaitlistEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["workplace", "status", "created_at"], name="waitlist_line")]
        constraints = [
            models.UniqueConstraint(
                fields=["workplace", "person"], condition=Q(status__in=["waiting", "offered"]), name="waitlist_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(hold_until__isnull=False),
                name="waitlist_offer_has_hold",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.workplace} ({self.get_status_display()})"

    def holds_now(self, now=None) -> bool:
        return self.status == self.Status.OFFERED and self.hold_until > (now or timezone.now())


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeedToken(models.Model):
    """The secret in a person's private calendar feed address; revoking it stops the old address."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens", verbose_name=_("person")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = CalendarFeedTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(revoked_at__isnull=True), name="one_usable_calendar_token"
            )
        ]

    def __str__(self):
        return f"{self.person} ({'revoked' if self.revoked_at else 'in use'})"

    def get_absolute_url(self):
        return reverse("meetings:calendar-feed", args=[self.token])
