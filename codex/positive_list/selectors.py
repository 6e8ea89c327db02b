"""Reads for the positive list: the lists, their filters, the overview of every list, and the items due for review
that the dashboards show. Each a fixed number of queries, however many items there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
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


def due_for_review(committee_ids, *, today: dt.date | None = None, limit: int = 10):
    """Items in force on these committees' lists whose review is within the notice period (or overdue), soonest
    first: what the dashboards show."""
    return list(
        PolicyItem.objects.review_due(notice_horizon(today))
        .filter(committee_id__in=list(committee_ids))
        .select_related("committee")
        .order_by("next_review_on", "title")[:limit]
    )


def item_history(item: PolicyItem):
    """The item's reviews (newest first) and its events (oldest first), with who did them."""
    reviews = list(item.reviews.select_related("actor").order_by("-decided_on", "-pk"))
    events = list(item.events.select_related("actor").order_by("at", "pk"))
    return reviews, events
