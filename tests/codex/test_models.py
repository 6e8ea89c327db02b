import pytest

from codex.errors import CodexError
from codex.models import CodexPrinciple, CodexSection, CodexValue, CodexVersion, SignatureEvent

from .conftest import sign, write_draft


def test_a_draft_can_change(cast):
    draft = write_draft(cast.administrator)
    draft.title = "Ny titel"
    draft.save()
    CodexValue.objects.create(version=draft, name="Udvikling")
    assert draft.values.count() == 3


def test_a_new_version_defaults_to_politicians_and_leaders_signing(cast):
    assert write_draft(cast.administrator).roles_to_sign == ["politician", "leader"]


def test_a_published_version_text_never_changes(version):
    version.title = "Ændret"
    with pytest.raises(CodexError):
        version.save()


def test_sections_principles_and_values_of_a_published_version_are_frozen(version):
    section = version.sections.first()
    principle = section.principles.first()
    principle.text = "Ændret"
    with pytest.raises(CodexError):
        principle.save()
    with pytest.raises(CodexError):
        CodexSection.objects.create(version=version, title="Ny")
    with pytest.raises(CodexError):
        CodexPrinciple.objects.create(section=section, heading="Ny", text="Ny")
    with pytest.raises(CodexError):
        version.values.first().delete()
    with pytest.raises(CodexError):
        version.delete()


def test_the_stored_fingerprint_matches_the_text(version):
    assert version.fingerprint == CodexVersion.objects.with_text().get(pk=version.pk).compute_fingerprint()


def test_a_signature_event_is_never_updated_or_deleted(cast, version):
    event = sign(cast.member, version)
    event.typed_name = "Another"
    with pytest.raises(CodexError):
        event.save()
    with pytest.raises(CodexError):
        event.delete()
    with pytest.raises(CodexError):
        SignatureEvent.objects.all().delete()
    assert SignatureEvent.objects.get(pk=event.pk).typed_name == cast.member.full_name


def test_signature_times_are_stored_in_utc(cast, version):
    event = sign(cast.member, version)
    assert event.chain_fields()["created_at"].endswith("+00:00")
