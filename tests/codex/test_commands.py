import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from codex.models import CodexPrinciple, CodexVersion, SignatureEvent, SignatureLogHead

from .conftest import sign, tamper


def test_verify_signatures_exits_0_when_everything_holds(cast, version, capsys):
    sign(cast.chair, version)
    sign(cast.leader, version)
    call_command("verify_signatures")
    assert "All holds: 2" in capsys.readouterr().out


def test_verify_signatures_holds_on_an_empty_log(db, capsys):
    call_command("verify_signatures")
    assert "All holds: 0" in capsys.readouterr().out


def test_an_edited_entry_is_named(cast, version, capsys):
    first = sign(cast.chair, version)
    sign(cast.leader, version)
    tamper(SignatureEvent.objects.filter(pk=first.pk), typed_name="Forfalsket Navn")
    with pytest.raises(CommandError) as error:
        call_command("verify_signatures")
    assert error.value.returncode == 1
    err = capsys.readouterr().err
    assert f"Entry #{first.pk} (version 1)" in err and "typed name was changed after signing" in err


def test_a_removed_entry_breaks_the_next_link(cast, version, capsys):
    first = sign(cast.chair, version)
    second = sign(cast.leader, version)
    # Bypass the model's refusal the way someone with database access would.
    SignatureEvent.objects.filter(pk=first.pk)._raw_delete(SignatureEvent.objects.db)
    with pytest.raises(CommandError):
        call_command("verify_signatures")
    assert f"Entry #{second.pk}" in capsys.readouterr().err


def test_cutting_the_end_of_the_log_is_detected(cast, version, capsys):
    sign(cast.chair, version)
    last = sign(cast.leader, version)
    SignatureEvent.objects.filter(pk=last.pk)._raw_delete(SignatureEvent.objects.db)
    with pytest.raises(CommandError):
        call_command("verify_signatures")
    assert "missing at the end" in capsys.readouterr().err
    assert SignatureLogHead.objects.get().entries == 2


def test_a_changed_codex_text_is_named_for_every_signature_on_it(cast, version, capsys):
    a = sign(cast.chair, version)
    b = sign(cast.leader, version)
    tamper(CodexPrinciple.objects.filter(section__version=version), text="Ændret bag portalens ryg")
    with pytest.raises(CommandError):
        call_command("verify_signatures")
    err = capsys.readouterr().err
    assert f"Entry #{a.pk}" in err and f"Entry #{b.pk}" in err
    assert "version 1" in err


def test_a_changed_published_fingerprint_is_detected(cast, version, capsys):
    tamper(CodexVersion.objects.filter(pk=version.pk), fingerprint="0" * 64)
    with pytest.raises(CommandError):
        call_command("verify_signatures")
    assert "published text no longer matches" in capsys.readouterr().err
