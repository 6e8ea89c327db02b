"""E-mails about visits; the Celery task ``meetings.tasks.send_visit_mail`` calls this after commit."""

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from dialog_portal.mail import send_templated_mail

from ..models import User, Visit, VisitParticipant, WorkplaceRole
from .ical import calendar_for

# Who hears about what. "participants" are the politicians booked; "leaders" lead the workplace.
_PLAN = {
    "booked": [("participants", "visit_booked"), ("leaders", "visit_request")],
    "confirmed": [("participants", "visit_confirmed")],
    "declined": [("participants", "visit_declined")],
    "cancelled": [("participants", "visit_cancelled"), ("leaders", "visit_cancelled")],
    "moved": [("participants", "visit_moved"), ("leaders", "visit_request")],
}
KINDS = frozenset(_PLAN)


def _load(visit_id: int) -> Visit | None:
    return (
        Visit.objects.select_related("workplace", "slot__offer", "booked_by")
        .prefetch_related(Prefetch("participants", queryset=VisitParticipant.objects.select_related("person")))
        .filter(pk=visit_id)
        .first()
    )


def visit_mail_send(*, visit_id: int, kind: str, actor_id: int | None = None) -> int:
    """Tell the people involved about a change to a visit, with the updated calendar entry.
    The person who made the change is not told about it. Returns the number of e-mails sent."""
    visit = _load(visit_id)
    if visit is None or kind not in _PLAN:
        return 0
    participants = [p.person for p in visit.participants.all() if p.person.is_active]
    leaders = list(
        User.objects.filter(
            is_active=True,
            workplace_roles__in=WorkplaceRole.objects.current().filter(
                workplace=visit.workplace, role=WorkplaceRole.Role.LEADER
            ),
        ).distinct()
    )
    ics = calendar_for([visit], name=visit.workplace.name)
    base = settings.PORTAL_BASE_URL
    context = {
        "visit": visit,
        "participants": participants,
        "visit_url": f"{base}{visit.get_absolute_url()}",
        "confirm_url": f"{base}{reverse('meetings:visit-confirm', args=[visit.pk])}",
        "decline_url": f"{base}{reverse('meetings:visit-decline', args=[visit.pk])}",
        "last_note": visit.events.order_by("-created_at", "-pk").values_list("note", flat=True).first() or "",
    }
    sent = 0
    for audience, template in _PLAN[kind]:
        people = participants if audience == "participants" else leaders
        for person in people:
            if person.pk == actor_id and kind != "booked":
                continue
            send_templated_mail(
                f"meetings/email/{template}",
                to=[person.email],
                context={**context, "person": person},
                attachments=[("besoeg.ics", ics, "text/calendar")] if audience == "participants" else None,
            )
            sent += 1
    return sent
