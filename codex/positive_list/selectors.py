"""Reads for the positive list: the lists, their filters, the overview of every list, and the items due for review
that the dashboards show. Each a fixed number of queries, however many items there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Committee

from .models import PolicyItem

# The city council's list has this key in its address; the committees' lists have their committee's slug.
CITY_COUNCIL = "byraadet"
CITY_COUNCIL_NAME = _("The city council")


@dataclass(frozen=True)
class PolicyList:
    """One list: a committee's, or the city council's (``committee`` is None)."""

    committee: Committee | None

    @property
    def key(self) -> str:
        return self.committee.slug if self.committee else CITY_COUNCIL

    @property
    def name(self) -> str:
        return self.committee.name if self.committee else str(CITY_COUNCIL_NAME)

    def items(self):
        return PolicyItem.objects.of_list(self.committee)


def policy_list_for(key: str) -> PolicyList:
    """The list with this key, or 404 (an inactive committee's list is not shown)."""
    if key == CITY_COUNCIL:
        return PolicyList(None)
    committee = Committee.objects.active().filter(slug=key).first()
    if committee is None:
        raise Http404
    return PolicyList(committee)


def notice_horizon(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + dt.timedelta(days=settings.DIALOG_POLICY_REVIEW_NOTICE_DAYS)


def filtered(items, *, kind: str = "", demand: str = "", text: str = ""):
    if kind:
        items = items.filter(kind=kind)
    if demand in {"reporting", "documentation", "meetings"}:
        items = items.filter(**{f"demands_{demand}": True})
    if text:
        items = items.filter(Q(title__icontains=text) | Q(summary__icontains=text) | Q(demands__icontains=text))
    return items


def counts(policy_list: PolicyList, **filters) -> dict[str, int]:
    """How many items on the list, as filtered, are in force and removed (one query)."""
    return filtered(policy_list.items(), **filters).aggregate(
        in_force=Count("pk", filter=Q(status=PolicyItem.Status.IN_FORCE)),
        removed=Count("pk", filter=Q(status=PolicyItem.Status.REMOVED)),
    )


def in_force_rows(policy_list: PolicyList, **filters):
    return filtered(policy_list.items().in_force(), **filters).order_by("next_review_on", "title", "pk")


def removed_rows(policy_list: PolicyList, **filters):
    return filtered(policy_list.items().removed(), **filters).order_by("-removed_on", "title", "pk")


@dataclass(frozen=True)
class ListSummary:
    policy_list: PolicyList
    in_force: int
    removed: int
    due: int


def overview(today: dt.date | None = None) -> list[ListSummary]:
    """Every list with how many items are in force, removed and due for review soon: the city council's first, then
    the active committees' (two queries)."""
    horizon = notice_horizon(today)
    counts = {
        row["committee"]: row
        for row in PolicyItem.objects.order_by()
        .values("committee")
        .annotate(
            in_force=Count("pk", filter=Q(status=PolicyItem.Status.IN_FORCE)),
            removed=Count("pk", filter=Q(status=PolicyItem.Status.REMOVED)),
            due=Count("pk", filter=Q(status=PolicyItem.Status.IN_FORCE, next_review_on__lte=horizon)),
        )
    }
    lists = [PolicyList(None), *(PolicyList(c) for c in Committee.objects.active().order_by("name"))]
    empty = {"in_force": 0, "removed": 0, "due": 0}
    return [
        ListSummary(
            policy_list=pl,
            **{k: counts.get(pl.committee.pk if pl.committee else None, empty)[k] for k in empty},
        )
        for pl in lists
    ]


def due_count(committee_ref: str = "committee", today: dt.date | None = None):
    """How many items on the list of the committee ``committee_ref`` points at are due for review soon, as a
    subquery: the politician's dashboard annotates their seats with it and runs no query of its own."""
    due = (
        PolicyItem.objects.review_due(notice_horizon(today))
        .filter(committee=OuterRef(committee_ref))
        .order_by()
        .values("committee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(due, output_field=IntegerField()), Value(0))


def due_for_leader(user, *, today: dt.date | None = None, limit: int = 10) -> list[PolicyItem]:
    """The leader's dashboard panel (one query): items in force whose review is within the notice period or overdue,
    soonest first, on the lists of the committees their workplaces are under and the city council's (it applies to
    every workplace)."""
    led = list(user.roles.led_workplace_ids) if user.is_authenticated else []
    if not led:
        return []
    under = Committee.objects.filter(workplaces__in=led).values("pk")
    where = Q(committee_id__in=under) | Q(committee__isnull=True)
    return list(
        PolicyItem.objects.review_due(notice_horizon(today))
        .filter(where)
        .select_related("committee")
        .order_by("next_review_on", "title", "pk")[:limit]
    )


def item_history(item: PolicyItem):
    """The item's reviews (newest first) and its events (oldest first), with who did them."""
    reviews = list(item.reviews.select_related("actor").order_by("-decided_on", "-pk"))
    events = list(item.events.select_related("actor").order_by("at", "pk"))
    return reviews, events
