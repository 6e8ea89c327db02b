"""Test data factories, all in one place."""

import datetime as dt

import factory
from django.utils import timezone

from meetings.models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    Meeting,
    RotationPlan,
    User,
    VisitOffer,
    VisitSlot,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
)
from meetings.workdays import add_working_days, is_working_day

TEST_PASSWORD = "Tillid-og-dialog-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@dalby.example")
    full_name = factory.Sequence(lambda n: f"Testperson {n}")
    password = factory.django.Password(TEST_PASSWORD)


class AdministratorFactory(UserFactory):
    is_staff = True
    is_superuser = True


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Iterator(["Nord", "Syd", "Øst", "Vest", "Centrum"])


class WorkplaceKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkplaceKind
        django_get_or_create = ("slug",)

    slug = factory.Iterator(["skole", "dagtilbud", "plejecenter", "jobcenter"])
    name = factory.LazyAttribute(lambda o: o.slug.capitalize())


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"udvalg-{n}")
    name = factory.Sequence(lambda n: f"Udvalg {n}")
    area = "Skoler, dagtilbud og fritid."
    meeting_weekday = 2
    meeting_start = dt.time(16, 0)
    meeting_minutes = 180


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    user = factory.SubFactory(UserFactory)
    committee = factory.SubFactory(CommitteeFactory)
    role = CommitteeMembership.Role.MEMBER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))


class WorkplaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workplace
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"arbejdsplads-{n}")
    name = factory.Sequence(lambda n: f"Arbejdsplads {n}")
    kind = factory.SubFactory(WorkplaceKindFactory)
    district = factory.SubFactory(DistrictFactory)
    address = factory.Sequence(lambda n: f"Skolevej {n}, 4000 Dalby")
    seats = 20

    @factory.post_generation
    def committees(self, create, extracted, **kwargs):
        if create and extracted:
            self.committees.add(*extracted)


class WorkplaceRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkplaceRole

    user = factory.SubFactory(UserFactory)
    workplace = factory.SubFactory(WorkplaceFactory)
    role = WorkplaceRole.Role.LEADER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))


class BlackoutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Blackout

    workplace = factory.SubFactory(WorkplaceFactory)
    first_day = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))
    last_day = factory.LazyAttribute(lambda o: o.first_day + dt.timedelta(days=4))
    reason = "Sommerferie"


def next_weekday_at(hour: int, *, days_ahead: int = 7, minute: int = 0) -> dt.datetime:
    """An aware local datetime ``days_ahead`` days from today at ``hour``, moved to the next working day (off
    weekends, public holidays and the municipality's closed days, where no visit can be booked)."""
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def on_a_working_day(moment: dt.datetime, *, step: int = -1) -> dt.datetime:
    """``moment`` moved by whole days (back with ``step=-1``, so a past time stays past) to the nearest working day,
    at the same local time: a visit can be booked only on a day the workplace is open."""
    local = timezone.localtime(moment)
    day = local.date()
    while not is_working_day(day):
        day += dt.timedelta(days=step)
    return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))


def working_days_after(moment: dt.datetime, days: int) -> dt.datetime:
    """The same local time ``days`` working days later: a second time to book or move to, never on a closed day."""
    local = timezone.localtime(moment)
    day = add_working_days(local.date(), days)
    return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))


class VisitOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitOffer

    workplace = factory.SubFactory(WorkplaceFactory)
    kind = VisitOffer.Kind.SINGLE
    starts_at = factory.LazyFunction(lambda: next_weekday_at(9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    slot_minutes = 60
    topics = "Vores nye legeplads og sprogarbejdet."
    practical_notes = "Mød op i hovedindgangen. Parkering ved hallen."
    created_by = factory.SubFactory(UserFactory)


class VisitSlotFactory(factory.django.DjangoModelFactory):
    """A bookable time; its offer and day follow from the workplace and start."""

    class Meta:
        model = VisitSlot

    workplace = factory.SubFactory(WorkplaceFactory)
    starts_at = factory.LazyFunction(lambda: next_weekday_at(9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    day = factory.LazyAttribute(lambda o: timezone.localtime(o.starts_at).date())
    capacity = 4
    offer = factory.SubFactory(
        VisitOfferFactory,
        workplace=factory.SelfAttribute("..workplace"),
        starts_at=factory.SelfAttribute("..starts_at"),
        ends_at=factory.SelfAttribute("..ends_at"),
        max_politicians=factory.SelfAttribute("..capacity"),
    )


class SharedGoalFactory(factory.django.DjangoModelFactory):
    """A shared goal for the whole municipality this calendar year."""

    class Meta:
        model = "agreements.SharedGoal"

    title = factory.Sequence(lambda n: f"Fælles mål {n}")
    text = "Flere borgere oplever, at de bliver hørt og kan klare sig selv."
    committee = None
    period_start = factory.LazyFunction(lambda: dt.date(timezone.localdate().year, 1, 1))
    period_end = factory.LazyFunction(lambda: dt.date(timezone.localdate().year, 12, 31))


class PolicyItemFactory(factory.django.DjangoModelFactory):
    """An item in force on the city council's list unless a committee is given, reviewed in half a year."""

    class Meta:
        model = "codex.PolicyItem"

    committee = None
    title = factory.Sequence(lambda n: f"Politik nr. {n}")
    kind = "policy"
    owner_kind = factory.LazyAttribute(lambda o: "committee" if o.committee else "city_council")
    link_url = "https://dalby.example/politikker/politik.pdf"
    demands_reporting = True
    demands = "Kvartalsvis indberetning af fremmøde."
    adopted_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=400))
    next_review_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=180))


def published_meeting(*, committee, host, starts_at, address: str = "Solsikkevej 1", created_by=None) -> Meeting:
    """A three-hour meeting of ``committee`` at ``host`` in a published plan of its year (the calendars, feeds and
    kept pages read only published meetings)."""
    plan = RotationPlan.objects.create(
        committee=committee, year=starts_at.year, status=RotationPlan.Status.PUBLISHED, created_by=created_by
    )
    return Meeting.objects.create(
        committee=committee,
        plan=plan,
        host=host,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        address=address,
    )
