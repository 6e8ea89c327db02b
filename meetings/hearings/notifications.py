"""E-mails about hearings; the outbox calls these after commit.

- ``matter_notice_send(kind="registered")``: the leaders and the trio of each workplace heard are told at once.
- ``matter_notice_send(kind="reminder")``: three working days before the deadline, those of the workplaces that
  have not answered.
- ``missing_responses_send``: the day after the deadline, the secretariat is told which responses are missing.
"""

from django.db.models import Prefetch

from core.mail import send_templated_mail
from meetings.models import Hearing, HearingResponse, Matter, User, WorkplaceRole

KINDS = {"registered": "meetings/hearings/email/matter_registered", "reminder": "meetings/hearings/email/reminder"}


def _load(matter_id: int) -> Matter | None:
    return (
        Matter.objects.select_related("committee", "meeting_date")
        .prefetch_related(
            Prefetch(
                "hearings",
                queryset=Hearing.objects.select_related("workplace").prefetch_related(
                    Prefetch("responses", queryset=HearingResponse.objects.order_by("number"))
                ),
            )
        )
        .filter(pk=matter_id)
        .first()
    )


def _heard_people(workplace_id: int) -> list[User]:
    """The leaders and the trio of a workplace, today."""
    return list(
        User.objects.filter(
            is_active=True,
            workplace_roles__in=WorkplaceRole.objects.current().filter(
                workplace_id=workplace_id, role__in=[WorkplaceRole.Role.LEADER, WorkplaceRole.Role.TRIO]
            ),
        )
        .distinct()
        .order_by("pk")
    )


def matter_notice_send(*, matter_id: int, kind: str) -> int:
    matter = _load(matter_id)
    if matter is None or kind not in KINDS:
        return 0
    sent = 0
    for hearing in matter.hearings.all():
        if kind == "reminder" and hearing.responses.all():
            continue
        for person in _heard_people(hearing.workplace_id):
            send_templated_mail(
                KINDS[kind],
                to=[person.email],
                context={"person": person, "matter": matter, "hearing": hearing},
            )
            sent += 1
    return sent


def missing_responses_send(*, matter_id: int, workplace_ids: list[int]) -> int:
    matter = _load(matter_id)
    if matter is None:
        return 0
    missing = [h for h in matter.hearings.all() if h.workplace_id in set(workplace_ids)]
    sent = 0
    for person in User.objects.filter(is_active=True, is_staff=True).order_by("pk"):
        send_templated_mail(
            "meetings/hearings/email/missing_responses",
            to=[person.email],
            context={"person": person, "matter": matter, "missing": missing},
        )
        sent += 1
    return sent
