"""What the visits add to the organisation's pages (registered in ``VisitsConfig.ready``): on a workplace's page, the
way to book a visit there (for a politician of a responsible committee) and to its visit times (for its leader), and
each politician's visits there over 12 months."""

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from core.registry import KeptPanel
from core.versioned_cache import model_version_keys

from ..models import Blackout, Visit, VisitOffer, VisitParticipant, VisitSlot, Workplace
from ..models.organisation import NAME_VERSION_KEYS
from .selectors import politician_visit_counts_until

# What the panel reads: a write to any of these replaces the kept panel; the politicians' names change the feeds'
# version for everyone (a saved name) or the roles' (a bulk write of people, an erasure).
_PANEL_MODELS = (Workplace, Visit, VisitParticipant, VisitSlot, VisitOffer, Blackout)


def workplace_visits_panel(request, workplace: Workplace) -> KeptPanel | str:
    """Links to book or to manage visit times, on a workplace's page (``core.registry.workplace_panels``); nothing
    for those who may do neither. The same for everyone who may book there, or lead it, or both: kept per workplace,
    those two answers and the language, under the versions of every model it reads, until time alone changes it
    (the next free time begins, a visit ends or leaves the 12 months; issue 19)."""
    roles = request.user.roles
    is_leader = workplace.pk in roles.led_workplace_ids
    responsible = {c.pk for c in workplace.committees.all() if c.is_active}  # prefetched by the page
    may_book = workplace.is_active and bool(responsible & set(roles.committee_ids))
    if not (is_leader or may_book):
        return ""

    def compute() -> tuple[str, dt.datetime | None]:
        now = timezone.now()
        next_free = (
            VisitSlot.objects.open(now).filter(workplace=workplace).order_by("starts_at").first() if may_book else None
        )
        by_politician, until = politician_visit_counts_until(workplace, now=now)
        html = render_to_string(
            "meetings/visits/_workplace_panel.html",
            {
                "workplace": workplace,
                "is_leader": is_leader,
                "may_book": may_book,
                "next_free": next_free,
                # Who has visited, by name: visible to the committee and the leader, so attention spreads.
                "by_politician": by_politician,
                "cap": settings.DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR,
            },
        )
        changes = [moment for moment in (until, next_free and next_free.starts_at) if moment]
        return html, min(changes, default=None)

    return KeptPanel(
        f"workplace-visits-panel1:{workplace.pk}:{get_language()}:{int(is_leader)}{int(may_book)}",
        [*model_version_keys(*_PANEL_MODELS), *NAME_VERSION_KEYS],
        compute,
        also=timezone.localdate(),  # the working days a slot may fall on are worked out for this year
    )
