"""What the agreements add to the pages of the floors below them (registered in ``AgreementsConfig.ready``)."""

import hashlib

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from core.registry import KeptPanel
from core.versioned_cache import model_version_keys
from meetings.models import Committee, Workplace

from .models import Agreement, FollowUp, Goal
from .selectors import workplace_goals_for


def workplace_goals_panel(request, workplace: Workplace) -> KeptPanel:
    """The goals panel on a workplace's page (``core.registry.workplace_panels``). Kept per workplace, language,
    page address (the follow-up link returns to it) and what decides whether the person may record a follow-up
    (the secretariat, leading the workplace, their committee seats, chairs and vice-chairs), under the versions of
    the agreements, goals, follow-ups and committees, for today (an agreement comes into or goes out of force at
    midnight; issue 19)."""
    roles = request.user.roles
    path = request.get_full_path()
    sees = "{}{}:{}:{}:{}".format(
        int(roles.is_administrator),
        int(workplace.pk in roles.led_workplace_ids),
        *(
            ",".join(map(str, sorted(ids)))
            for ids in (roles.committee_ids, roles.chair_committee_ids, roles.vice_chair_committee_ids)
        ),
    )

    def compute() -> tuple[str, None]:
        html = render_to_string(
            "agreements/_workplace_goals.html",
            {"workplace": workplace, "goal_agreements": workplace_goals_for(request.user, workplace)},
            request=request,
        )
        return html, None

    return KeptPanel(
        f"workplace-goals-panel1:{workplace.pk}:{get_language()}:{sees}:"
        f"{hashlib.sha256(path.encode()).hexdigest()[:16]}",
        model_version_keys(Agreement, Goal, FollowUp, Committee),
        compute,
        also=timezone.localdate(),
    )
