"""The organisation import: reading, checking and applying committees, workplaces, people and blackouts."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.imports import OrganisationImportError, organisation_import
from meetings.models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    User,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
)
from tests import factories

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"

COMMITTEES_HEADER = "slug,name,area,meeting_weekday,meeting_start,meeting_minutes"
WORKPLACES_HEADER = "slug,name,kind,address,district,committees,seats,step_free,active,latitude,longitude"
PEOPLE_HEADER = "email,full_name,role,committee,committee_role,workplace"
BLACKOUTS_HEADER = "workplace,first_day,last_day,reason"

GOOD_ROWS = {
    "committees": (COMMITTEES_HEADER, "kultur,Kulturudvalget,Biblioteker og musikskole.,1,16:00,120"),
    "workplaces": (WORKPLACES_HEADER, "bibliotek,Dalby Bibliotek,Bibliotek,Torvet 2,Centrum,kultur,30,yes,yes,,"),
    "people": (PEOPLE_HEADER, "karin.holst@dalby.example,Karin Holst,politician,kultur,member,"),
    "blackouts": (BLACKOUTS_HEADER, "bibliotek,2026-07-01,2026-07-14,Sommerlukket"),
}


def sample(name: str) -> tuple[str, bytes]:
    return name, (SAMPLES / name).read_bytes()


def samples() -> dict:
    return {kind: sample(f"{kind}.csv") for kind in ("committees", "workplaces", "people", "blackouts", "history")}


def csv_file(name: str, *lines: str) -> tuple[str, bytes]:
    return name, ("\n".join(lines) + "\n").encode("utf-8")


def good_files(**bad_rows: str) -> dict:
    """The four small good files; a keyword adds one more row to that file, on line 3."""
    files = {}
    for kind, (header, row) in GOOD_ROWS.items():
        lines = [header, row]
        if kind in bad_rows:
            lines.append(bad_rows[kind])
        files[kind] = csv_file(f"{kind}.csv", *lines)
    return files


def problems_of(**files) -> list:
    with pytest.raises(OrganisationImportError) as refused:
        organisation_import(**files)
    return refused.value.problems


def tallies(result) -> dict:
    return {name: (t.created, t.updated, t.unchanged) for name, t in result.tallies.items()}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- The happy path --------------------------------------------------------------------


@pytest.mark.django_db
def test_sample_files_create_the_whole_organisation():
    result = organisation_import(**samples())

    assert tallies(result) == {
        "committees": (3, 0, 0),
        "workplaces": (5, 0, 0),
        "people": (11, 0, 0),
        "memberships": (6, 0, 0),
        "workplace_roles": (7, 0, 0),
        "blackouts": (4, 0, 0),
        "workplace_kinds": (4, 0, 0),
        "districts": (5, 0, 0),
        "hostings": (3, 0, 0),
        "venues": (0, 0, 0),
    }
    committee = Committee.objects.get(slug="skole-og-dagtilbud")
    assert committee.name == "Skole- og Dagtilbudsudvalget"
    assert (committee.meeting_weekday, committee.meeting_start, committee.meeting_minutes) == (2, dt.time(16), 180)
    health = Committee.objects.get(slug="social-og-sundhed")
    assert (health.meeting_nth, health.meeting_skip_months) == (-1, [7, 12])
    school = Workplace.objects.get(slug="dalby-skole")
    assert school.kind.slug == "skole"
    assert school.district.name == "Nord"
    assert (school.seats, school.step_free, school.is_active) == (40, True, True)
    assert school.latitude == Decimal("55.6412")
    assert school.description.startswith("Folkeskole")
    assert Workplace.objects.get(slug="vestbyens-skole").kind == school.kind
    assert Workplace.objects.get(slug="vestbyens-skole").latitude is None
    assert set(Workplace.objects.get(slug="jobcenter-dalby").committees.values_list("slug", flat=True)) == {
        "beskaeftigelse",
        "social-og-sundhed",
    }
    assert Blackout.objects.get(workplace=school).last_day == dt.date(2026, 8, 9)


@pytest.mark.django_db
def test_a_person_on_several_rows_holds_every_role():
    organisation_import(**samples())

    sanne = User.objects.get(email="sanne.friis@dalby.example")
    assert dict(sanne.memberships.values_list("committee__slug", "role")) == {
        "skole-og-dagtilbud": "member",
        "social-og-sundhed": "chair",
    }
    lise = User.objects.get(email="lise.toft@dalby.example")
    assert set(lise.workplace_roles.values_list("workplace__slug", "role")) == {
        ("boernehuset-myretuen", "leader"),
        ("vestbyens-skole", "leader"),
    }
    trio = WorkplaceRole.objects.get(user__email="karsten.vig@dalby.example")
    assert (trio.role, trio.title) == (WorkplaceRole.Role.TRIO, "Arbejdsmiljørepræsentant")
    assert WorkplaceRole.objects.get(user__email="mette.ravnholt@dalby.example").start_date == dt.date(2025, 8, 1)


@pytest.mark.django_db
def test_new_people_get_an_unusable_password_and_administrators_become_staff():
    organisation_import(**samples())

    administrator = User.objects.get(email="sekretariat@dalby.example")
    assert administrator.is_administrator
    assert administrator.is_superuser
    assert not administrator.has_usable_password()
    politician = User.objects.get(email="birthe.lyngbaek@dalby.example")
    assert not politician.is_staff
    assert politician.roles.is_politician
    assert politician.invited_at is None


def test_sample_files_import_next_to_an_existing_organisation(cast):
    organisation_import(**samples())

    assert Committee.objects.count() == 5
    assert cast.committee.memberships.get(role="chair").user == cast.chair


# --- Re-importing ----------------------------------------------------------------------


@pytest.mark.django_db
def test_importing_the_same_files_again_changes_nothing():
    organisation_import(**samples())

    with CaptureQueriesContext(connection) as queries:
        result = organisation_import(**samples())

    assert not result.changed
    assert all(t.created == t.updated == 0 for t in result.tallies.values())
    assert result["people"].unchanged == 11
    assert result["memberships"].unchanged == 6
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


@pytest.mark.django_db
def test_a_changed_value_updates_only_its_row():
    organisation_import(**samples())
    committees = sample("committees.csv")[1].decode().replace("2,16:00,180", "2,16:30,180")

    result = organisation_import(committees=("committees.csv", committees.encode()))

    assert (result["committees"].updated, result["committees"].unchanged) == (1, 2)
    assert Committee.objects.get(slug="skole-og-dagtilbud").meeting_start == dt.time(16, 30)


@pytest.mark.django_db
def test_a_workplace_moved_to_another_committee_is_updated():
    organisation_import(**samples())
    workplaces = (
        sample("workplaces.csv")[1]
        .decode()
        .replace("Centrum,beskaeftigelse;social-og-sundhed", "Centrum,beskaeftigelse")
    )

    result = organisation_import(workplaces=("workplaces.csv", workplaces.encode()))

    assert (result["workplaces"].updated, result["workplaces"].unchanged) == (1, 4)
    assert list(Workplace.objects.get(slug="jobcenter-dalby").committees.values_list("slug", flat=True)) == [
        "beskaeftigelse"
    ]


def test_chair_and_vice_chair_can_swap_seats(cast):
    people = csv_file(
        "people.csv",
        PEOPLE_HEADER,
        f"{cast.chair.email},{cast.chair.full_name},politician,{cast.committee.slug},vice_chair,",
        f"{cast.vice_chair.email},{cast.vice_chair.full_name},politician,{cast.committee.slug},chair,",
    )

    # The vice-chair becomes chair: a raise the secretariat confirms.
    result = organisation_import(people=people, confirm_raises=True)

    assert result["memberships"].updated == 2
    roles = dict(cast.committee.memberships.values_list("user__email", "role"))
    assert roles[cast.chair.email] == "vice_chair"
    assert roles[cast.vice_chair.email] == "chair"


def test_files_may_refer_to_committees_and_workplaces_in_the_database(cast):
    people = csv_file(
        "people.csv",
        PEOPLE_HEADER,
        f"ny.politiker@dalby.example,Ny Politiker,politician,{cast.committee.slug},member,",
        f"ny.leder@dalby.example,Ny Leder,leader,,,{cast.other_workplace.slug}",
    )
    blackouts = csv_file("blackouts.csv", BLACKOUTS_HEADER, f"{cast.workplace.slug},2026-12-24,2026-12-26,Jul")

    organisation_import(people=people, blackouts=blackouts)

    assert cast.committee.memberships.filter(user__email="ny.politiker@dalby.example", role="member").exists()
    assert cast.other_workplace.roles.filter(user__email="ny.leder@dalby.example", role="leader").exists()
    assert cast.workplace.blackouts.count() == 1


def test_existing_people_are_matched_by_email_whatever_the_case(cast):
    people = csv_file("people.csv", PEOPLE_HEADER, "Outsider@Dalby.Example,Test outsider,administrator,,,")

    result = organisation_import(people=people, confirm_raises=True)

    assert tallies(result)["people"] == (0, 1, 0)
    cast.outsider.refresh_from_db()
    assert cast.outsider.is_administrator


@pytest.mark.django_db
def test_kinds_and_districts_are_found_by_name_or_created():
    factories.WorkplaceKindFactory(slug="plejecenter", name="Plejecenter")
    factories.DistrictFactory(name="Nord")
    workplaces = csv_file(
        "workplaces.csv",
        WORKPLACES_HEADER,
        "a,A,plejecenter,Vej 1,nord,,0,no,yes,,",
        "b,B,Ældrecenter,Vej 2,Skovby,,0,no,yes,,",
    )

    result = organisation_import(workplaces=workplaces)

    assert tallies(result)["workplace_kinds"] == (1, 0, 0)
    assert tallies(result)["districts"] == (1, 0, 0)
    assert Workplace.objects.get(slug="a").district.name == "Nord"
    assert WorkplaceKind.objects.get(slug="aeldrecenter").name == "Ældrecenter"
    assert District.objects.filter(name="Skovby").exists()


# --- Bad rows ----------------------------------------------------------------------------

BAD_ROWS = [
    ("committees", "kultur2,Kultur,,8,16:00,120", "meeting_weekday", "from 1 (Monday) to 7"),
    ("committees", "kultur2,Kultur,,0,16:00,120", "meeting_weekday", "from 1 (Monday) to 7"),
    ("committees", "kultur2,Kultur,,1,25:00,120", "meeting_start", "not a time of day"),
    ("committees", "kultur2,Kultur,,1,kl. 16,120", "meeting_start", "not a time of day"),
    ("committees", "kultur2,Kultur,,1,16:00,ti", "meeting_minutes", "not a whole number"),
    ("committees", "kultur,Kultur igen,,1,16:00,120", "slug", "already appears on line 2"),
    ("committees", "Kultur og fritid,Kultur,,1,16:00,120", "slug", "not a valid slug"),
    ("committees", "kultur2,,,1,16:00,120", "name", "A value is required"),
    ("workplaces", "hal,Hallen,Hal,Vej 1,Nord,kultur,-1,yes,yes,,", "seats", "not a whole number from 0"),
    ("workplaces", "hal,Hallen,Hal,Vej 1,Nord,kultur,10,maybe,yes,,", "step_free", "not yes or no"),
    ("workplaces", "hal,Hallen,Hal,Vej 1,Nord,kultur,10,yes,nope,,", "active", "not yes or no"),
    ("workplaces", "hal,Hallen,Hal,Vej 1,Nord,kultur,10,yes,yes,91,12", "latitude", "from -90 to 90"),
    ("workplaces", "hal,Hallen,Hal,Vej 1,Nord,kultur,10,yes,yes,55,181", "longitude", "from -180 to 180"),
    ("workplaces", "hal,Hallen,Hal,Vej 1,Nord,kultur,10,yes,yes,55,", "longitude", "both latitude and longitude"),
    ("workplaces", "hal,Hallen,Hal,Vej 1,Nord,sport,10,yes,yes,,", "committees", "no committee with the slug 'sport'"),
    ("workplaces", "bibliotek,Igen,Hal,Vej 1,Nord,kultur,10,yes,yes,,", "slug", "already appears on line 2"),
    ("workplaces", "hal,Hallen,Hal,,Nord,kultur,10,yes,yes,,", "address", "A value is required"),
    ("people", "ikke-en-adresse,Per Hansen,politician,kultur,member,", "email", "not a valid e-mail address"),
    ("people", "per@dalby.example,Per Hansen,borgmester,kultur,member,", "role", "is not a role"),
    ("people", "per@dalby.example,Per Hansen,politician,kultur,,", "committee_role", "needs a committee role"),
    ("people", "per@dalby.example,Per Hansen,politician,kultur,boss,", "committee_role", "not a committee role"),
    ("people", "per@dalby.example,Per Hansen,politician,,member,", "committee", "needs the slug of a committee"),
    ("people", "per@dalby.example,Per Hansen,politician,sport,member,", "committee", "no committee with the slug"),
    ("people", "per@dalby.example,Per Hansen,leader,,,", "workplace", "needs the slug of a workplace"),
    ("people", "per@dalby.example,Per Hansen,trio,,,hallen", "workplace", "no workplace with the slug 'hallen'"),
    (
        "people",
        "per@dalby.example,Per Hansen,leader,kultur,,bibliotek",
        "committee",
        "Only rows with the role politician",
    ),
    (
        "people",
        "karin.holst@dalby.example,Karin Holst,politician,kultur,chair,",
        "committee",
        "already appears on line 2",
    ),
    ("people", "karin.holst@dalby.example,Karin H.,administrator,,,", "full_name", "has the name 'Karin Holst'"),
    ("blackouts", "bibliotek,2026-07-14,2026-07-01,Forkert", "last_day", "before the first day"),
    ("blackouts", "bibliotek,07/01/2026,2026-07-14,Skråstreg", "first_day", "not a date as YYYY-MM-DD"),
    ("blackouts", "hallen,2026-07-01,2026-07-14,Ukendt", "workplace", "no workplace with the slug 'hallen'"),
    ("blackouts", "bibliotek,2026-07-01,2026-07-14,Igen", "first_day", "already appears on line 2"),
]


@pytest.mark.parametrize(("kind", "row", "column", "reason"), BAD_ROWS)
@pytest.mark.django_db
def test_a_bad_row_is_named_with_its_line_column_and_reason(kind, row, column, reason):
    problems = problems_of(**good_files(**{kind: row}))

    assert [(p.kind, p.file, p.line, p.column) for p in problems] == [(kind, f"{kind}.csv", 3, column)]
    assert reason in problems[0].reason


@pytest.mark.django_db
def test_the_good_files_on_their_own_import():
    result = organisation_import(**good_files())

    assert result["people"].created == 1


@pytest.mark.django_db
def test_a_file_with_one_bad_row_imports_nothing_from_any_file():
    files = samples()
    files["blackouts"] = csv_file("blackouts.csv", BLACKOUTS_HEADER, "dalby-skole,2026-07-01,2026-06-01,Omvendt")

    problems = problems_of(**files)

    assert [(p.file, p.line, p.column) for p in problems] == [("blackouts.csv", 2, "last_day")]
    assert not Committee.objects.exists()
    assert not Workplace.objects.exists()
    assert not User.objects.exists()
    assert not WorkplaceKind.objects.exists()
    assert not District.objects.exists()


@pytest.mark.django_db
def test_every_bad_row_of_every_file_is_reported_in_file_and_line_order():
    files = good_files(people="per@dalby.example,Per,mayor,,,")
    files["committees"] = csv_file(
        "committees.csv", COMMITTEES_HEADER, "kultur,Kultur,,9,16:00,120", "sport,Sport,,1,16:00,5"
    )

    problems = problems_of(**files)

    assert [(p.kind, p.line, p.column) for p in problems] == [
        ("committees", 2, "meeting_weekday"),
        ("committees", 3, "meeting_minutes"),
        ("people", 3, "role"),
    ]


@pytest.mark.django_db
def test_a_row_with_several_mistakes_reports_each():
    workplaces = csv_file("workplaces.csv", WORKPLACES_HEADER, "hal,Hallen,Hal,Vej 1,Nord,,-5,kanske,yes,100,12")

    problems = problems_of(workplaces=workplaces)

    assert {p.column for p in problems} == {"seats", "step_free", "latitude"}


@pytest.mark.django_db
def test_a_missing_column_is_named_on_the_header_line():
    committees = csv_file("committees.csv", "slug,name,area,meeting_start,meeting_minutes", "kultur,K,,16:00,120")

    problems = problems_of(committees=committees)

    assert [(p.line, p.column) for p in problems] == [(1, "meeting_weekday")]
    assert "missing from the header row" in problems[0].reason


@pytest.mark.django_db
def test_a_broken_file_does_not_make_references_to_it_fail():
    committees = csv_file("committees.csv", "slug,name", "kultur,Kultur")

    problems = problems_of(committees=committees, people=good_files()["people"])

    assert all(p.kind == "committees" for p in problems)


@pytest.mark.django_db
def test_unknown_extra_columns_are_ignored():
    committees = csv_file("committees.csv", COMMITTEES_HEADER + ",note", GOOD_ROWS["committees"][1] + ",hello")

    assert organisation_import(committees=committees)["committees"].created == 1


def test_two_chairs_for_one_committee_are_refused(cast):
    people = csv_file(
        "people.csv",
        PEOPLE_HEADER,
        f"ny@dalby.example,Ny Formand,politician,{cast.committee.slug},chair,",
        f"{cast.other_member.email},{cast.other_member.full_name},politician,{cast.other_committee.slug},chair,",
        f"{cast.member.email},{cast.member.full_name},politician,{cast.other_committee.slug},chair,",
    )

    problems = problems_of(people=people)

    assert [(p.line, p.column) for p in problems] == [
        (2, "committee_role"),
        (3, "committee_role"),
        (4, "committee_role"),
    ]
    assert cast.chair.email in problems[0].reason  # the chair already in the portal
    assert not User.objects.filter(email="ny@dalby.example").exists()


@pytest.mark.django_db
def test_a_file_with_too_many_rows_is_refused(settings):
    settings.DIALOG_IMPORT_MAX_ROWS = 2
    committees = csv_file(
        "committees.csv",
        COMMITTEES_HEADER,
        *(f"udvalg-{n},Udvalg {n},,1,16:00,120" for n in range(3)),
    )

    problems = problems_of(committees=committees)

    assert [(p.line, p.column) for p in problems] == [(None, "")]
    assert "more than 2 rows" in problems[0].reason


@pytest.mark.django_db
def test_a_file_that_mixes_utf8_and_another_character_set_is_refused_with_the_line():
    header = f"{COMMITTEES_HEADER}\n".encode()
    utf8_line = "kultur,Kulturudvalg for børn,,1,16:00,120\n".encode()
    latin1_line = "sport,Idræt,,1,16:00,120\n".encode("latin-1")

    problems = problems_of(committees=("committees.csv", header + utf8_line + latin1_line))

    assert [p.line for p in problems] == [3]
    assert "UTF-8" in problems[0].reason


@pytest.mark.django_db
def test_blank_lines_and_quoted_line_breaks_keep_line_numbers_exact():
    committees = (
        f'\ufeff{COMMITTEES_HEADER}\n\nkultur,Kultur,"Biblioteker\nog musik",1,16:00,120\n\nsport,Sport,,8,16:00,120\n'
    )

    problems = problems_of(committees=("committees.csv", committees.encode()))

    assert [(p.line, p.column) for p in problems] == [(6, "meeting_weekday")]


@pytest.mark.django_db
def test_a_row_with_more_values_than_columns_is_refused():
    problems = problems_of(committees=csv_file("committees.csv", COMMITTEES_HEADER, "kultur,Kultur,,1,16:00,120,x"))

    assert [(p.line, p.column) for p in problems] == [(2, "")]


@pytest.mark.django_db
def test_an_import_without_files_is_refused():
    problems = problems_of()

    assert [p.reason for p in problems] == ["Choose at least one file to import."]


# --- XLSX ----------------------------------------------------------------------------------


def xlsx_from_csv(name: str) -> tuple[str, bytes]:
    dataset = tablib.Dataset().load((SAMPLES / name).read_text(encoding="utf-8"), format="csv")
    return name.replace(".csv", ".xlsx"), dataset.export("xlsx")


@pytest.mark.django_db
def test_xlsx_files_import_like_csv_files():
    result = organisation_import(**{kind: xlsx_from_csv(f"{kind}.csv") for kind in GOOD_ROWS})

    assert result["workplaces"].created == 5
    assert result["memberships"].created == 6
    again = organisation_import(**{kind: file for kind, file in samples().items() if kind in GOOD_ROWS})
    assert not again.changed


@pytest.mark.django_db
def test_xlsx_cells_with_numbers_times_and_dates_are_understood():
    committees = tablib.Dataset(headers=COMMITTEES_HEADER.split(","))
    committees.append(["kultur", "Kulturudvalget", None, 3, dt.time(15, 30), 90.0])
    blackouts = tablib.Dataset(headers=BLACKOUTS_HEADER.split(","))
    blackouts.append(["bibliotek", dt.datetime(2026, 7, 1), dt.date(2026, 7, 14), "Sommer"])
    blackouts.append(["bibliotek", dt.datetime(2026, 8, 1), dt.date(2026, 7, 14), "Forkert"])
    workplaces = good_files()["workplaces"]

    problems = problems_of(
        committees=io.BytesIO(committees.export("xlsx")), workplaces=workplaces, blackouts=blackouts.export("xlsx")
    )

    assert [(p.kind, p.line, p.column) for p in problems] == [("blackouts", 3, "last_day")]
    blackouts.pop()
    organisation_import(committees=committees.export("xlsx"), workplaces=workplaces, blackouts=blackouts.export("xlsx"))
    committee = Committee.objects.get(slug="kultur")
    assert (committee.meeting_weekday, committee.meeting_start, committee.meeting_minutes) == (3, dt.time(15, 30), 90)
    assert Blackout.objects.get().first_day == dt.date(2026, 7, 1)


@pytest.mark.django_db
def test_a_damaged_xlsx_file_is_refused():
    problems = problems_of(committees=("committees.xlsx", b"PK\x03\x04 not really a workbook"))

    assert "XLSX" in problems[0].reason


# --- Invitations and cost ------------------------------------------------------------------


def test_invite_sends_a_set_password_mail_to_new_people_only(cast, mailoutbox, django_capture_on_commit_callbacks):
    people = csv_file(
        "people.csv",
        PEOPLE_HEADER,
        "ny@dalby.example,Ny Person,leader,,,solsikken",
        f"{cast.outsider.email},{cast.outsider.full_name},leader,,,solsikken",
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = organisation_import(people=people, invite=True, actor=cast.administrator, confirm_raises=True)

    assert result.invited == 1
    assert [m.to for m in mailoutbox] == [["ny@dalby.example"]]
    assert User.objects.get(email="ny@dalby.example").invited_at is not None
    cast.outsider.refresh_from_db()
    assert cast.outsider.invited_at is None


@pytest.mark.django_db
def test_without_invite_nobody_is_mailed(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organisation_import(**samples())

    assert mailoutbox == []


@pytest.mark.django_db
def test_reimporting_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    organisation_import(**samples())

    with django_assert_max_num_queries(15):
        organisation_import(**samples())


@pytest.mark.django_db
def test_membership_count_matches_after_import():
    organisation_import(**samples())

    assert CommitteeMembership.objects.filter(end_date__isnull=True).count() == 6


@pytest.mark.django_db
def test_an_imported_committee_meets_on_the_weekday_of_the_month_it_names_and_skips_its_months():
    from meetings.rotation.services import meeting_dates_generate

    result = organisation_import(
        committees=csv_file(
            "committees.csv",
            COMMITTEES_HEADER + ",meeting_nth,meeting_skip_months",
            "kultur,Kulturudvalget,,1,16:00,120,-1,7;12",
        )
    )
    assert tallies(result)["committees"] == (1, 0, 0)
    committee = Committee.objects.get(slug="kultur")
    dates = meeting_dates_generate(committee=committee, year=2031, actor=factories.AdministratorFactory())
    months = {d.date.month for d in dates}
    assert not months & {7, 12}
    # Each is the month's last Monday (a public holiday moves it off, so fewer than ten is fine).
    assert all(d.date.weekday() == 0 and (d.date + dt.timedelta(days=7)).month != d.date.month for d in dates)

    again = organisation_import(
        committees=csv_file("committees.csv", COMMITTEES_HEADER, "kultur,Kulturudvalget,,1,16:00,120")
    )
    assert tallies(again)["committees"] == (0, 0, 1)  # without the columns, nothing of them changes
    committee.refresh_from_db()
    assert (committee.meeting_nth, committee.meeting_skip_months) == (-1, [7, 12])
