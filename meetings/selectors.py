"""Reads for the organisation pages: each returns querysets with what the page needs prefetched."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from .models import Blackout, Committee, CommitteeMembership, User, Workplace, WorkplaceRole


def committee_list():
    return Committee.objects.active().annotate(
        member_count=Count(
            "memberships", filter=Q(memberships__in=CommitteeMembership.objects.current()), distinct=True
        ),
        workplace_count=Count("workplaces", filter=Q(workplaces__is_active=True), distinct=True),
    )


def committee_detail(slug: str):
    return Committee.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=CommitteeMembership.objects.current().select_related("user").order_by("role", "user__full_name"),
            to_attr="current_memberships",
        ),
        Prefetch(
            "workplaces",
            queryset=Workplace.objects.active().select_related("kind", "district").order_by("name"),
            to_attr="active_workplaces",
        ),
    ).get(slug=slug)


def workplace_list(*, committee=None, kind=None, district=None, text: str = ""):
    qs = Workplace.objects.select_related("kind", "district").prefetch_related("committees")
    if committee:
        qs = qs.filter(committees=committee)
    if kind:
        qs = qs.filter(kind=kind)
    if district:
        qs = qs.filter(district=district)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(address__icontains=text) | Q(description__icontains=text))
    return qs.order_by("-is_active", "name")


def workplace_detail(slug: str):
    return (
        Workplace.objects.select_related("kind", "district")
        .prefetch_related(
            "committees",
            Prefetch(
                "roles",
                queryset=WorkplaceRole.objects.current().select_related("user").order_by("role", "user__full_name"),
                to_attr="current_roles",
            ),
            Prefetch(
                "blackouts", queryset=Blackout.objects.upcoming().order_by("first_day"), to_attr="upcoming_blackouts"
            ),
        )
        .get(slug=slug)
    )


@dataclass
class Dashboard:
    """What is next for one person, by role. Later features add their panels here."""

    memberships: list = field(default_factory=list)
    workplace_roles: list = field(default_factory=list)
    upcoming_blackouts: list = field(default_factory=list)
    admin_counts: dict = field(default_factory=dict)


def dashboard_for(user: User) -> Dashboard:
    roles = user.roles
    board = Dashboard()
    if roles.is_politician:
        board.memberships = list(
            CommitteeMembership.objects.current()
            .filter(user=user)
            .select_related("committee")
            .annotate(workplace_count=Count("committee__workplaces", filter=Q(committee__workplaces__is_active=True)))
        )
    if roles.workplace_roles:
        board.workplace_roles = list(
            WorkplaceRole.objects.current().filter(user=user).select_related("workplace", "workplace__kind")
        )
    if roles.led_workplace_ids:
        board.upcoming_blackouts = list(
            Blackout.objects.upcoming()
            .filter(workplace_id__in=roles.led_workplace_ids)
            .select_related("workplace")
            .order_by("first_day")[:10]
        )
    if roles.is_administrator:
        board.admin_counts = {
            "committees": Committee.objects.active().count(),
            "workplaces": Workplace.objects.active().count(),
            "people": User.objects.filter(is_active=True).count(),
            "not_invited": User.objects.filter(
                is_active=True, invited_at__isnull=True, last_login__isnull=True
            ).count(),
        }
    return board
