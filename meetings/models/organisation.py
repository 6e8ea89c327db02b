"""The organisation that meets: people, committees, workplaces and their roles."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.versioned_cache import VersionBumpingQuerySet, version_bump, versioned_get_or_set, versioned_prefetch


def _today() -> dt.date:
    return timezone.localdate()


class UserManager(BaseUserManager.from_queryset(VersionBumpingQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person: logs in by e-mail. Roles come from memberships and workplace roles;
    administrators (the secretariat) are staff."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    # Set when the person's personal data was erased (GDPR); the row stays as a pseudonym for the records.
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True, editable=False)
    # The language the person chose (profile or the language switch); empty until they choose: the portal is
    # Danish to everyone until then. Pages and e-mails to them follow it (meetings/middleware.py, core/mail.py).
    language = models.CharField(_("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_administrator(self) -> bool:
        return self.is_active and self.is_staff

    @property
    def roles(self) -> "UserRoles":
        """The person's roles today, computed once per request object."""
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = UserRoles.for_user(self)
            self._roles_cache = cached
        return cached


# The roles are cached per person (core/versioned_cache.py), valid while two versions and today's date are
# unchanged: the person's own version, replaced whenever one of their seats or workplace roles (or its dates) is
# saved or deleted (signals in meetings/signals.py), and a version shared by everyone, replaced after bulk writes
# that send no signals (the import, erasure, the demo). A role that ends or begins at midnight counts from the next
# day's first request. Administrators are read from the person's own row, never cached. The entries also expire,
# which bounds what a lost bump (a cache outage while roles changed) can leave behind.
ROLES_VERSION_KEY = "roles:version"
_PERSON_VERSION_KEY = "roles:version:{pk}"
_ROLES_KEY = "roles:{pk}"
_ROLES_SECONDS = 10 * 60
_PERSON_KEY = "person:{pk}"
_TOTP_KEY = "person:totp:{pk}"
# The person's row and second factors have a version of their own: a changed seat does not reload the person, nor
# a saved person their roles. The version for everyone (``roles_version_bump()``) covers both.
_PERSON_ROW_VERSION_KEY = "person:version:{pk}"


def roles_version_keys(user_id: int) -> list[str]:
    """The versions a person's cached roles are valid under (the calendar feeds depend on them too)."""
    return [ROLES_VERSION_KEY, _PERSON_VERSION_KEY.format(pk=user_id)]


def roles_version_bump(user_id: int | None = None) -> None:
    """The cached roles of one person (or, without ``user_id``, of everyone) are out of date."""
    version_bump(ROLES_VERSION_KEY if user_id is None else _PERSON_VERSION_KEY.format(pk=user_id))


# The equal-access ledger's counts are cached per committee (meetings/rotation/selectors.py, ``ledger_page``) under
# one version, replaced whenever a workplace (or its committees), a meeting, a meeting invitation or a visit is
# saved or deleted (signals in meetings/signals.py) or written in bulk (their QuerySets, ``VersionBumpingQuerySet``).
LEDGER_VERSION_KEY = "ledger:version"


def ledger_version_bump() -> None:
    """The cached equal-access ledgers are out of date."""
    version_bump(LEDGER_VERSION_KEY)


# The calendar feeds' versions (meetings/feeds.py): everyone's, a person's, a workplace's and a committee's. Here,
# below the feeds, so the QuerySets of what the feeds show replace them on bulk writes (``VersionBumpingQuerySet``).
FEEDS_VERSION_KEY = "feeds:version"
# People's names as cached pages show them. People have no model version a page may use (every login saves the
# person's row): a name saved anew replaces the feeds' version for everyone, a bulk write of people (the import,
# erasure) the roles' version for everyone. A page that shows names is keyed by both.
NAME_VERSION_KEYS = (FEEDS_VERSION_KEY, ROLES_VERSION_KEY)
_FEEDS_PERSON_KEY = "feeds:version:person:{pk}"
_FEEDS_WORKPLACE_KEY = "feeds:version:workplace:{pk}"
_FEEDS_COMMITTEE_KEY = "feeds:version:committee:{pk}"


def feeds_version_keys(
    *,
    people: Iterable[int | None] = (),
    workplaces: Iterable[int | None] = (),
    committees: Iterable[int | None] = (),
    everyone: bool = False,
) -> set[str]:
    """The versions of the feeds of these people, of everyone at these workplaces and in these committees (or of
    everyone)."""
    keys = {FEEDS_VERSION_KEY} if everyone else set()
    keys.update(_FEEDS_PERSON_KEY.format(pk=pk) for pk in people if pk)
    keys.update(_FEEDS_WORKPLACE_KEY.format(pk=pk) for pk in workplaces if pk)
    keys.update(_FEEDS_COMMITTEE_KEY.format(pk=pk) for pk in committees if pk)
    return keys


def person_version_keys(pk) -> list[str]:
    """The versions every save of this one person replaces (a login, a new flag, a new name), and those of everyone:
    a page of the person's own that must follow their row, without following every other person's login."""
    return [ROLES_VERSION_KEY, _PERSON_ROW_VERSION_KEY.format(pk=pk)]


def person_version_bump(pk) -> None:
    """The cached row of one person (``person_cached``) and their TOTP flag are out of date."""
    version_bump(_PERSON_ROW_VERSION_KEY.format(pk=pk))


def person_cached(pk) -> "User | None":
    """The person's row as the session's login loads it on every request, cached under the version for everyone
    and the person's own (issue 19): every save or delete of the person replaces it (meetings/signals.py), so a new
    password, a deactivation or an erasure shows on the very next request. None if there is no such person.
    A bulk write to people (an ``update()``, which sends no signals) must call ``roles_version_bump()``."""
    versions = [ROLES_VERSION_KEY, _PERSON_ROW_VERSION_KEY.format(pk=pk)]
    # Their roles and TOTP flag come in the same round trip: every signed-in page asks for the roles next.
    read = versioned_prefetch(
        [
            *versions,
            _PERSON_VERSION_KEY.format(pk=pk),
            _PERSON_KEY.format(pk=pk),
            _ROLES_KEY.format(pk=pk),
            _TOTP_KEY.format(pk=pk),
        ]
    )
    person = versioned_get_or_set(
        _PERSON_KEY.format(pk=pk),
        versions,
        lambda: User._default_manager.filter(pk=pk).first(),
        timeout=_ROLES_SECONDS,
        read=read,
    )
    if person is not None:
        person._versioned_read = read
    return person


def totp_enabled_cached(user, compute) -> bool:
    """Whether the person has activated TOTP (``compute()`` asks the database), cached with the person's row:
    saving or deleting one of their second factors replaces its version (meetings/signals.py)."""
    return versioned_get_or_set(
        _TOTP_KEY.format(pk=user.pk),
        [ROLES_VERSION_KEY, _PERSON_ROW_VERSION_KEY.format(pk=user.pk)],
        compute,
        timeout=_ROLES_SECONDS,
        read=getattr(user, "_versioned_read", None),
    )


class UserRoles:
    """What a person is today: administrator, politician, leader, trio member."""

    def __init__(
        self, *, administrator, committee_ids, chair_committee_ids, workplace_roles, vice_chair_committee_ids=()
    ):
        self.is_administrator = administrator
        self.committee_ids = frozenset(committee_ids)
        self.chair_committee_ids = frozenset(chair_committee_ids)
        self.vice_chair_committee_ids = frozenset(vice_chair_committee_ids)
        self.workplace_roles = workplace_roles  # {workplace_id: {role, ...}}

    @classmethod
    def of(cls, user) -> "UserRoles":
        """The roles every permission check reads: the signed-in person's, computed once per request
        (``User.roles``); none at all for the anonymous visitor (or no user), so a check needs no guard of its own."""
        if user is None or not user.is_authenticated:
            return NO_ROLES
        return user.roles

    @classmethod
    def for_user(cls, user) -> "UserRoles":
        if not user.is_authenticated:
            return cls(administrator=False, committee_ids=(), chair_committee_ids=(), workplace_roles={})
        # Every signed-in page needs them: read from the cache (one round trip), else from the database (one query).
        rows = versioned_get_or_set(
            _ROLES_KEY.format(pk=user.pk),
            roles_version_keys(user.pk),
            lambda: cls._rows(user),
            also=_today().isoformat(),
            timeout=_ROLES_SECONDS,
            read=getattr(user, "_versioned_read", None),  # read with the person (``person_cached``)
        )
        return cls._from_rows(user, rows)

    @staticmethod
    def _rows(user) -> list[tuple[str, int, str]]:
        """The person's seats and workplace roles today, in one query: (kind, committee or workplace id, role)."""
        kind = models.CharField()
        seats = (
            CommitteeMembership.objects.current()
            .filter(user=user)
            .annotate(kind=models.Value("committee", output_field=kind))
            .values_list("kind", "committee_id", "role")
            .order_by()
        )
        places = (
            WorkplaceRole.objects.current()
            .filter(user=user)
            .annotate(kind=models.Value("workplace", output_field=kind))
            .values_list("kind", "workplace_id", "role")
            .order_by()
        )
        return [tuple(row) for row in seats.union(places, all=True)]

    @classmethod
    def _from_rows(cls, user, rows) -> "UserRoles":
        memberships: list[tuple[int, str]] = []
        wp_roles: dict[int, set[str]] = {}
        for row_kind, pk, role in rows:
            if row_kind == "committee":
                memberships.append((pk, role))
            else:
                wp_roles.setdefault(pk, set()).add(role)
        return cls(
            administrator=user.is_administrator,
            committee_ids=[c for c, _r in memberships],
            chair_committee_ids=[c for c, r in memberships if r == CommitteeMembership.Role.CHAIR],
            vice_chair_committee_ids=[c for c, r in memberships if r == CommitteeMembership.Role.VICE_CHAIR],
            workplace_roles=wp_roles,
        )

    @property
    def is_politician(self) -> bool:
        return bool(self.committee_ids)

    def at(self, workplace_id: int | None) -> frozenset[str]:
        """The person's roles at one workplace (leader, trio, employee), none when they hold none there."""
        return frozenset(self.workplace_roles.get(workplace_id, ()))

    def chairs(self, committee_id: int | None) -> bool:
        """Chair or vice-chair of the committee (the vice-chair acts in the chair's absence)."""
        return committee_id in self.chair_committee_ids or committee_id in self.vice_chair_committee_ids

    @property
    def led_workplace_ids(self) -> frozenset[int]:
        return frozenset(w for w, r in self.workplace_roles.items() if WorkplaceRole.Role.LEADER in r)

    @property
    def is_leader(self) -> bool:
        return bool(self.led_workplace_ids)

    @property
    def is_trio(self) -> bool:
        return any(r & {WorkplaceRole.Role.TRIO, WorkplaceRole.Role.EMPLOYEE} for r in self.workplace_roles.values())

    @property
    def menu_key(self) -> str:
        """What the navigation menu shows depends on: which of the four roles the person has (its cache key)."""
        flags = (self.is_administrator, self.is_politician, self.is_leader, self.is_trio)
        return "".join("1" if flag else "0" for flag in flags)

    def labels(self) -> list[str]:
        out = []
        if self.is_administrator:
            out.append(str(_("Administrator")))
        if self.is_politician:
            out.append(str(_("Politician")))
        if self.is_leader:
            out.append(str(_("Workplace leader")))
        if self.is_trio:
            out.append(str(_("Trio member")))
        return out


NO_ROLES = UserRoles(administrator=False, committee_ids=(), chair_committee_ids=(), workplace_roles={})


class DatedQuerySet(VersionBumpingQuerySet):
    """Rows with a start and an optional end date."""

    def current(self, on: dt.date | None = None):
        on = on or _today()
        return self.filter(Q(start_date__lte=on) | Q(start_date__isnull=True)).filter(
            Q(end_date__gte=on) | Q(end_date__isnull=True)
        )


class Dated(models.Model):
    """A role held for a period: from ``start_date`` until ``end_date`` (open-ended when empty)."""

    start_date = models.DateField(_("start date"), default=_today)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True


class District(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    objects = VersionBumpingQuerySet.as_manager()  # a tracked model (core.versioned_cache): bulk writes bump

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkplaceKind(models.Model):
    """A kind of workplace (school, daycare, …), administered as data."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_plural = models.CharField(_("plural name"), max_length=100, blank=True)

    objects = VersionBumpingQuerySet.as_manager()  # it has a model version (meetings/apps.py)

    class Meta:
        verbose_name = _("kind of workplace")
        verbose_name_plural = _("kinds of workplace")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommitteeQuerySet(VersionBumpingQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        # The organisation is not secret: every signed-in person sees every committee.
        return self if user.is_authenticated else self.none()


class Committee(models.Model):
    """A standing committee (fagudvalg) of politicians."""

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("Monday")
        TUESDAY = 2, _("Tuesday")
        WEDNESDAY = 3, _("Wednesday")
        THURSDAY = 4, _("Thursday")
        FRIDAY = 5, _("Friday")
        SATURDAY = 6, _("Saturday")
        SUNDAY = 7, _("Sunday")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    area = models.TextField(_("area of responsibility"), blank=True)
    meeting_weekday = models.PositiveSmallIntegerField(
        _("meeting weekday"), choices=Weekday.choices, default=Weekday.TUESDAY
    )
    meeting_start = models.TimeField(_("meeting start"), default=dt.time(16, 0))
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=180)
    meeting_nth = models.SmallIntegerField(
        _("which week of the month"),
        default=2,
        help_text=_("1–5 for the first to fifth weekday of the month, -1 for the last."),
    )
    meeting_skip_months = models.JSONField(
        _("months without a meeting"), default=list, blank=True, help_text=_("Month numbers, e.g. [7] for July.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_weekday__gte=1, meeting_weekday__lte=7), name="committee_weekday_1_7"
            ),
            models.CheckConstraint(condition=Q(meeting_minutes__gte=15), name="committee_minutes_min_15"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:committee-detail", args=[self.slug])

    @property
    def meeting_end(self) -> dt.time:
        """When the usual meeting ends: the start plus its length (for "kl. 16.00–19.00")."""
        start = dt.datetime.combine(dt.date(2000, 1, 1), self.meeting_start)
        return (start + dt.timedelta(minutes=self.meeting_minutes)).time()


class CommitteeMembership(Dated):
    """A politician's seat in a committee, for a period."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("committee")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        ordering = ["committee__name", "role", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
            # At most one open-ended chair and vice-chair per committee.
            models.UniqueConstraint(
                fields=["committee", "role"],
                condition=Q(end_date__isnull=True) & Q(role__in=["chair", "vice_chair"]),
                name="one_open_chair_per_committee",
            ),
            models.UniqueConstraint(
                fields=["user", "committee"], condition=Q(end_date__isnull=True), name="one_open_membership"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.committee} ({self.get_role_display()})"


class WorkplaceQuerySet(VersionBumpingQuerySet):
    bumps_versions = (LEDGER_VERSION_KEY,)

    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        return self if user.is_authenticated else self.none()

    def under(self, committee):
        return self.filter(committees=committee)

    def led_by(self, user):
        return self.filter(
            pk__in=WorkplaceRole.objects.current()
            .filter(user=user, role=WorkplaceRole.Role.LEADER)
            .values("workplace_id")
        )


class Workplace(models.Model):
    """A place that delivers welfare: a school, a daycare centre, a nursing home, …"""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(WorkplaceKind, on_delete=models.PROTECT, related_name="workplaces", verbose_name=_("kind"))
    address = models.CharField(_("address"), max_length=300)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="workplaces", verbose_name=_("district")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    committees = models.ManyToManyField(
        Committee, related_name="workplaces", blank=True, verbose_name=_("responsible committees")
    )
    seats = models.PositiveIntegerField(_("seats for a meeting"), default=0)
    step_free = models.BooleanField(_("step-free access"), default=False)
    lends_room = models.BooleanField(
        _("lends its room"),
        default=False,
        help_text=_("Workplaces under the same committee too small to seat it may hold their meeting here."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("core task"), blank=True)

    objects = WorkplaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        ordering = ["name"]
        # The workplace list's order (active first, by name): PostgreSQL reads a page off the index instead of
        # sorting every workplace (issue 19).
        indexes = [models.Index(fields=["-is_active", "name", "id"], name="workplace_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="workplace_lat"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="workplace_lon",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:workplace-detail", args=[self.slug])

    def is_blacked_out(self, day: dt.date) -> bool:
        return self.blackouts.filter(first_day__lte=day, last_day__gte=day).exists()


class HostingWish(models.Model):
    """A month a workplace would like to host its committee in, or would rather not (issue 20). Soft: the planner
    only lets it break ties the fairness rules leave open, and reports every wish it could not meet."""

    class Wish(models.TextChoices):
        PREFER = "prefer", _("Would like to host")
        AVOID = "avoid", _("Would rather not host")

    class Month(models.IntegerChoices):
        JANUARY = 1, _("January")
        FEBRUARY = 2, _("February")
        MARCH = 3, _("March")
        APRIL = 4, _("April")
        MAY = 5, _("May")
        JUNE = 6, _("June")
        JULY = 7, _("July")
        AUGUST = 8, _("August")
        SEPTEMBER = 9, _("September")
        OCTOBER = 10, _("October")
        NOVEMBER = 11, _("November")
        DECEMBER = 12, _("December")

    workplace = models.ForeignKey(
        Workplace, on_delete=models.CASCADE, related_name="hosting_wishes", verbose_name=_("workplace")
    )
    month = models.PositiveSmallIntegerField(_("month"), choices=Month.choices)
    wish = models.CharField(_("wish"), max_length=10, choices=Wish.choices)

    class Meta:
        verbose_name = _("hosting wish")
        verbose_name_plural = _("hosting wishes")
        ordering = ["workplace__name", "month"]
        constraints = [
            models.UniqueConstraint(fields=["workplace", "month"], name="hosting_wish_once_a_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="hosting_wish_month_valid"),
        ]

    def __str__(self):
        return f"{self.workplace}: {self.get_wish_display()} ({self.get_month_display()})"


class VenueQuerySet(VersionBumpingQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Venue(models.Model):
    """One of the municipality's meeting rooms, kept by the secretariat, where a workplace too small to seat its
    committee may host (a borrowed venue, issue 20). The workplace is still the host; the venue gives the seats."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="venues", verbose_name=_("district"))
    seats = models.PositiveIntegerField(_("seats for a meeting"), default=0)
    step_free = models.BooleanField(_("step-free access"), default=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="venue_lat"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180), name="venue_lon"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # The planner and plan_rotation --json name a borrowed room by its slug, venue or lending workplace alike.
        if self.slug and Workplace.objects.filter(slug=self.slug).exists():
            raise ValidationError({"slug": _("A workplace already has this slug. Choose another.")})


class BorrowedVenue(models.Model):
    """The room a meeting borrows: a municipal venue or a workplace that lends its room (at most one is set)."""

    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("venue")
    )
    venue_workplace = models.ForeignKey(
        Workplace,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("venue lent by a workplace"),
    )

    class Meta:
        abstract = True

    @property
    def borrowed_room(self) -> "Venue | Workplace | None":
        """The venue or lending workplace whose room is used; None when the host receives the committee itself."""
        return self.venue or self.venue_workplace


class WorkplaceRole(Dated):
    """A person's role at a workplace: its leader, a trio member (AMR/TR) or an employee."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        TRIO = "trio", _("Trio member")
        EMPLOYEE = "employee", _("Employee")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workplace_roles", verbose_name=_("person")
    )
    workplace = models.ForeignKey(
        Workplace, on_delete=models.CASCADE, related_name="roles", verbose_name=_("workplace")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("For example 'Health and safety representative'.")
    )

    class Meta:
        verbose_name = _("workplace role")
        verbose_name_plural = _("workplace roles")
        ordering = ["workplace__name", "role", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="workplace_role_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["user", "workplace", "role"], condition=Q(end_date__isnull=True), name="one_open_workplace_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.workplace} ({self.get_role_display()})"


class BlackoutQuerySet(VersionBumpingQuerySet):  # bulk writes replace its model version too
    def covering(self, day: dt.date):
        return self.filter(first_day__lte=day, last_day__gte=day)

    def upcoming(self, on: dt.date | None = None):
        return self.filter(last_day__gte=on or _today())


class Blackout(models.Model):
    """Days a workplace cannot host or receive visitors (holidays, closures); both days included."""

    workplace = models.ForeignKey(
        Workplace, on_delete=models.CASCADE, related_name="blackouts", verbose_name=_("workplace")
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = BlackoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("blackout period")
        verbose_name_plural = _("blackout periods")
        ordering = ["workplace__name", "first_day"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="blackout_last_after_first"),
            models.UniqueConstraint(fields=["workplace", "first_day", "last_day"], name="unique_blackout_period"),
        ]

    def __str__(self):
        return f"{self.workplace}: {self.first_day}–{self.last_day}"
