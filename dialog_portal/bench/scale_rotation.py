"""The rotation at scale for the benchmark (``seed_scale``; see ``dialog_portal/bench/scale.py``).

Ten years of on-site meetings for every committee (about 11 a year each: 1,100 for ten committees), planned year by
year with the real planner so the history is as even as the rotation makes it, written with bulk inserts: the
published plans, their meetings, invitations and hostings. Next year gets a draft plan to review.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from meetings.models import Committee, Hosting, Meeting, MeetingInvitation, PlannedMeeting, RotationPlan, Workplace
from meetings.rotation.calendar import meeting_dates
from meetings.rotation.planner import MeetingIn, PlanParams, WorkplaceIn, plan_year

from .bulk import bulk


def rotation(ctx) -> dict:

    tz = ZoneInfo(settings.TIME_ZONE)
    workplaces = list(
        Workplace.objects.filter(pk__in=ctx.ids["workplaces"])
        .select_related("kind", "district")
        .prefetch_related("committees")
    )
    under: dict[int, list] = {}
    for workplace in workplaces:
        for committee in workplace.committees.all():
            under.setdefault(committee.pk, []).append(workplace)

    committees = list(Committee.objects.filter(pk__in=ctx.ids["committees"]))
    totals = {"rotation_plans": 0, "meetings": 0, "invitations": 0, "hostings": 0}
    for committee in committees:
        mine = sorted(under.get(committee.pk, []), key=lambda w: w.slug)
        by_slug = {w.slug: w for w in mine}
        history: dict[str, list[dt.date]] = {}
        params = PlanParams(committee_size=9, secretariat_seats=settings.DIALOG_SECRETARIAT_SEATS)
        for year in range(ctx.first_year, ctx.today.year + 2):
            dates = meeting_dates(
                year, committee.meeting_weekday - 1, 2, skip_months=(7,), start=committee.meeting_start
            )
            plan = plan_year(
                [
                    WorkplaceIn(w.slug, w.kind.slug, w.district.name, w.seats, True, (), tuple(history.get(w.slug, ())))
                    for w in mine
                ],
                [MeetingIn(d, s) for d, s, _e in dates],
                params,
            )
            draft = year > ctx.today.year
            row = RotationPlan.objects.create(
                committee=committee,
                year=year,
                status=RotationPlan.Status.DRAFT if draft else RotationPlan.Status.PUBLISHED,
                fairness=plan.fairness.to_dict(),
                broken_rules=[b.to_dict() for b in plan.broken_rules],
            )
            totals["rotation_plans"] += 1
            planned = bulk(
                PlannedMeeting,
                (
                    PlannedMeeting(plan=row, date=m.date, start=m.start, host=by_slug.get(m.host), why=m.why)
                    for m in plan.meetings
                ),
            )
            through = PlannedMeeting.guests.through
            bulk(
                through,
                (
                    through(plannedmeeting_id=p.pk, workplace_id=by_slug[g].pk)
                    for p, m in zip(planned, plan.meetings, strict=True)
                    for g in m.guests
                ),
            )
            if draft:
                continue
            hosted = [m for m in plan.meetings if m.host]
            meetings = bulk(
                Meeting,
                (
                    Meeting(
                        committee=committee,
                        plan=row,
                        host=by_slug[m.host],
                        starts_at=dt.datetime.combine(m.date, m.start, tzinfo=tz),
                        ends_at=dt.datetime.combine(m.date, m.start, tzinfo=tz) + dt.timedelta(hours=3),
                        address=by_slug[m.host].address,
                        why=m.why,
                    )
                    for m in hosted
                ),
            )
            invitations = bulk(
                MeetingInvitation,
                (
                    MeetingInvitation(meeting=meeting, workplace=by_slug[g])
                    for meeting, m in zip(meetings, hosted, strict=True)
                    for g in m.guests
                ),
            )
            bulk(
                Hosting,
                (
                    Hosting(committee=committee, workplace=by_slug[m.host], date=m.date, meeting=meeting)
                    for meeting, m in zip(meetings, hosted, strict=True)
                ),
            )
            for m in hosted:
                history.setdefault(m.host, []).append(m.date)
            totals["meetings"] += len(meetings)
            totals["invitations"] += len(invitations)
            totals["hostings"] += len(meetings)
    return totals
