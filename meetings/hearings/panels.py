"""The hearings' panel on a committee meeting's page (``core.registry.meeting_panels``): the matters treated at the
meeting with their hearing status, who presents what, and in red a matter treated without a workplace's response."""

from django.template.loader import render_to_string

from meetings.models import Matter

from . import selectors


def meeting_matters_panel(request, meeting) -> str:
    matters = Matter.objects.visible_to(request.user).filter(
        committee_id=meeting.committee_id, meeting_date__date=meeting.local_date
    )
    rows = [selectors.matter_row(m, request.user) for m in selectors.with_hearings(matters.order_by("pk"))]
    if not rows:
        return ""
    return render_to_string("meetings/hearings/_meeting_panel.html", {"rows": rows}, request=request)
