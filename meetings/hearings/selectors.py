"""Reads for hearings: the matters a person may see with their hearing status, each in a fixed number of queries.

The rule the portal enforces (DOMAIN.md): a matter is *ready for the committee* when every workplace concerned has
answered or said it has no comments, or when the deadline has passed after the reminder went out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Hearing, HearingResponse, Matter, User, WorkplaceRole

from . import permissions as can

ANSWERED, NO_COMMENTS, MISSING = "answered", "no_comments", "missing"
HEARING_STATUS_LABELS = {
    ANSWERED: _("Answered"),
    NO_COMMENTS: _("No comments"),
    MISSING: _("Not answered"),
}


def latest_response(hearing: Hearing) -> HearingResponse | None:
    """The newest version, from the prefetched responses (ordered by number)."""
    responses = list(hearing.responses.all())
    return responses[-1] if responses else None


def public_response(hearing: Hearing) -> HearingResponse | None:
    """The latest response, when the leader agreed to show this very version publicly (never »no comments«)."""
    latest = latest_response(hearing)
    if latest is None or latest.no_comments or hearing.response_public_version != latest.number:
        return None
    return latest


def hearing_status(hearing: Hearing) -> str:
    latest = latest_response(hearing)
    if latest is None:
        return MISSING
    return NO_COMMENTS if latest.no_comments else ANSWERED


def is_ready(matter: Matter, *, today: dt.date | None = None) -> bool:
    """Every workplace has answered, or the deadline has passed after the reminder went out."""
    today = today or timezone.localdate()
    if all(hearing_status(h) != MISSING for h in matter.hearings.all()):
        return True
    return today > matter.deadline and matter.reminded_at is not None


@dataclass(frozen=True)
class MatterRow:
    matter: Matter
    hearings: list  # [(hearing, status, latest response)]
    ready: bool
    answered: int


def with_hearings(queryset):
    return queryset.select_related("committee", "meeting_date").prefetch_related(
        Prefetch(
            "hearings",
            queryset=Hearing.objects.select_related("workplace", "presentation__requested_by").prefetch_related(
                Prefetch("responses", queryset=HearingResponse.objects.order_by("number"))
            ),
        )
    )


def matter_row(matter: Matter, user: User) -> MatterRow:
    every = can.sees_every_hearing(user, matter)
    roles = user.roles
    hearings = [
        (h, hearing_status(h), latest_response(h))
        for h in matter.hearings.all()
        if every or h.workplace_id in roles.workplace_roles
    ]
    return MatterRow(
        matter=matter,
        hearings=hearings,
        ready=is_ready(matter),
        answered=sum(1 for h in matter.hearings.all() if hearing_status(h) != MISSING),
    )


def matters_for(user: User, *, open_only: bool = False) -> list[MatterRow]:
    """The matters the person may see, the nearest deadline first. Three queries, whatever the number."""
    queryset = Matter.objects.visible_to(user)
    if open_only:
        queryset = queryset.open()
    return [matter_row(m, user) for m in with_hearings(queryset.order_by("deadline", "pk"))]


def get_matter_for_user(user: User, pk: int) -> Matter:
    """The matter with its hearings and responses, or 404 for someone who may not see it."""
    matter = with_hearings(Matter.objects.filter(pk=pk)).prefetch_related("files").first()
    if matter is None or not can.can_view_matter(user, matter, hearings=list(matter.hearings.all())):
        raise Http404
    return matter


def get_hearing_for_user(user: User, pk: int) -> Hearing:
    """One hearing with its matter, or 404 for someone who may not see it."""
    hearing = (
        Hearing.objects.select_related("matter__committee", "matter__meeting_date", "workplace", "presentation")
        .prefetch_related(
            "commenters",
            Prefetch("responses", queryset=HearingResponse.objects.select_related("submitted_by").order_by("number")),
        )
        .filter(pk=pk)
        .first()
    )
    if hearing is None or not can.can_view_hearing(user, hearing):
        raise Http404
    return hearing


def coming_matters_for_politician(user: User, *, limit: int = 10) -> list[MatterRow]:
    """The open matters of the person's committees, by the meeting they are treated at, with who was heard."""
    committee_ids = user.roles.committee_ids
    if not committee_ids:
        return []
    queryset = Matter.objects.open().filter(
        committee_id__in=committee_ids, meeting_date__date__gte=timezone.localdate()
    )
    return [matter_row(m, user) for m in with_hearings(queryset.order_by("meeting_date__date", "pk")[:limit])]


def open_hearings_for_leader(user: User) -> list[Hearing]:
    """The hearings of the workplaces the person leads or is in the trio of that have no response yet, the nearest
    deadline first (the leader answers; the trio reads the draft and comments)."""
    heard = [
        pk
        for pk, roles in user.roles.workplace_roles.items()
        if roles & {WorkplaceRole.Role.LEADER, WorkplaceRole.Role.TRIO}
    ]
    if not heard:
        return []
    return list(
        Hearing.objects.filter(workplace_id__in=heard, matter__decided_at__isnull=True, responses__isnull=True)
        .select_related("matter__committee", "workplace")
        .order_by("matter__deadline", "pk")[:10]
    )
