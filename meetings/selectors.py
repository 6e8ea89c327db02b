"""Reads for the organisation pages: each returns querysets with what the page needs prefetched."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q

from core.versioned_cache import model_version_keys, versioned_get_or_set

from .models import Blackout, Committee, CommitteeMembership, Workplace, WorkplaceRole


def kept_committee_key(slug: str) -> str:
    return f"committee-by-slug1:{slug}"


def kept_committee(slug: str, *, read: dict | None = None) -> Committee | None:
    """The committee named ``slug``, active or not (None if there is none), kept under the committees' version: a
    page that looks its committee up by address on every request pays no query on a hit (issue 19). Read its key
    (``kept_committee_key``) with the page's own in one ``versioned_prefetch``, and pass that as ``read``."""
    return versioned_get_or_set(
        kept_committee_key(slug),
        model_version_keys(Committee),
        lambda: Committee.objects.filter(slug=slug).first(),
        read=read,
    )


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
    """The workplaces that match the filters, active first, by name."""
    qs = Workplace.objects.all()
    if committee:
        qs = qs.filter(committees=committee)
    if kind:
        qs = qs.filter(kind=kind)
    if district:
        qs = qs.filter(district=district)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(address__icontains=text) | Q(description__icontains=text))
    return qs.order_by("-is_active", "name", "pk")


def workplace_list_page(*, number, per_page: int, **filters) -> Page:
    """A page of ``workplace_list`` as plain rows (``pk``, ``slug``, ``name``, ``is_active``, ``kind_name``,
    ``district_name``, ``committee_names``), in three queries: the number of workplaces (without the joins the rows
    need), the page's rows, read off the index of the list's order (``workplace_list_order``) however many
    workplaces there are, and their committees."""
    workplaces = workplace_list(**filters)
    paginator = Paginator(
        workplaces.values(
            "pk", "slug", "name", "is_active", kind_name=F("kind__name"), district_name=F("district__name")
        ),
        per_page,
    )
    paginator.count = workplaces.count()  # instead of counting the rows' joins
    page = paginator.get_page(number)
    page.object_list = list(page.object_list)  # queries run here, not while the template renders
    names = committee_names([row["pk"] for row in page.object_list])
    for row in page.object_list:
        row["committee_names"] = names.get(row["pk"], "")
    return page


def committee_names(workplace_ids) -> dict[int, str]:
    """Each workplace's committees, their names joined with ", " in the committees' order (by name), in one query
    of plain values; a workplace under none is missing."""
    rows = (
        Workplace.committees.through.objects.filter(workplace_id__in=workplace_ids)
        .order_by("committee__name", "committee_id")
        .values_list("workplace_id", "committee__name")
    )
    names: dict[int, list[str]] = {}
    for workplace_id, name in rows:
        names.setdefault(workplace_id, []).append(name)
    return {workplace_id: ", ".join(shown) for workplace_id, shown in names.items()}


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
