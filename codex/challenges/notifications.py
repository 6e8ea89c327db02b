"""E-mails about challenges of rules; the outbox calls ``challenge_notice_send`` after the change commits.

- ``submitted``: the committee's chair (and vice-chair) are told a challenge waits for them.
- ``joined``: the challenging workplace's leaders are told another workplace joined.
- ``scheduled``, ``granted``, ``trial_granted``, ``rejected``, ``passed_on``, ``made_permanent``, ``extended``,
  ``stopped``: the leaders of the challenging workplace and of every workplace that joined.
- ``trial_ending``: the chair and vice-chair, and the leaders, before a trial ends.
"""

from core.mail import send_templated_mail
from meetings.models import CommitteeMembership, User, WorkplaceRole

from .models import Challenge

TO_CHAIR = {"submitted"}
TO_CHALLENGER = {"joined"}
TO_EVERY_WORKPLACE = {
    "scheduled",
    "granted",
    "trial_granted",
    "rejected",
    "passed_on",
    "made_permanent",
    "extended",
    "stopped",
}
KINDS = TO_CHAIR | TO_CHALLENGER | TO_EVERY_WORKPLACE | {"trial_ending"}


def _leaders(workplace_ids) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            workplace_roles__in=WorkplaceRole.objects.current().filter(
                workplace_id__in=list(workplace_ids), role=WorkplaceRole.Role.LEADER
            ),
        )
        .distinct()
        .order_by("pk")
    )


def _chairs(committee_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=CommitteeMembership.objects.current().filter(
                committee_id=committee_id,
                role__in=[CommitteeMembership.Role.CHAIR, CommitteeMembership.Role.VICE_CHAIR],
            ),
        )
        .distinct()
        .order_by("pk")
    )


def recipients(challenge: Challenge, kind: str) -> list[User]:
    if kind in TO_CHAIR:
        return _chairs(challenge.committee_id)
    if kind in TO_CHALLENGER:
        return _leaders([challenge.workplace_id])
    workplaces = [challenge.workplace_id, *(j.workplace_id for j in challenge.joiners.all())]
    if kind == "trial_ending":
        people = {p.pk: p for p in [*_chairs(challenge.committee_id), *_leaders(workplaces)]}
        return list(people.values())
    return _leaders(workplaces)


def challenge_notice_send(*, challenge_id: int, kind: str) -> int:
    challenge = (
        Challenge.objects.select_related("workplace", "committee", "meeting", "policy_item")
        .prefetch_related("joiners__workplace")
        .filter(pk=challenge_id)
        .first()
    )
    if challenge is None or kind not in KINDS:
        return 0
    people = recipients(challenge, kind)
    latest = challenge.events.order_by("-created_at", "-pk").first()
    for person in people:
        send_templated_mail(
            "codex/challenges/email/notice",
            to=[person.email],
            context={"person": person, "challenge": challenge, "kind": kind, "event": latest},
        )
    return len(people)
