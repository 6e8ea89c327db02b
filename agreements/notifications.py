"""E-mails about agreements, to the people who must act next. The outbox calls
:func:`agreement_notice_send` after the change commits (see ``core/outbox.py``).

A notice tells what happened when it was queued, however late it is delivered: the service passes the event that
caused it (its from/to status, note and time) and the recipients worked out at that moment (:func:`notice_kwargs`).
By the time the worker sends it the agreement may have moved on twice; the e-mail still says what happened then, to
the people it concerned then, and adds where the agreement stands now.
"""

from django.conf import settings
from django.urls import reverse

from core.mail import send_templated_mail
from meetings.models import CommitteeMembership, User, WorkplaceRole

from .models import Agreement, AgreementEvent, AgreementSignature, Status

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
# The status a kind's event leads to, for messages queued before notices carried their event (see below).
_KIND_STATUS = {
    "consultation": Status.CONSULTATION,
    "submitted": Status.SUBMITTED,
    "resubmitted": Status.RESUBMITTED,
    "changes_requested": Status.CHANGES_REQUESTED,
    "approved": Status.APPROVED,
    "signed": Status.SIGNED,
    "followed_up": Status.FOLLOWED_UP,
}


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


def recipients(agreement: Agreement, kind: str, status: str | None = None) -> list[User]:
    """Who must act next (or needs to know) after a change of this kind. ``status`` is the agreement's status
    the notice is about (a reminder's); by default its status now."""
    status = status or agreement.status
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
        }.get(status, list)()
    else:
        people = []
    unique = {}
    for person in people:
        unique.setdefault(person.pk, person)
    return sorted(unique.values(), key=lambda p: p.pk)


def notice_kwargs(
    agreement: Agreement, kind: str, *, actor: User | None = None, event: AgreementEvent | None = None
) -> dict:
    """The outbox arguments of a notice, fixed when it is queued: the event that caused it (or, for a reminder,
    the status it reminds of) and who it goes to, less the person who made the change."""
    actor_id = actor.pk if actor else None
    status = event.to_status if event is not None else agreement.status
    return {
        "agreement_id": agreement.pk,
        "kind": kind,
        "actor_id": actor_id,
        "event_id": event.pk if event is not None else None,
        "status": status,
        "recipient_ids": [p.pk for p in recipients(agreement, kind, status) if p.pk != actor_id],
    }


def _legacy_event(agreement: Agreement, kind: str) -> AgreementEvent | None:
    """A message queued before notices carried their event: the newest event of its kind is the best guess."""
    events = agreement.events.order_by("-created_at", "-pk")
    if kind == "sign_waiting":
        return events.filter(action="signature").first()
    if kind in _KIND_STATUS:
        return events.filter(to_status=_KIND_STATUS[kind]).first()
    return None


def agreement_notice_send(
    *,
    agreement_id: int,
    kind: str,
    actor_id: int | None = None,
    event_id: int | None = None,
    status: str | None = None,
    recipient_ids: list[int] | None = None,
) -> int:
    """Send one notice to each person it concerned when it was queued, not to the person who made the change.
    Returns the number of e-mails sent.

    Messages queued before notices carried ``event_id``, ``status`` and ``recipient_ids`` still deliver: their
    event is the newest of their kind and their recipients are worked out now, as they always were."""
    agreement = Agreement.objects.select_related("workplace", "committee").filter(pk=agreement_id).first()
    if agreement is None or kind not in KINDS:
        return 0
    if event_id is not None:
        event = AgreementEvent.objects.filter(pk=event_id, agreement=agreement).select_related("version").first()
    else:
        event = _legacy_event(agreement, kind)
    status_then = event.to_status if event is not None else (status or agreement.status)
    if recipient_ids is not None:
        people = list(User.objects.filter(pk__in=recipient_ids, is_active=True).order_by("pk"))
    else:
        people = [p for p in recipients(agreement, kind, status_then) if p.pk != actor_id]
    base = settings.PORTAL_BASE_URL
    context = {
        "agreement": agreement,
        "kind": kind,
        "event": event,
        "happened_at": event.created_at if event is not None else None,
        "status": status_then,
        "status_label": Status(status_then).label,
        "moved_on": status_then != agreement.status,
        "status_now_label": agreement.get_status_display(),
        "agreement_url": f"{base}{agreement.get_absolute_url()}",
        "followup_url": f"{base}{reverse('agreements:followup-create', args=[agreement.pk])}",
        "note": event.note if event is not None else "",
        "reminder_days": settings.DIALOG_AGREEMENT_REMINDER_DAYS,
    }
    sent = 0
    for person in people:
        if person.pk == actor_id:
            continue
        send_templated_mail("agreements/email/notice", to=[person.email], context={**context, "person": person})
        sent += 1
    return sent
