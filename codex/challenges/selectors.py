"""Reads for challenges of rules: each page in a fixed number of queries, whatever the number of challenges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from meetings.models import User

from .models import DECIDED, GIVING_BACK, OPEN, Challenge, ChallengeJoiner, Status


def _with_parts(queryset):
    return queryset.select_related("workplace", "committee", "meeting", "policy_item").prefetch_related(
        Prefetch("joiners", queryset=ChallengeJoiner.objects.select_related("workplace"))
    )


def _mark_joined(challenges: list[Challenge]) -> list[Challenge]:
    """Note each challenge's joined workplaces and total hours from its prefetched joiners (for permissions and
    the pages)."""
    for challenge in challenges:
        joiners = list(challenge.joiners.all())
        challenge.joined_workplace_ids = frozenset(j.workplace_id for j in joiners)
        challenge.total_hours = challenge.hours_per_month + sum(j.hours_per_month for j in joiners)
    return challenges


def get_challenge_for_user(user: User, pk: int) -> Challenge:
    """The challenge, with its parts, or 404 unless the person may see it."""
    challenge = _with_parts(Challenge.objects.visible_to(user)).filter(pk=pk).first()
    if challenge is None:
        raise Http404
    return _mark_joined([challenge])[0]


@dataclass(frozen=True)
class HoursGivenBack:
    total: int  # hours a month, every granted challenge and running trial
    in_trials: int  # of which in running trials
    challenges: int  # how many challenges give them


def hours_given_back() -> HoursGivenBack:
    """The running count: the hours a month decided challenges give back to the core task (the challenger's
    estimate and every joiner's). One query."""
    joined = (
        ChallengeJoiner.objects.filter(challenge=OuterRef("pk"))
        .order_by()
        .values("challenge")
        .annotate(total=Sum("hours_per_month"))
        .values("total")
    )
    rows = list(
        Challenge.objects.filter(status__in=GIVING_BACK)
        .annotate(joined=Coalesce(Subquery(joined), 0))
        .values_list("status", "hours_per_month", "joined")
        .order_by()
    )
    total = sum(hours + joined for _status, hours, joined in rows)
    in_trials = sum(hours + joined for status, hours, joined in rows if status == Status.TRIAL)
    return HoursGivenBack(total=total, in_trials=in_trials, challenges=len(rows))


@dataclass
class ChallengeLists:
    drafts: list
    waiting: list
    trials: list
    decided: list


def challenges_for(user: User) -> ChallengeLists:
    """The challenges a person sees, grouped for the list page. Three queries."""
    rows = _mark_joined(list(_with_parts(Challenge.objects.visible_to(user)).order_by("-created_at", "-pk")))
    return ChallengeLists(
        drafts=[c for c in rows if c.status == Status.DRAFT],
        waiting=[c for c in rows if c.status in OPEN],
        trials=[c for c in rows if c.status == Status.TRIAL],
        decided=[c for c in rows if c.status in DECIDED and c.status != Status.TRIAL],
    )


def public_challenges() -> list[Challenge]:
    """Every decided challenge, for the public page (workplace names, never people). Three queries."""
    return _mark_joined(
        list(_with_parts(Challenge.objects.decided()).order_by("committee__name", "-decided_at", "-pk"))
    )


@dataclass
class DashboardChallenges:
    waiting: list  # politicians: their committees' challenges waiting for a meeting or a decision, trials ending soon
    own: list  # leaders: the challenges of the workplaces they lead or that joined, but those decided long ago


def dashboard_challenges(user: User, *, today: dt.date | None = None) -> DashboardChallenges:
    """Both dashboard panels in one query (none for a person who neither leads nor sits in a committee)."""
    roles = user.roles
    committee_ids, led = roles.committee_ids, roles.led_workplace_ids
    if not committee_ids and not led:
        return DashboardChallenges(waiting=[], own=[])
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=settings.DIALOG_CHALLENGE_TRIAL_REMINDER_DAYS)
    long_ago = timezone.now() - dt.timedelta(days=90)
    waiting = Q(committee_id__in=committee_ids) & (Q(status__in=OPEN) | Q(status=Status.TRIAL, trial_ends_on__lte=soon))
    joined = Exists(ChallengeJoiner.objects.filter(challenge=OuterRef("pk"), workplace_id__in=led))
    rows = list(
        Challenge.objects.annotate(joined=joined)
        .filter(waiting | Q(workplace_id__in=led) | Q(joined=True))
        .exclude(status__in=[s for s in DECIDED if s != Status.TRIAL], decided_at__lt=long_ago)
        .select_related("workplace", "committee")
        .order_by("-created_at", "-pk")[:40]
    )
    return DashboardChallenges(
        waiting=[
            c
            for c in rows
            if c.committee_id in committee_ids
            and (c.status in OPEN or (c.status == Status.TRIAL and c.trial_ends_on <= soon))
        ][:10],
        own=[c for c in rows if c.workplace_id in led or c.joined][:10],
    )
