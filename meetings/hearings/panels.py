"""The hearings' panels on the rotation's pages, through the registries of ``core.registry``: on a committee meeting's
page the matters treated at the meeting with their hearing status, who presents what, and in red a matter treated
without a workplace's response; on a committee's public plan the decided matters marked public."""

import datetime as dt

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from codex.formatting import render_markdown
from core.registry import ledger_window, moments_ahead
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


def ledger_counts(committee, workplace_ids, since_12, since_24, now, until=None) -> list[tuple[str, dict]]:
    """The equal-access ledger's columns (``core.registry.ledger_columns``): per workplace, the committee's hearings
    it answered (its first response, or »no comments«), the matters decided without its response, and the
    presentations it gave at a held meeting, in the last 12 and 24 months. Three queries. ``until`` (a list), when
    given, gets the first moment after which time alone changes the counts: something counted leaves the 12 or 24
    months, or something ahead of ``now`` comes into them (read in the same queries)."""
    answered = (
        HearingResponse.objects.filter(
            number=1,
            hearing__matter__committee=committee,
            hearing__workplace_id__in=workplace_ids,
            submitted_at__gte=since_24,
        )
        .values("hearing__workplace_id")
        .annotate(**ledger_window("submitted_at", since_12, since_24, now))
    )
    # A presentation counts by its meeting's date against the days of ``since_24``, ``since_12`` and ``now``.
    day = "hearing__matter__meeting_date__date"
    presented = (
        Presentation.objects.filter(
            status=Presentation.Status.ACCEPTED,
            hearing__matter__committee=committee,
            hearing__workplace_id__in=workplace_ids,
            **{f"{day}__gte": since_24.date()},
        )
        .values("hearing__workplace_id")
        .annotate(**ledger_window(day, since_12.date(), since_24.date(), now.date()))
    )
    without = (
        Hearing.objects.filter(
            matter__committee=committee,
            workplace_id__in=workplace_ids,
            matter__decided_at__gte=since_24,
            responses__isnull=True,
        )
        .values("workplace_id")
        .annotate(**ledger_window("matter__decided_at", since_12, since_24, now))
    )
    answered, presented, without = list(answered), list(presented), list(without)
    if until is not None:
        until.extend(moments_ahead(answered + without, since_12, since_24, now))
        # A day's boundary is the midnight (of ``now``'s zone) that moves ``now.date()`` past it.
        midnight = dt.time(tzinfo=now.tzinfo)
        until.extend(
            dt.datetime.combine(d, midnight)
            for d in moments_ahead(presented, since_12.date(), since_24.date(), now.date(), step=dt.timedelta(days=1))
        )
    return [
        (_("Hearings answered"), _counts(answered, "hearing__workplace_id")),
        (_("Treated without a response"), _counts(without, "workplace_id")),
        (_("Presentations given"), _counts(presented, "hearing__workplace_id")),
    ]


def _counts(found: list[dict], key: str) -> dict:
    return {r[key]: (r["n12"], r["n24"]) for r in found if r["n24"]}
