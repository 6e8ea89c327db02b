"""The rotation's demo step for ``seed_demo``: three years of history, this year's published plan and next
year's draft for every committee, made through the real services (so the history is as fair as the planner
makes it). The demo tells nobody: its notices are marked delivered before they leave."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from core.models import OutboxMessage
from meetings.models import Committee, Meeting, RotationPlan, User, WorkplaceRole
from meetings.rotation import services

HISTORY_YEARS = 3

MINUTES = (
    "Lederen viste, hvordan hverdagen er lagt om, så flere borgere møder den samme medarbejder. "
    "Udvalget spurgte til ventetiderne og til samarbejdet med de andre arbejdspladser i området. "
    "Aftalt: forvaltningen samler tal på ventetider til næste dialogmøde."
)
PRESENTATION = (
    "Vi viser vores nye måde at tage imod nye borgere på, og to medarbejdere fortæller om, "
    "hvad der er blevet lettere – og hvad der stadig driller."
)


def seed_rotation(*, stdout=None, demo=None, **kwargs) -> list[str]:
    today = getattr(demo, "today", None) or timezone.localdate()
    admin = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if admin is None:
        return ["Rotation: no administrator yet; run the organisation step first."]
    if stdout:
        stdout.write("Seeding the meeting rotation …")
    published = drafts = 0
    with transaction.atomic():
        first_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for committee in Committee.objects.active().order_by("name"):
            for year in range(today.year - HISTORY_YEARS, today.year + 1):
                if RotationPlan.objects.published().filter(committee=committee, year=year).exists():
                    continue
                plan = services.rotation_plan_draft(committee=committee, year=year, actor=admin)
                try:
                    services.rotation_plan_publish(plan=plan, actor=admin)
                except services.RotationError:
                    continue  # a date without a possible host: leave the draft for a person to look at
                published += 1
            next_year = today.year + 1
            if (
                not RotationPlan.objects.filter(committee=committee, year=next_year)
                .exclude(status=RotationPlan.Status.DISCARDED)
                .exists()
            ):
                services.rotation_plan_draft(committee=committee, year=next_year, actor=admin)
                drafts += 1
        _write_on_site_texts(today)
        # The demo e-mails nobody: its notices count as delivered.
        OutboxMessage.objects.filter(pk__gt=first_outbox, handler__startswith="meetings.rotation.").update(
            delivered_at=timezone.now()
        )
    meetings = Meeting.objects.count()
    return [f"Rotation: {published} plans published, {drafts} drafts for {today.year + 1}, {meetings} meetings."]


def _write_on_site_texts(today: dt.date) -> None:
    """Minutes for the held meetings of this year that have none, and a presentation for the next few."""
    now = timezone.now()
    for meeting in Meeting.objects.filter(starts_at__year=today.year, starts_at__lt=now, minutes=""):
        meeting.minutes = MINUTES
        meeting.save(update_fields=["minutes"])
    for meeting in Meeting.objects.filter(starts_at__gte=now, presentation="").order_by("starts_at")[:3]:
        leader = WorkplaceRole.objects.current().filter(workplace=meeting.host, role="leader").first()
        if leader is not None:
            with override_settings(DIALOG_CODEX_GATE=False):  # the demo codex leaves some unsigned on purpose
                services.meeting_presentation_update(meeting=meeting, actor=leader.user, presentation=PRESENTATION)
