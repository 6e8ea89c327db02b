"""seed_demo's challenges step: a challenge in every state for each committee, a running trial among them, a
documentation demand on the positive list removed by the granted one, told to nobody, and not twice."""

from django.core import mail

from codex.challenges.models import Challenge, Status
from codex.positive_list.models import PolicyItem
from core.models import OutboxMessage
from dialog_portal.demo.challenges import seed_challenges
from tests import factories


def test_the_demo_has_challenges_in_every_state_and_tells_nobody(cast, django_capture_on_commit_callbacks):
    second = factories.WorkplaceFactory(slug="skovbrynet", name="Skovbrynets Skole", committees=[cast.committee])
    factories.WorkplaceRoleFactory(user=factories.UserFactory(email="leder2@dalby.example"), workplace=second)
    item = factories.PolicyItemFactory(committee=cast.committee, demands_documentation=True)
    with django_capture_on_commit_callbacks(execute=True):
        seed_challenges()
    challenges = Challenge.objects.filter(committee=cast.committee)
    assert set(challenges.values_list("status", flat=True)) == set(Status.values)
    assert challenges.filter(status=Status.TRIAL).count() == 2
    assert challenges.filter(joiners__workplace__isnull=False).exists()
    assert PolicyItem.objects.get(pk=item.pk).status == PolicyItem.Status.REMOVED
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True, handler__startswith="codex.challenges.")
    count = Challenge.objects.count()
    seed_challenges()
    assert Challenge.objects.count() == count
