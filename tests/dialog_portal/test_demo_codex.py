from codex import selectors
from codex.models import CodexVersion, MirrorAnswer, MirrorQuestion, SignatureEvent
from dialog_portal.demo.codex import seed_codex
from tests import factories


def test_the_demo_publishes_version_1_mostly_signed_and_a_draft_version_2(cast):
    for n in range(10):
        factories.MembershipFactory(
            user=factories.UserFactory(full_name=f"Demo Politiker {n}"), committee=cast.committee
        )
    lines = seed_codex()
    v1 = CodexVersion.objects.get(number=1)
    assert v1.is_published
    assert [s.title for s in v1.sections.all()] == [
        "Politikerne sætter rammerne",
        "Forvaltningen gennemfører",
        "Ledere og medarbejdere tager ansvar",
    ]
    assert [v.name for v in v1.values.all()] == ["Sandhed", "Faglighed", "Åbenhed om fejl", "Udvikling", "Samarbejde"]
    assert CodexVersion.objects.get(number=2).status == "draft"
    signed = SignatureEvent.objects.active().count()
    missing = selectors.people_still_to_sign(v1).count()
    assert signed > missing > 0
    assert MirrorQuestion.objects.count() == 3
    assert MirrorAnswer.objects.exists()
    assert selectors.log_problems() == []
    assert "version 1 published" in lines[0]


def test_the_demo_runs_twice_without_changes(cast):
    seed_codex()
    counts = (CodexVersion.objects.count(), SignatureEvent.objects.count(), MirrorAnswer.objects.count())
    seed_codex()
    assert (CodexVersion.objects.count(), SignatureEvent.objects.count(), MirrorAnswer.objects.count()) == counts
