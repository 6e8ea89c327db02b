"""E-mails about hearings; the outbox calls these after commit.

- ``matter_notice_send(kind="registered")``: the leaders and the trio of each workplace heard are told at once.
- ``matter_notice_send(kind="reminder")``: three working days before the deadline, those of the workplaces that
  have not answered.
- ``matter_notice_send(kind="decided")``: after the meeting, every workplace heard is told the outcome.
- ``presentation_notice_send``: the chair is told of a request to present; the leader of the answer.
- ``missing_responses_send``: the day after the deadline, the secretariat is told which responses are missing.
"""

from django.db.models import Prefetch

from core.mail import send_templated_mail
from meetings.models import CommitteeMembership, Hearing, HearingResponse, Matter, Presentation, User, WorkplaceRole

KINDS = {
    "registered": "meetings/hearings/email/matter_registered",
    "reminder": "meetings/hearings/email/reminder",
    "decided": "meetings/hearings/email/decided",
}


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


def presentation_notice_send(*, presentation_id: int, kind: str) -> int:
    presentation = (
        Presentation.objects.select_related(
            "hearing__workplace", "hearing__matter__committee", "hearing__matter__meeting_date", "requested_by"
        )
        .filter(pk=presentation_id)
        .first()
    )
    if presentation is None:
        return 0
    matter = presentation.hearing.matter
    if kind == "requested":
        people = list(
            User.objects.filter(
                is_active=True,
                memberships__in=CommitteeMembership.objects.current().filter(
                    committee_id=matter.committee_id, role=CommitteeMembership.Role.CHAIR
                ),
            ).distinct()
        )
    else:
        people = [presentation.requested_by] if presentation.requested_by.is_active else []
    for person in people:
        send_templated_mail(
            f"meetings/hearings/email/presentation_{kind}",
            to=[person.email],
            context={"person": person, "matter": matter, "hearing": presentation.hearing, "presentation": presentation},
        )
    return len(people)
