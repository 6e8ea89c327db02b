"""The stories' panels on the organisation's pages, through ``core.registry``: on a workplace's page its stories
(the ones the person may see: the workplace's people also those waiting or hidden, with their status) with a link
to write one; on a committee's public plan its newest public stories."""

from django.template.loader import render_to_string
from django.utils.translation import get_language

from core.registry import KeptPanel
from core.versioned_cache import model_version_keys
from meetings.models import Story, Workplace

from . import permissions as can
from . import selectors

PANEL_SIZE = 5


def workplace_stories_panel(request, workplace) -> KeptPanel | str:
    """Kept per workplace, language and what the person sees there (issue 19): every story (the secretariat, the
    workplace's own people), the shared ones (a politician of one of its committees) or none, and whether they may
    write one; under the versions of the stories and the workplaces (with their committees)."""
    user = request.user
    roles = user.roles
    if roles.is_administrator or workplace.pk in roles.workplace_roles:
        sees = "all"
    elif any(c.pk in roles.committee_ids for c in workplace.committees.all()):  # prefetched by the page
        sees = "shared"
    else:
        sees = ""
    may_write = can.can_write(user, workplace)
    if not sees and not may_write:
        return ""  # ``Story.objects.visible_to`` would find none of the workplace's stories

    def compute() -> tuple[str, None]:
        stories = list(
            Story.objects.visible_to(user)
            .filter(workplace=workplace)
            .order_by("-shared_at", "-created_at", "-pk")[:PANEL_SIZE]
        )
        if not stories and not may_write:
            return "", None
        html = render_to_string(
            "meetings/stories/_workplace_panel.html",
            {"stories": stories, "workplace": workplace, "may_write": may_write},
        )
        return html, None

    return KeptPanel(
        f"workplace-stories-panel1:{workplace.pk}:{get_language()}:{sees}:{int(may_write)}",
        model_version_keys(Story, Workplace),
        compute,
    )


def public_stories_panel(request, committee, year) -> str:
    stories = list(selectors.public_stories(committee)[:PANEL_SIZE])
    if not stories:
        return ""
    return render_to_string(
        "meetings/stories/_public_panel.html", {"stories": stories, "committee": committee}, request=request
    )


def committee_stories_link(request, committee) -> str:
    """On a committee's page, for its politicians and the secretariat: the way to its stories feed (no query)."""
    roles = request.user.roles
    if not (roles.is_administrator or committee.pk in roles.committee_ids):
        return ""
    return render_to_string("meetings/stories/_committee_panel.html", {"committee": committee}, request=request)
