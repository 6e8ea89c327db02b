"""The stories' panels on the organisation's pages, through ``core.registry``: on a workplace's page its stories
(the ones the person may see: the workplace's people also those waiting or hidden, with their status) with a link
to write one; on a committee's public plan its newest public stories."""

from django.template.loader import render_to_string

from meetings.models import Story

from . import permissions as can
from . import selectors

PANEL_SIZE = 5


def workplace_stories_panel(request, workplace) -> str:
    stories = list(
        Story.objects.visible_to(request.user)
        .filter(workplace=workplace)
        .select_related("author")
        .order_by("-shared_at", "-created_at", "-pk")[:PANEL_SIZE]
    )
    may_write = can.can_write(request.user, workplace)
    if not stories and not may_write:
        return ""
    return render_to_string(
        "meetings/stories/_workplace_panel.html",
        {"stories": stories, "workplace": workplace, "may_write": may_write},
        request=request,
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
