"""Reads of stories: the access helper, the committee's feed, a workplace's panel, the public pages and the
politicians' dashboard. Each is a few queries whatever the number of stories."""

from django.db.models import Prefetch
from django.http import Http404

from meetings.models import Committee, Story, StoryEvent, Workplace

ROW = ("workplace", "author")


def get_story_for_user(user, pk: int) -> Story:
    """The story if the person may see it, else 404 (what you may not see, you are not told exists)."""
    story = (
        Story.objects.visible_to(user)
        .select_related(*ROW)
        .prefetch_related(
            "workplace__committees", Prefetch("events", queryset=StoryEvent.objects.select_related("actor"))
        )
        .filter(pk=pk)
        .first()
    )
    if story is None:
        raise Http404
    return story


def committee_stories(committee: Committee, *, kind: str = "", workplace_id: int | None = None):
    """The shared stories of the committee's workplaces, newest first, for its feed."""
    stories = Story.objects.shared().filter(workplace__committees=committee).select_related(*ROW)
    if kind:
        stories = stories.filter(kind=kind)
    if workplace_id:
        stories = stories.filter(workplace_id=workplace_id)
    return stories.order_by("-shared_at", "-pk")


def public_stories(committee: Committee):
    return (
        Story.objects.public()
        .filter(workplace__committees=committee, workplace__is_active=True)
        .select_related("workplace")
        .order_by("-shared_at", "-pk")
    )


def committee_workplaces(committee: Committee):
    return Workplace.objects.active().filter(committees=committee).order_by("name")


def recent_for_politician(user, limit: int = 5) -> list[Story]:
    """The newest shared stories from the workplaces of the person's committees, for their dashboard."""
    committee_ids = list(user.roles.committee_ids) if user.is_authenticated else []
    if not committee_ids:
        return []
    return list(
        Story.objects.shared()
        .filter(workplace__committees__in=committee_ids)
        .select_related("workplace")
        .distinct()
        .order_by("-shared_at", "-pk")[:limit]
    )


def awaiting_for_leader(user, limit: int = 10) -> list[Story]:
    """The trio's stories waiting for the person to share them (as a leader)."""
    led = list(user.roles.led_workplace_ids) if user.is_authenticated else []
    if not led:
        return []
    return list(
        Story.objects.filter(status=Story.Status.AWAITING, workplace_id__in=led)
        .select_related("workplace", "author")
        .order_by("created_at")[:limit]
    )
