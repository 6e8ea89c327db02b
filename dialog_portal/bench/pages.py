"""The key pages the benchmark measures, who looks at them, and how each is found in the generated data.

A page is measured the way its users meet it: signed in as the person named here. Features add their pages to
``KEY_PAGES`` (one ``KeyPage`` each); the tests pin each page's query count (``tests/bench``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from agreements.models import Agreement
from meetings.models import CalendarFeedToken, CommitteeMembership, RotationPlan, User, Workplace, WorkplaceRole

from .scale import ADMIN_EMAIL, BUSY_EMAIL


@dataclass(frozen=True)
class KeyPage:
    name: str
    who: Callable[[], str | None]  # the e-mail of the person who looks; None for the public
    path: Callable[[], str]


def _busy() -> str:
    return BUSY_EMAIL


def _admin() -> str:
    return ADMIN_EMAIL


def _first_leader() -> str:

    return (
        WorkplaceRole.objects.filter(role="leader").order_by("workplace__slug").values_list("user__email", flat=True)[0]
    )


def _leaders_workplace() -> str:

    return (
        WorkplaceRole.objects.filter(role="leader")
        .order_by("workplace__slug")
        .values_list("workplace__slug", flat=True)[0]
    )


def _busiest_workplace() -> str:
    """The workplace with the most visits among those the busy politician's committees answer for: its page lists
    the most, and shows the busy politician the same panels at every scale (the visits panel with its next free
    time and who has visited is only for those who may book there; at 1x the busiest workplace overall lay outside
    their committees and the page counted two queries fewer than at 10x; issue 19)."""

    committees = CommitteeMembership.objects.filter(user__email=BUSY_EMAIL).values("committee_id")
    return (
        Workplace.objects.filter(committees__in=committees)
        .annotate(n=Count("visits", distinct=True))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)[0]
    )


def _busy_feed() -> str:

    person = User.objects.get(email=BUSY_EMAIL)
    token = CalendarFeedToken.objects.usable().filter(person=person).first()
    if token is None:
        token = CalendarFeedToken.objects.create(person=person)
    return reverse("meetings:calendar-feed", args=[token.token])


def _public() -> None:
    return None


def _chair_of_busy() -> str:
    """The chair of the busy politician's committee: reviews and signs its agreements."""

    committee = CommitteeMembership.objects.filter(user__email=BUSY_EMAIL).values_list("committee_id", flat=True)[0]
    return CommitteeMembership.objects.filter(committee_id=committee, role="chair").values_list(
        "user__email", flat=True
    )[0]


def _busy_committee() -> str:

    return CommitteeMembership.objects.filter(user__email=BUSY_EMAIL).values_list("committee__slug", flat=True)[0]


def _draft_year() -> int:

    return RotationPlan.objects.drafts().order_by("-year").values_list("year", flat=True)[0]


def _published_year() -> int:

    return RotationPlan.objects.published().order_by("-year").values_list("year", flat=True)[0]


def _agreement_with_history():
    """The agreement with the most events (its page shows the longest history), seen by its workplace's leader."""

    agreement = Agreement.objects.annotate(n=Count("events")).order_by("-n", "pk").first()
    leader = WorkplaceRole.objects.filter(workplace_id=agreement.workplace_id, role="leader").select_related("user")
    return agreement, leader.first().user.email


def _agreement_leader() -> str:
    return _agreement_with_history()[1]


def _agreement_path() -> str:
    return reverse("agreements:agreement-detail", args=[_agreement_with_history()[0].pk])


FLOOR = KeyPage("floor (bare Django view)", _public, lambda: reverse("liveness"))
# The floors of the CPU figures: the bare anonymous view, and a bare view for the busy politician (session, user and
# roles loaded by the middleware, nothing else; only in the benchmark's URLconf, dialog_portal.bench.urls).
FLOORS: dict[str, KeyPage] = {
    "anonymous": FLOOR,
    "signed_in": KeyPage("floor: signed in (bare view)", _busy, lambda: reverse("bench-signed-in-floor")),
}

KEY_PAGES: list[KeyPage] = [
    KeyPage("dashboard: administrator", _admin, lambda: reverse("home")),
    KeyPage("dashboard: politician", _busy, lambda: reverse("home")),
    KeyPage("dashboard: leader", _first_leader, lambda: reverse("home")),
    KeyPage("workplace finder", _busy, lambda: reverse("meetings:visit-finder")),
    KeyPage("workplace list", _busy, lambda: reverse("meetings:workplace-list")),
    KeyPage("workplace page", _busy, lambda: reverse("meetings:workplace-detail", args=[_busiest_workplace()])),
    KeyPage(
        "leader's visit times", _first_leader, lambda: reverse("meetings:visit-offer-list", args=[_leaders_workplace()])
    ),
    KeyPage("personal calendar", _busy, lambda: reverse("meetings:calendar-detail")),
    KeyPage("all visits (secretariat)", _admin, lambda: reverse("meetings:visit-admin-list")),
    KeyPage("codex register (public)", _public, lambda: reverse("codex:register-detail")),
    KeyPage("iCal feed of a busy person", _public, _busy_feed),
    KeyPage(
        "committee's agreement overview",
        _busy,
        lambda: reverse("agreements:committee-overview", args=[_busy_committee()]),
    ),
    KeyPage("agreement with its history", _agreement_leader, _agreement_path),
    KeyPage("agreements of a chair", _chair_of_busy, lambda: reverse("agreements:agreement-list")),
    KeyPage(
        "rotation review (draft)",
        _admin,
        lambda: reverse("meetings:rotation-year", args=[_busy_committee(), _draft_year()]),
    ),
    KeyPage("equal-access ledger", _busy, lambda: reverse("meetings:ledger")),
    KeyPage("committee's questions", _busy, lambda: reverse("meetings:question-list", args=[_busy_committee()])),
    KeyPage(
        "public plan",
        _public,
        lambda: reverse("meetings:public-plan", args=[_busy_committee(), _published_year()]),
    ),
    KeyPage("committee's iCal feed", _public, lambda: reverse("meetings:public-feed", args=[_busy_committee()])),
]
