"""E-mails about agreements, to the people who must act next. The outbox calls
:func:`agreement_notice_send` after the change commits (see ``meetings/outbox.py``)."""

from django.conf import settings
from django.urls import reverse

from dialog_portal.mail import send_templated_mail
from meetings.models import CommitteeMembership, User, WorkplaceRole

from .models import Agreement, AgreementSignature, Status

KINDS = frozenset(
    {
        "consultation",
        "submitted",
        "resubmitted",
        "changes_requested",
        "approved",
        "sign_waiting",
        "signed",
        "followed_up",
        "reminder",
        "followup_midterm",
        "followup_final",
    }
)


def _leaders(agreement: Agreement):
    roles = WorkplaceRole.objects.current().filter(workplace=agreement.workplace_id, role=WorkplaceRole.Role.LEADER)
    return User.objects.filter(is_active=True, workplace_roles__in=roles)


def _trio(agreement: Agreement):
    roles = WorkplaceRole.objects.current().filter(workplace=agreement.workplace_id, role=WorkplaceRole.Role.TRIO)
    return User.objects.filter(is_active=True, workplace_roles__in=roles)


def _members(agreement: Agreement, *roles: str):
    memberships = CommitteeMembership.objects.current().filter(committee=agreement.committee_id)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(is_active=True, memberships__in=memberships)


def _committee_signers(agreement: Agreement):
    chairs = _members(agreement, CommitteeMembership.Role.CHAIR)
    return chairs if chairs.exists() else _members(agreement, CommitteeMembership.Role.VICE_CHAIR)


def _missing_signers(agreement: Agreement) -> list:
    version = agreement.versions.order_by("-number").first()
    signed = set(version.signatures.values_list("side", flat=True)) if version else set()
    people = []
    if AgreementSignature.Side.WORKPLACE not in signed:
        people += list(_leaders(agreement))
    if AgreementSignature.Side.COMMITTEE not in signed:
        people += list(_committee_signers(agreement))
    return people


def recipients(agreement: Agreement, kind: str) -> list[User]:
    """Who must act next (or needs to know) after a change of this kind."""
    if kind == "consultation":
        people = list(_trio(agreement)) + list(agreement.consultees.filter(is_active=True))
    elif kind in ("submitted", "resubmitted"):
        people = list(_members(agreement))
    elif kind in ("changes_requested", "followup_midterm", "followup_final"):
        people = list(_leaders(agreement))
        if kind != "changes_requested":
            people += list(_committee_signers(agreement))
    elif kind in ("approved", "sign_waiting"):
        people = _missing_signers(agreement)
    elif kind == "signed":
        people = list(_leaders(agreement)) + list(_trio(agreement)) + list(_members(agreement))
    elif kind == "followed_up":
        people = list(_committee_signers(agreement))
    elif kind == "reminder":
        people = {
            Status.CONSULTATION: lambda: list(_leaders(agreement)),
            Status.CHANGES_REQUESTED: lambda: list(_leaders(agreement)),
            Status.SUBMITTED: lambda: list(_members(agreement)),
            Status.RESUBMITTED: lambda: list(_members(agreement)),
            Status.APPROVED: lambda: _missing_signers(agreement),
        }.get(agreement.status, list)()
    else:
        people = []
    unique = {}
    for person in people:
        unique.setdefault(person.pk, person)
    return sorted(unique.values(), key=lambda p: p.pk)


def agreement_notice_send(*, agreement_id: int, kind: str, actor_id: int | None = None) -> int:
    """Send one notice to each person who must act next, not to the person who made the change.
    Returns the number of e-mails sent."""
    agreement = Agreement.objects.select_related("workplace", "committee").filter(pk=agreement_id).first()
    if agreement is None or kind not in KINDS:
        return 0
    last = agreement.events.exclude(note="").order_by("-created_at", "-pk").values_list("note", flat=True).first()
    base = settings.PORTAL_BASE_URL
    context = {
        "agreement": agreement,
        "kind": kind,
        "agreement_url": f"{base}{agreement.get_absolute_url()}",
        "followup_url": f"{base}{reverse('agreements:followup-create', args=[agreement.pk])}",
        "note": last or "",
        "reminder_days": settings.DIALOG_AGREEMENT_REMINDER_DAYS,
    }
    sent = 0
    for person in recipients(agreement, kind):
        if person.pk == actor_id:
            continue
        send_templated_mail("agreements/email/notice", to=[person.email], context={**context, "person": person})
        sent += 1
    return sent
