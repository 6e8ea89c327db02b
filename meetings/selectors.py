"""Reads for the organisation pages: each returns querysets with what the page needs prefetched."""

from django.db.models import Count, Prefetch, Q

from .models import Blackout, Committee, CommitteeMembership, Workplace, WorkplaceRole


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
