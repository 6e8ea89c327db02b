"""What the visits add to the organisation's pages (registered in ``VisitsConfig.ready``): on a workplace's page, the
way to book a visit there (for a politician of a responsible committee) and to its visit times (for its leader), and
each politician's visits there over 12 months."""

from django.conf import settings
from django.template.loader import render_to_string

from ..models import VisitSlot, Workplace
from .selectors import politician_visit_counts


def workplace_visits_panel(request, workplace: Workplace) -> str:
    """Links to book or to manage visit times, on a workplace's page (``core.registry.workplace_panels``); nothing
    for those who may do neither."""
    roles = request.user.roles
    is_leader = workplace.pk in roles.led_workplace_ids
    responsible = {c.pk for c in workplace.committees.all() if c.is_active}  # prefetched by the page
    may_book = workplace.is_active and bool(responsible & set(roles.committee_ids))
    if not (is_leader or may_book):
        return ""
    next_free = VisitSlot.objects.open().filter(workplace=workplace).order_by("starts_at").first() if may_book else None
    return render_to_string(
        "meetings/visits/_workplace_panel.html",
        {
            "workplace": workplace,
            "is_leader": is_leader,
            "may_book": may_book,
            "next_free": next_free,
            # Who has visited, by name: visible to the committee and the leader, so attention spreads.
            "by_politician": politician_visit_counts(workplace),
            "cap": settings.DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR,
        },
        request=request,
    )
