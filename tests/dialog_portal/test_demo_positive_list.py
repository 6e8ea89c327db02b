"""seed_demo's positive-list step: a list per committee and the city council's, some due for review, some removed,
told to nobody, and not twice."""

from django.core import mail
from django.utils import timezone

from codex.models import PolicyItem, PolicyReview
from codex.positive_list.selectors import notice_horizon
from core.models import OutboxMessage
from dialog_portal.demo.positive_list import seed_positive_list


def test_the_demo_has_a_list_per_committee_with_reviews_due_and_removed_items(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed_positive_list()
    for committee in (None, cast.committee, cast.other_committee):
        items = PolicyItem.objects.of_list(committee)
        assert items.in_force().exists() and items.removed().exists()
    due = PolicyItem.objects.of_list(cast.committee).review_due(notice_horizon())
    assert due.count() >= 2 and due.filter(next_review_on__lt=timezone.localdate()).exists()
    assert PolicyReview.objects.filter(decision="abolish").count() == PolicyItem.objects.removed().count()
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True, handler__startswith="codex.positive_list.")


def test_the_demo_runs_twice_without_changes(cast):
    seed_positive_list()
    before = (PolicyItem.objects.count(), PolicyReview.objects.count())
    seed_positive_list()
    assert (PolicyItem.objects.count(), PolicyReview.objects.count()) == before
