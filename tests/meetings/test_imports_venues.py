"""The venues file of the organisation import (issue 20): good rows, every bad row named, all or nothing."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from meetings.imports import OrganisationImportError, organisation_import
from meetings.models import Venue
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "slug,name,address,district,seats,step_free,latitude,longitude"
GOOD = HEADER + '\nmedborgerhus,Dalby Medborgerhus,"Torvet 1, 4000 Dalby",Nord,60,ja,"55,6402",12.0853\n'


def test_venues_are_created_then_unchanged_on_a_second_import():
    result = organisation_import(venues=("venues.csv", GOOD.encode()))
    assert (result["venues"].created, result["districts"].created) == (1, 1)
    venue = Venue.objects.get(slug="medborgerhus")
    assert (venue.name, venue.address, venue.district.name) == ("Dalby Medborgerhus", "Torvet 1, 4000 Dalby", "Nord")
    assert (venue.seats, venue.step_free, venue.is_active) == (60, True, True)
    assert (venue.latitude, venue.longitude) == (Decimal("55.640200"), Decimal("12.085300"))
    again = organisation_import(venues=("venues.csv", GOOD.encode()))
    assert not again.changed and again["venues"].unchanged == 1


def test_a_changed_row_updates_the_venue():
    organisation_import(venues=("venues.csv", GOOD.encode()))
    changed = GOOD.replace(",60,", ",80,")
    assert organisation_import(venues=("venues.csv", changed.encode()))["venues"].updated == 1
    assert Venue.objects.get(slug="medborgerhus").seats == 80


def test_every_bad_row_is_named_and_nothing_is_imported():
    bad = (
        HEADER
        + "\nok,Godt Hus,Vej 1,Nord,30,ja,,\n"
        + "bad slug,Hus,Vej 2,Nord,30,ja,,\n"
        + "minus,Hus,Vej 3,Nord,-1,maybe,95,\n"
        + "ok,Igen,Vej 4,Nord,30,ja,,\n"
        + "uden-navn,,,Nord,30,ja,,\n"
    )
    with pytest.raises(OrganisationImportError) as caught:
        organisation_import(venues=("venues.csv", bad.encode()))
    found = {(p.line, p.column) for p in caught.value.problems}
    assert {(3, "slug"), (4, "seats"), (4, "step_free"), (4, "latitude"), (5, "slug"), (6, "name")} <= found
    assert all(p.kind == "venues" and p.file == "venues.csv" for p in caught.value.problems)
    assert not Venue.objects.exists()


def test_a_venue_may_not_take_a_workplace_slug_nor_a_workplace_a_venue_slug():
    factories.WorkplaceFactory(slug="bakkeskolen")
    clash = HEADER + "\nbakkeskolen,Bakkeskolens sal,Vej 1,Nord,30,ja,,\n"
    with translation.override("en"), pytest.raises(OrganisationImportError) as caught:
        organisation_import(venues=("venues.csv", clash.encode()))
    [problem] = caught.value.problems
    assert (problem.kind, problem.line, problem.column) == ("venues", 2, "slug")
    assert "a venue needs a slug of its own" in problem.reason
    organisation_import(venues=("venues.csv", GOOD.encode()))
    workplaces = (
        "slug,name,kind,address,district,committees,seats,step_free,active,latitude,longitude\n"
        "medborgerhus,Medborgerhuset,Hus,Vej 1,Nord,,10,ja,ja,,\n"
    )
    with pytest.raises(OrganisationImportError) as caught:
        organisation_import(workplaces=("workplaces.csv", workplaces.encode()))
    assert [(p.kind, p.column) for p in caught.value.problems] == [("workplaces", "slug")]


def test_the_workplaces_file_may_say_a_workplace_lends_its_room():
    workplaces = (
        "slug,name,kind,address,district,committees,seats,step_free,active,latitude,longitude,lends_room\n"
        "bakkeskolen,Bakkeskolen,Skole,Vej 1,Nord,,60,ja,ja,,,ja\n"
    )
    organisation_import(workplaces=("workplaces.csv", workplaces.encode()))
    assert factories.WorkplaceFactory._meta.model.objects.get(slug="bakkeskolen").lends_room is True


def test_the_command_takes_venues_and_reports_bad_rows(tmp_path, capsys):
    sample = Path(__file__).resolve().parents[2] / "docs" / "samples" / "venues.csv"
    call_command("import_organisation", "--venues", str(sample))
    assert Venue.objects.count() == 2
    bad = tmp_path / "v.csv"
    bad.write_text(HEADER + "\nx,Hus,Vej,Nord,lots,ja,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_organisation", "--venues", str(bad))
    assert "seats" in capsys.readouterr().err


def test_the_import_page_takes_a_venues_file(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = client_for(cast.administrator)
    client.cookies["dialog_language"] = "en"
    url = reverse("meetings:organisation-import")
    assert 'name="venues"' in client.get(url).content.decode()
    response = client.post(url, {"venues": SimpleUploadedFile("venues.csv", GOOD.encode(), "text/csv")}, follow=True)
    assert "Venues: 1 created, 0 updated, 0 unchanged" in str(next(iter(response.context["messages"])))
    assert Venue.objects.filter(slug="medborgerhus").exists()
