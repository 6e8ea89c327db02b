"""The agreements demo step: every state, shared goals adopted, comments, an active agreement with a mid-term
follow-up at the demo school; a second run changes nothing."""

import pytest

from agreements.models import Agreement, AgreementVersion, Comment, FollowUp, Goal, Status
from dialog_portal.demo.agreements import seed_agreements
from dialog_portal.demo.organisation import DEMO_SCHOOL, DemoRun, seed_organisation

pytestmark = pytest.mark.django_db


def test_the_demo_has_agreements_in_every_state_and_runs_twice_without_changes():
    demo = DemoRun()
    seed_organisation(demo=demo)
    lines = seed_agreements(demo=demo)
    assert {a.status for a in Agreement.objects.all()} == set(Status.values)
    assert Goal.objects.filter(kind="shared").exists()
    assert Comment.objects.exists()
    active = Agreement.objects.get(status=Status.ACTIVE)
    assert active.workplace.name == DEMO_SCHOOL and active.carried_from is not None
    assert active.signatures.count() == 2
    assert FollowUp.objects.filter(goal__agreement=active, kind="midterm").exists()
    assert all(v.recompute_fingerprint() == v.fingerprint for v in AgreementVersion.objects.all())
    assert "10 agreements" in lines[0]
    counts = (Agreement.objects.count(), AgreementVersion.objects.count(), Comment.objects.count())
    assert "0 new" in seed_agreements(demo=demo)[0]
    assert (Agreement.objects.count(), AgreementVersion.objects.count(), Comment.objects.count()) == counts
