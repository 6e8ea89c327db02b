"""E-mails about the positive list; the outbox calls these after commit.

- ``review_reminder_send``: before an item's review date, its owner (the person named in the portal) and the
  committee (its members today; the secretariat for the city council's list) are reminded, once per review date.
- ``review_notice_send``: after a review, the same people are told the decision.
"""

import datetime as dt

from core.mail import send_templated_mail
from meetings.models import CommitteeMembership, User

from .models import PolicyItem, PolicyReview


def recipients(item: PolicyItem) -> list[User]:
    """The owner and the committee's members today (the secretariat for the city council's list), once each."""
    people = User.objects.filter(is_active=True)
    if item.committee_id is None:
        committee_side = people.filter(is_staff=True)
    else:
        committee_side = people.filter(
            memberships__in=CommitteeMembership.objects.current().filter(committee_id=item.committee_id)
        )
    ids = set(committee_side.values_list("pk", flat=True))
    if item.owner_person_id:
        ids.add(item.owner_person_id)
    return list(people.filter(pk__in=ids).exclude(email="").order_by("pk"))


def _send(prefix: str, item: PolicyItem, context: dict) -> int:
    sent = 0
    for person in recipients(item):
        send_templated_mail(prefix, to=[person.email], context={"person": person, "item": item, **context})
        sent += 1
    return sent


def review_reminder_send(*, item_id: int, review_on: str) -> int:
    item = PolicyItem.objects.select_related("committee").filter(pk=item_id).first()
    # Nothing to remind of if the item was removed or its review moved since the reminder was queued.
    if item is None or not item.is_in_force or item.next_review_on != dt.date.fromisoformat(review_on):
        return 0
    return _send("codex/positive_list/email/review_reminder", item, {})


def review_notice_send(*, review_id: int) -> int:
    review = PolicyReview.objects.select_related("item__committee").filter(pk=review_id).first()
    if review is None:
        return 0
    return _send("codex/positive_list/email/reviewed", review.item, {"review": review})
