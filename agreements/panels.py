"""What the agreements add to the pages of the floors below them (registered in ``AgreementsConfig.ready``)."""

from django.template.loader import render_to_string

from meetings.models import Workplace

from .selectors import workplace_goals_for


def workplace_goals_panel(request, workplace: Workplace) -> str:
    """The goals panel on a workplace's page (``core.registry.workplace_panels``)."""
    return render_to_string(
        "agreements/_workplace_goals.html",
        {"workplace": workplace, "goal_agreements": workplace_goals_for(request.user, workplace)},
        request=request,
    )
