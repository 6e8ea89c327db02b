"""The challenges on a committee meeting's page (registered in ``core.registry.meeting_panels``): those put on the
meeting, as far as the person may see them. One query."""

from django.template.loader import render_to_string

from .models import Challenge


def meeting_challenges_panel(request, meeting) -> str:
    challenges = list(
        Challenge.objects.visible_to(request.user)
        .filter(meeting=meeting)
        .select_related("workplace", "committee")
        .order_by("pk")
    )
    if not challenges:
        return ""
    return render_to_string("codex/challenges/_meeting_panel.html", {"challenges": challenges}, request=request)
