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


# --- Nothing of a published version changes, by any path of the model layer (the shell, a script, the admin) ---


def test_querysets_cannot_delete_or_update_the_parts_of_a_published_version(version):
    before = CodexVersion.objects.with_text().get(pk=version.pk).text()
    for queryset in (
        CodexSection.objects.filter(version=version),
        CodexPrinciple.objects.filter(section__version=version),
        CodexValue.objects.filter(version=version),
        version.sections.all(),
        version.values.all(),
    ):
        with pytest.raises(CodexError, match="ændres aldrig"):
            queryset.delete()
    with pytest.raises(CodexError):
        CodexSection.objects.filter(version=version).update(title="Skåret ned")
    with pytest.raises(CodexError):
        CodexPrinciple.objects.filter(section__version=version).update(text="Omskrevet")
    with pytest.raises(CodexError):
        CodexValue.objects.all().update(name="Lydighed")
    assert CodexVersion.objects.with_text().get(pk=version.pk).text() == before


def test_a_published_version_itself_cannot_be_deleted_or_updated_in_bulk(cast, version):
    draft = write_draft(cast.administrator, title="Udkast")
    with pytest.raises(CodexError):
        CodexVersion.objects.all().delete()
    with pytest.raises(CodexError):
        CodexVersion.objects.filter(pk=version.pk).update(title="Ændret", fingerprint="0" * 64)
    assert CodexVersion.objects.filter(pk=draft.pk).exists()
    assert CodexVersion.objects.get(pk=version.pk).title == version.title


def test_nothing_is_added_to_a_published_version_in_bulk(version):
    section = version.sections.first()
    with pytest.raises(CodexError):
        CodexSection.objects.bulk_create([CodexSection(version=version, title="Ny")])
    with pytest.raises(CodexError):
        CodexPrinciple.objects.bulk_create([CodexPrinciple(section=section, heading="Ny", text="Ny")])
    with pytest.raises(CodexError):
        CodexValue.objects.bulk_create([CodexValue(version=version, name="Ny")])
    with pytest.raises(CodexError):
        version.values.create(name="Ny")
    assert version.sections.count() == 2 and version.values.count() == 2


def test_rows_cannot_be_moved_out_of_or_into_a_published_version(cast, version):
    draft = write_draft(cast.administrator, title="Udkast")
    published_section = version.sections.first()
    published_section.version = draft
    with pytest.raises(CodexError):
        published_section.save()
    with pytest.raises(CodexError):
        CodexSection.objects.filter(pk=published_section.pk).update(version=draft)
    principle = CodexPrinciple.objects.filter(section__version=version).first()
    principle.section = draft.sections.first()
    with pytest.raises(CodexError):
        principle.save()
    draft_section = draft.sections.first()
    draft_section.version = version
    with pytest.raises(CodexError):
        draft_section.save()
    with pytest.raises(CodexError):
        CodexSection.objects.filter(pk=draft_section.pk).update(version_id=version.pk)
    with pytest.raises(CodexError):
        CodexPrinciple.objects.filter(section=draft_section).update(section=published_section)
    draft_value = draft.values.first()
    draft_value.version = version
    with pytest.raises(CodexError):
        CodexValue.objects.bulk_update([draft_value], ["version"])
    assert version.sections.count() == 2 and version.values.count() == 2
    assert CodexPrinciple.objects.filter(section__version=version).count() == 2


def test_a_draft_changes_freely_in_bulk(cast):
    draft = write_draft(cast.administrator)
    CodexPrinciple.objects.filter(section__version=draft).update(text="Ny tekst")
    CodexValue.objects.filter(version=draft).delete()
    draft.sections.first().delete()
    assert draft.sections.count() == 1 and not draft.values.exists()
    draft.delete()
    assert not CodexSection.objects.filter(version_id=draft.pk).exists()


def test_a_stale_copy_of_a_draft_cannot_overwrite_it_once_published(cast):
    from .conftest import publish

    draft = write_draft(cast.administrator)
    stale = CodexVersion.objects.get(pk=draft.pk)
    stale_section = CodexSection.objects.filter(version=draft).first()
    publish(cast.administrator, draft)
    stale.title = "Ændret bagefter"
    with pytest.raises(CodexError):
        stale.save()
    with pytest.raises(CodexError):
        stale.delete()
    stale_section.title = "Ændret bagefter"
    with pytest.raises(CodexError):
        stale_section.save()


def test_the_signature_log_cannot_be_rewritten_in_bulk_but_a_name_can_give_way_to_a_pseudonym(cast, version):
    event = sign(cast.member, version)
    with pytest.raises(CodexError):
        SignatureEvent.objects.filter(pk=event.pk).update(typed_name="Another")
    assert SignatureEvent.objects.filter(pk=event.pk).pseudonymise("Person 7") == 1
    assert SignatureEvent.objects.get(pk=event.pk).typed_name == "Person 7"
