"""The hearings' panels on the rotation's pages, through the registries of ``core.registry``: on a committee meeting's
page the matters treated at the meeting with their hearing status, who presents what, and in red a matter treated
without a workplace's response; on a committee's public plan the decided matters marked public."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from codex.formatting import render_markdown
from meetings.models import Hearing, HearingResponse, Matter, Presentation

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
    the decision, and a workplace's response only where its leader agreed to show it. Never the files. Three
    queries, whatever the number."""
    matters = selectors.with_hearings(
        Matter.objects.filter(
            committee=committee, is_public=True, decided_at__isnull=False, meeting_date__date__year=year
        ).order_by("meeting_date__date", "pk")
    )
    rows = [
        {
            "matter": m,
            "summary": render_markdown(m.summary),
            "heard": [
                (h.workplace.name, selectors.hearing_status(h), selectors.public_response(h)) for h in m.hearings.all()
            ],
        }
        for m in matters
    ]
    if not rows:
        return ""
    return render_to_string("meetings/hearings/_public_panel.html", {"rows": rows}, request=request)


def ledger_counts(committee, workplace_ids, since_12, since_24, now) -> list[tuple[str, dict]]:
    """The equal-access ledger's columns (``core.registry.ledger_columns``): per workplace, the committee's hearings
    it answered (its first response, or »no comments«), the matters decided without its response, and the
    presentations it gave at a held meeting, in the last 12 and 24 months. Three queries."""
    answered = (
        HearingResponse.objects.filter(
            number=1,
            hearing__matter__committee=committee,
            hearing__workplace_id__in=workplace_ids,
            submitted_at__gte=since_24,
            submitted_at__lte=now,
        )
        .values("hearing__workplace_id")
        .annotate(n24=Count("pk"), n12=Count("pk", filter=Q(submitted_at__gte=since_12)))
    )
    presented = (
        Presentation.objects.filter(
            status=Presentation.Status.ACCEPTED,
            hearing__matter__committee=committee,
            hearing__workplace_id__in=workplace_ids,
            hearing__matter__meeting_date__date__gte=since_24.date(),
            hearing__matter__meeting_date__date__lte=now.date(),
        )
        .values("hearing__workplace_id")
        .annotate(n24=Count("pk"), n12=Count("pk", filter=Q(hearing__matter__meeting_date__date__gte=since_12.date())))
    )
    without = (
        Hearing.objects.filter(
            matter__committee=committee,
            workplace_id__in=workplace_ids,
            matter__decided_at__gte=since_24,
            matter__decided_at__lte=now,
            responses__isnull=True,
        )
        .values("workplace_id")
        .annotate(n24=Count("pk"), n12=Count("pk", filter=Q(matter__decided_at__gte=since_12)))
    )
    return [
        (_("Hearings answered"), {r["hearing__workplace_id"]: (r["n12"], r["n24"]) for r in answered}),
        (_("Treated without a response"), {r["workplace_id"]: (r["n12"], r["n24"]) for r in without}),
        (_("Presentations given"), {r["hearing__workplace_id"]: (r["n12"], r["n24"]) for r in presented}),
    ]
