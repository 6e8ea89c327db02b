"""The hearings' panels on the rotation's pages, through the registries of ``core.registry``: on a committee meeting's
page the matters treated at the meeting with their hearing status, who presents what, and in red a matter treated
without a workplace's response; on a committee's public plan the decided matters marked public."""

from django.template.loader import render_to_string

from codex.formatting import render_markdown
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


def public_matters_panel(request, committee, year) -> str:
    """On the committee's public plan: the decided matters marked public, with their summary, who was heard and
    the decision. Never the files or the responses. Three queries, whatever the number."""
    matters = selectors.with_hearings(
        Matter.objects.filter(
            committee=committee, is_public=True, decided_at__isnull=False, meeting_date__date__year=year
        ).order_by("meeting_date__date", "pk")
    )
    rows = [
        {
            "matter": m,
            "summary": render_markdown(m.summary),
            "heard": [(h.workplace.name, selectors.hearing_status(h)) for h in m.hearings.all()],
        }
        for m in matters
    ]
    if not rows:
        return ""
    return render_to_string("meetings/hearings/_public_panel.html", {"rows": rows}, request=request)
