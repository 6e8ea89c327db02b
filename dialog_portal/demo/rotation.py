"""The rotation's demo step for ``seed_demo``: three years of history, this year's published plan and next
year's draft for every committee, made through the real services (so the history is as fair as the planner
makes it). The demo tells nobody: its notices are marked delivered before they leave."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from core.models import OutboxMessage
from meetings.models import Blackout, Committee, LedgerSnapshot, Meeting, RotationPlan, User, Workplace, WorkplaceRole
from meetings.rotation import services

from .organisation import DEMO_SCHOOL

DEMO_COMMITTEE = "boern-og-unge"
HOST_REASON = "Bakkeskolen har selv bedt om at vise sin nye indskoling frem for udvalget."

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
    published = 0
    with transaction.atomic():
        first_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for committee in Committee.objects.active().order_by("name"):
            for year in range(today.year - HISTORY_YEARS, today.year + 1):
                if RotationPlan.objects.published().filter(committee=committee, year=year).exists():
                    continue
                plan = services.rotation_plan_draft(committee=committee, year=year, actor=admin)
                if year == today.year and committee.slug == DEMO_COMMITTEE:
                    _demo_school_hosts(plan, admin)
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
                plan = services.rotation_plan_draft(committee=committee, year=next_year, actor=admin)
                # Late in the year, after the committee's last meeting: the demo leader hosts next year's first.
                late = committee.slug == DEMO_COMMITTEE and not _demo_school_hosts_soon()
                if late and _demo_school_hosts(plan, admin):
                    services.rotation_plan_publish(plan=plan, actor=admin)
                    published += 1
        _confirm_outcomes(admin)
        _write_on_site_texts(today)
        # The demo e-mails nobody: its notices count as delivered.
        OutboxMessage.objects.filter(pk__gt=first_outbox, handler__startswith="meetings.rotation.").update(
            delivered_at=timezone.now()
        )
    meetings = Meeting.objects.count()
    # Totals, not what this run added: a second run adds nothing, and "0 plans published" would read as if the
    # plans were gone.
    all_published = RotationPlan.objects.published().count()
    all_drafts = RotationPlan.objects.drafts().filter(year=today.year + 1).count()
    return [
        f"Rotation: {all_published} plans published in all ({published} by this run), "
        f"{all_drafts} drafts for {today.year + 1}, {meetings} meetings."
    ]


def _demo_school(committee_id: int) -> Workplace | None:
    return Workplace.objects.filter(name=DEMO_SCHOOL, committees=committee_id, is_active=True).first()


def _demo_school_hosts_soon() -> bool:
    return Meeting.objects.filter(host__name=DEMO_SCHOOL, starts_at__gte=timezone.now()).exists()


def _demo_school_hosts(plan: RotationPlan, admin: User) -> bool:
    """The demo leader's school hosts the draft's first meeting still to come on a day it is open, so the host's
    side of a meeting can be seen. A change by hand, with its reason, as the secretariat would make it."""
    school = _demo_school(plan.committee_id)
    if school is None:
        return False
    for planned in plan.meetings.filter(date__gt=timezone.localdate()).order_by("date"):
        if Blackout.objects.filter(workplace=school).covering(planned.date).exists():
            continue
        if planned.host_id != school.pk:
            services.rotation_host_swap(planned=planned, host=school, actor=admin, reason=HOST_REASON)
        return True
    return False


def _confirm_outcomes(admin: User) -> None:
    """The secretariat confirms the past meetings as held, with every guest there, except the demo committee's
    latest, which stays unconfirmed (shown apart in the ledger, on the dashboard "to confirm"). A second run on the
    same day confirms nothing more."""
    now = timezone.now()
    latest = (
        Meeting.objects.filter(committee__slug=DEMO_COMMITTEE, ends_at__lte=now, status=Meeting.Status.SCHEDULED)
        .order_by("-starts_at")
        .values_list("pk", flat=True)
        .first()
    )
    for meeting in Meeting.objects.unconfirmed(now).exclude(pk=latest).prefetch_related("invitations"):
        guests = [i.workplace_id for i in meeting.invitations.all()]
        services.meeting_outcome_record(meeting=meeting, actor=admin, outcome="held", attended_ids=guests, now=now)


def _write_on_site_texts(today: dt.date) -> None:
    """Minutes for the held meetings of this year that have none, and a presentation for the next few (not the
    demo leader's: they write their own in the tour). Only the next few, so a second run writes nothing."""
    now = timezone.now()
    for meeting in Meeting.objects.filter(starts_at__year=today.year, starts_at__lt=now, minutes="", outcome="held"):
        meeting.minutes = MINUTES
        meeting.save(update_fields=["minutes"])
    next_few = Meeting.objects.filter(starts_at__gte=now).exclude(host__name=DEMO_SCHOOL).order_by("starts_at")[:3]
    for meeting in next_few:
        if meeting.presentation:
            continue
        leader = WorkplaceRole.objects.current().filter(workplace=meeting.host, role="leader").first()
        if leader is not None:
            with override_settings(DIALOG_CODEX_GATE=False):  # the demo codex leaves some unsigned on purpose
                services.meeting_presentation_update(meeting=meeting, actor=leader.user, presentation=PRESENTATION)


# The public ledger's last months, as the monthly job would have published them: after the visits' step, so they
# count too. A month already published stays as it is, so a second run changes nothing.
LEDGER_MONTHS = 3


def seed_public_ledger(*, stdout=None, demo=None, **kwargs) -> list[str]:
    today = getattr(demo, "today", None) or timezone.localdate()
    if stdout:
        stdout.write("Publishing the equal-access ledger's last months …")
    day = today.replace(day=1)
    for _n in range(LEDGER_MONTHS):
        services.ledger_snapshot_take(today=day)
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return [f"Public ledger: {LedgerSnapshot.objects.count()} months published in all."]
