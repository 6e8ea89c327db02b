"""python manage.py import_organisation: the summary, every bad row, and the exit code."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import translation

from meetings.models import Committee, User, Workplace

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def sample_args(*kinds: str) -> list[str]:
    args = []
    for kind in kinds or ("committees", "workplaces", "people", "blackouts"):
        args += [f"--{kind}", str(SAMPLES / f"{kind}.csv")]
    return args


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_organisation", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def manage(monkeypatch):
    """Run manage.py as from a shell, exit code and all; the test's database connection stays open."""
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)

    def run_manage(*args: str) -> None:
        ManagementUtility(["manage.py", *args]).execute()

    return run_manage


@pytest.mark.django_db
def test_command_imports_the_sample_files_and_prints_the_counts():
    out, err = run(*sample_args())

    assert "Committees: 3 created, 0 updated, 0 unchanged" in out
    assert "People: 11 created, 0 updated, 0 unchanged" in out
    assert "Import finished." in out
    assert err == ""
    assert Workplace.objects.count() == 5


@pytest.mark.django_db
def test_command_run_twice_reports_nothing_changed():
    run(*sample_args())

    out, _err = run(*sample_args())

    assert "Committees: 0 created, 0 updated, 3 unchanged" in out
    assert "Nothing changed" in out


@pytest.mark.django_db
def test_command_prints_every_bad_row_and_imports_nothing(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(
        "email,full_name,role,committee,committee_role,workplace\n"
        "ok@dalby.example,Ok Person,administrator,,,\n"
        "not-an-address,Per,politician,skole-og-dagtilbud,member,\n"
        "per@dalby.example,Per,politician,skole-og-dagtilbud,,\n",
        encoding="utf-8",
    )
    err = StringIO()

    with pytest.raises(CommandError, match="2 problems in the files; nothing was imported"):
        call_command("import_organisation", *sample_args("committees"), "--people", str(people), stderr=err)

    assert "people.csv line 3, email: 'not-an-address' is not a valid e-mail address." in err.getvalue()
    assert "people.csv line 4, committee_role: A politician needs a committee role" in err.getvalue()
    assert not Committee.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_command_exits_non_zero_on_a_bad_file(manage, tmp_path, capsys):
    committees = tmp_path / "committees.csv"
    committees.write_text("slug,name\nkultur,Kultur\n", encoding="utf-8")

    with pytest.raises(SystemExit) as exited:
        manage("import_organisation", "--committees", str(committees))

    assert exited.value.code == 1
    assert "committees.csv line 1, meeting_weekday: This column is missing" in capsys.readouterr().err
    assert not Committee.objects.exists()


@pytest.mark.django_db
def test_command_exits_zero_when_the_import_succeeds(manage):
    manage("import_organisation", *sample_args("committees"))

    assert Committee.objects.count() == 3


@pytest.mark.django_db
def test_command_without_files_is_refused():
    with pytest.raises(CommandError, match="at least one"):
        run()


@pytest.mark.django_db
def test_command_with_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("--people", str(tmp_path / "nowhere.csv"))


@pytest.mark.django_db
def test_command_invites_the_new_people_when_asked(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out, _err = run(*sample_args(), "--invite")

    assert "11 new people invited" in out
    assert len(mailoutbox) == 11
    assert not User.objects.filter(invited_at__isnull=True).exists()
