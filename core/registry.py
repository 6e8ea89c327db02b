"""Hooks by which a lower floor shows or uses what a higher floor adds, without importing it.

The floors import downwards only (``docs/architecture.md``). Where a lower floor must still name something of a
higher one (a workplace's page shows the agreements' goals; the outbox's list names each app's notices; the
codex's mirror questions are answered after a visit or a meeting), the higher floor registers it here from its
``AppConfig.ready`` and the lower floor reads the registry. Each registry is a plain mapping from a key to what
was registered; registering a key twice replaces it (the test settings reload apps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Count, Min, Q
from django.utils import timezone

from .versioned_cache import versioned_get_or_set, versioned_prefetch


class Registry:
    """Named entries, in the order they were registered."""

    def __init__(self, what: str):
        self.what = what
        self._entries: dict[str, Any] = {}

    def register(self, key: str, value: Any) -> Any:
        self._entries[key] = value
        return value

    def get(self, key: str, default: Any = None) -> Any:
        return self._entries.get(key, default)

    def __getitem__(self, key: str) -> Any:
        try:
            return self._entries[key]
        except KeyError:
            raise KeyError(f"{key!r} is not registered among {self.what}") from None

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def items(self):
        return self._entries.items()

    def values(self):
        return self._entries.values()


# A workplace's page (the organisation) shows what the floors above keep about it, e.g. the agreements' goals.
# Each entry is ``provider(request, workplace) -> str | KeptPanel``: the panel's HTML, rendered by Django's templates
# (so escaped), or "" when it has nothing to show, or how to find it in the cache. The page shows the panels in
# registration order.
workplace_panels = Registry("panels on a workplace's page")
# ... and a committee's page likewise (the rotation's meetings): ``provider(request, committee) -> str``.
committee_panels = Registry("panels on a committee's page")

# ... and a published committee meeting's page (the hearings' matters treated at it): ``provider(request, meeting)``.
meeting_panels = Registry("panels on a committee meeting's page")

# ... and a committee's public plan for a year (the decided matters marked public): each entry a ``PublicPlanPanel``,
# for anyone, signed in or not, so a provider shows only what is public.
public_plan_panels = Registry("panels on a committee's public plan")


class PublicPlanPanel(NamedTuple):
    """``render(request, committee, year) -> str``, the same HTML for everyone; the public plan keeps it per
    committee, year and language under ``version_keys()``: the versions (``core.versioned_cache``) of every model
    it reads, so that a change shows at once. What it shows must not change with time alone."""

    render: Callable[..., str]
    version_keys: Callable[[], list[str]]


# The equal-access ledger (the rotation's) counts what other features count as contact, per workplace: each entry a
# ``LedgerColumns``. The ledger keeps the counts under ``version_keys()`` until the moment ``count`` puts in ``until``.
ledger_columns = Registry("columns of the equal-access ledger")


class LedgerColumns(NamedTuple):
    """``count(committee, workplace_ids, since_12, since_24, now, until=None) -> [(label, {workplace_id: (in 12
    months, in 24)})]``, a few queries whatever the number of workplaces; when ``until`` is a list, ``count`` adds the
    moments after which time alone changes its counts (``moments_ahead``). ``version_keys()``: the versions
    (``core.versioned_cache``) of every model the counts read, so that a change shows at once."""

    count: Callable[..., list]
    version_keys: Callable[[], list[str]]


def ledger_window(field: str, since_12, since_24, now) -> dict:
    """A ledger column's annotations of rows dated by ``field`` (the rows already filtered to ``since_24`` and after):
    how many lie in the 24 and the 12 months up to ``now`` (``n24``, ``n12``), the oldest of each (``first_24``,
    ``first_12``) and the first dated ahead of ``now`` (``ahead``), for ``moments_ahead``. Dates or datetimes."""
    later = Q(**{f"{field}__gt": now})
    within_12 = Q(**{f"{field}__gte": since_12}) & ~later
    return {
        "n24": Count("pk", filter=~later),
        "n12": Count("pk", filter=within_12),
        "first_24": Min(field, filter=~later),
        "first_12": Min(field, filter=within_12),
        "ahead": Min(field, filter=later),
    }


def moments_ahead(found: list[dict], since_12, since_24, now, step=None) -> Iterator:
    """When the rows of a ledger column's count (each with ``first_12`` and ``first_24``, the oldest moment counted,
    and ``ahead``, the first not yet counted) change it with time alone: the oldest counted leaves the 12 or 24 months,
    the first ahead of ``now`` comes in. ``step`` is the unit of the moments (a day for dates: a date leaves the
    months the day after)."""
    step = step or dt.timedelta(0)
    for r in found:
        if r["first_12"] is not None:
            yield now + (r["first_12"] - since_12) + step
        if r["first_24"] is not None:
            yield now + (r["first_24"] - since_24) + step
        if r["ahead"] is not None:
            yield r["ahead"]


# The outbox's list of undelivered messages names each handler in words: ``handler path -> label``.
outbox_handler_labels = Registry("labels of outbox handlers")
# ... and what a message concerns, by the name of its argument: ``"visit_id" -> (label with %(id)s, URL name)``.
outbox_record_arguments = Registry("record arguments of outbox messages")

# The codex's mirror questions are asked after an occasion (a visit, a committee meeting); each kind registers an
# object that finds the occasion and says who may answer (``codex.mirror.Occasion``).
mirror_occasions = Registry("occasions for the mirror questions")


class DigestItem(NamedTuple):
    """One line of a weekly digest: a title, a short text, the page's path (or "") and when it happened."""

    title: str
    text: str
    url: str
    when: Any


@dataclass(frozen=True)
class NoticeChannel:
    """A channel people choose to hear from at once, in the weekly digest or not at all (``meetings/notices.py``).

    ``digest_provider(person, since, until) -> [DigestItem]`` is optional: a channel with one finds its digest's
    items itself, and its notices for digest readers are not queued. ``applies_to(person) -> bool`` says whose
    notice page shows the channel (everyone's when None)."""

    label: Any
    help_text: Any = ""
    digest_provider: Callable | None = None
    applies_to: Callable | None = None


# The notice channels (questions, stories, ...): ``key -> NoticeChannel``; the notice page lists them in order.
notice_channels = Registry("notice channels")


class KeptPanel(NamedTuple):
    """A panel kept in the cache (issue 19), as a provider returns it instead of its HTML: ``compute()`` gives
    ``(html, until)``, kept under ``key`` (which names the object, the language and what the person may see there)
    and the versions of every model it reads (``core.versioned_cache``), for ``also`` (today, say) and until the
    moment ``until`` (or for good when it is None) when time alone changes it. ``panels_for`` reads every kept
    panel of a page in one round trip to the cache."""

    key: str
    version_keys: list[str]
    compute: Callable[[], tuple[str, Any]]
    also: Hashable = None


def panels_for(registry: Registry, request, obj) -> list[str]:
    """Every registered provider's panel for the page of ``obj``, leaving out those that have nothing to show."""
    found = panels_read([provider(request, obj) for provider in registry.values()])
    return [html for html in found if html]


def panels_read(panels: list) -> list[str]:
    """The HTML of ``panels`` as providers return them: the kept ones (``KeptPanel``) read from the cache together,
    in one round trip, and built only when missing or out of date."""
    kept = [panel for panel in panels if isinstance(panel, KeptPanel)]
    if not kept:
        return panels
    read = versioned_prefetch(list(dict.fromkeys(k for panel in kept for k in (*panel.version_keys, panel.key))))
    now = timezone.now()
    return [
        versioned_get_or_set(
            panel.key,
            panel.version_keys,
            panel.compute,
            also=panel.also,
            fresh=lambda value: value[1] is None or now < value[1],
            read=read,
        )[0]
        if isinstance(panel, KeptPanel)
        else panel
        for panel in panels
    ]
