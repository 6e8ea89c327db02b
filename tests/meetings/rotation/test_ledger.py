"""The equal-access ledger read at a glance: contacts by kind over 12 and 24 months, least served first, the gap
over time, the chart and the map with their text alternatives, and the monthly public ledger."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.audit import AuditEntry
from core.fingerprint import canonical_bytes, sha256_hex
from meetings.models import LedgerSnapshot, Meeting, MeetingInvitation, RotationPlan, Visit
from meetings.rotation import ledger_map, selectors, services
from meetings.rotation.services import RotationError
from tests import factories

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
# A fixed "now": Wednesday 2 December 2026 at noon, in the fourth quarter.
NOW = dt.datetime(2026, 12, 2, 12, tzinfo=CPH)


def _plan(committee, year):
    plan, _created = RotationPlan.objects.get_or_create(
        committee=committee, year=year, status=RotationPlan.Status.PUBLISHED
    )
    return plan


def _meeting(committee, host, when, *, guests=(), status=Meeting.Status.SCHEDULED):
    """A meeting; one that is over and not cancelled is confirmed as held, with its guests present (issue 20: only
    what happened counts)."""
    over = status == Meeting.Status.SCHEDULED and when < NOW
    meeting = Meeting.objects.create(
        committee=committee,
        plan=_plan(committee, when.year),
        host=host,
        starts_at=when,
        ends_at=when + dt.timedelta(hours=2),
        status=status,
        outcome=Meeting.Outcome.HELD if over else "",
    )
    for guest in guests:
        MeetingInvitation.objects.create(meeting=meeting, workplace=guest, attended=True if over else None)
    return meeting


def _visit(workplace, when, booked_by, *, status=Visit.Status.HELD):
    slot = factories.VisitSlotFactory(workplace=workplace, starts_at=when, ends_at=when + dt.timedelta(hours=1))
    return Visit.objects.create(
        slot=slot,
        workplace=workplace,
        booked_by=booked_by,
        purpose="Se køkkenet.",
        status=status,
        starts_at=when,
        ends_at=when + dt.timedelta(hours=1),
    )


@pytest.fixture
def history(cast, rotation):
    """Sted 0 hosted twice (a month ago, 18 months ago) with Sted 1 as guest each time; the cast's workplace had one
    visit 3 months ago; a cancelled meeting and a future one count for nobody."""
    w0, w1 = rotation.workplaces[1], rotation.workplaces[2]
    _meeting(cast.committee, w0, NOW - dt.timedelta(days=30), guests=[w1])
    _meeting(cast.committee, w0, NOW - dt.timedelta(days=545), guests=[w1])
    _meeting(cast.committee, w1, NOW - dt.timedelta(days=60), status=Meeting.Status.CANCELLED)
    _meeting(cast.committee, w1, NOW + dt.timedelta(days=30))
    _visit(cast.workplace, NOW - dt.timedelta(days=90), cast.member)
    return rotation


# --- Selectors ----------------------------------------------------------------------------------------------------


def test_the_ledger_counts_each_kind_over_12_and_24_months(cast, history):
    result = selectors.ledger(cast.committee, now=NOW)
    rows = {r.workplace.slug: r for r in result.rows}
    host, guest, visited = rows["sted-0"], rows["sted-1"], rows[cast.workplace.slug]
    assert (host.hosted_12, host.hosted_24, host.attended_12) == (1, 2, 0)
    assert (guest.hosted_12, guest.attended_12, guest.attended_24) == (0, 1, 2)
    assert (visited.visits_12, visited.visits_24, visited.contacts_12) == (1, 1, 1)
    assert result.most_12 == 1 and result.least_12 == 0 and result.most_24 == 2


def test_the_least_served_come_first(cast, history):
    result = selectors.ledger(cast.committee, now=NOW)
    totals = [(r.contacts_12, r.contacts_24) for r in result.rows]
    assert totals == sorted(totals)
    assert [r.workplace.slug for r in result.rows[:3]] == ["sted-2", "sted-3", "sted-4"]
    assert result.without_contact == 3


def test_the_gap_over_time_is_one_point_a_quarter_over_the_four_quarters_up_to_it(cast, history):
    points = selectors.ledger(cast.committee, now=NOW).over_time
    assert [p.quarter for p in points][-1] == dt.date(2026, 10, 1)
    assert len(points) == selectors.LEDGER_QUARTERS
    by_quarter = {p.quarter: p for p in points}
    # The meeting 18 months ago (June 2025) counts in the windows ending Q2 2025 up to Q1 2026, not later.
    assert by_quarter[dt.date(2025, 4, 1)].most == 1
    assert by_quarter[dt.date(2026, 1, 1)].most == 1
    assert by_quarter[dt.date(2026, 4, 1)].most == 0
    # The last window holds the meeting a month ago (host and guest) and the visit: most 1, least 0.
    assert (by_quarter[dt.date(2026, 10, 1)].most, by_quarter[dt.date(2026, 10, 1)].gap) == (1, 1)
    assert points[-1].label == "Q4 2026"


def test_the_gap_over_time_needs_no_more_queries(cast, history, django_assert_num_queries):
    with django_assert_num_queries(4):
        selectors.ledger(cast.committee, now=NOW)


def test_the_bars_stack_the_kinds_on_one_scale(cast, history):
    result = selectors.ledger(cast.committee, now=NOW)
    chart = selectors.ledger_bars(result.rows)
    bars = {b["row"].workplace.slug: b for b in chart["bars"]}
    assert chart["top"] == 2
    host = bars["sted-0"]
    assert [(s["kind"], s["n"], s["width"]) for s in host["segments_24"]] == [("hosted", 2, 100.0)]
    assert [(s["kind"], s["width"]) for s in host["segments_12"]] == [("hosted", 50.0)]
    assert bars["sted-2"]["segments_12"] == []
    assert [str(label) for label, _n in host["by_kind_12"]] == [
        "Meetings hosted",
        "Dialogue meetings attended",
        "Visits received",
    ]


def test_other_features_columns_are_written_beside_the_bars_not_stacked_in_them(cast, history):
    result = selectors.ledger(cast.committee, now=NOW)
    host = next(r for r in result.rows if r.workplace.slug == "sted-0")
    chart = selectors.ledger_bars(result.rows, beside=[("Hearings answered", {host.workplace.pk: (2, 3)})])
    bars = {b["row"].workplace.slug: b for b in chart["bars"]}
    assert bars["sted-0"]["beside"] == [("Hearings answered", 2, 3)]
    assert bars["sted-1"]["beside"] == []
    assert chart["top"] == 2 and sum(s["n"] for s in bars["sted-0"]["segments_24"]) == 2


# --- The map ------------------------------------------------------------------------------------------------------


def _places():
    return [
        ledger_map.Place("Nord", 55.70, 11.70, 0),
        ledger_map.Place("Syd", 55.40, 11.40, 1),
        ledger_map.Place("Øst", 55.55, 11.90, 5),
    ]


def test_the_map_fits_the_points_and_colours_them_by_contacts():
    drawn = ledger_map.draw(_places(), width=600, height=400, margin=40)
    assert all(40 - 1 <= p.x <= 560 + 1 and 40 - 1 <= p.y <= 360 + 1 for p in drawn.points)
    by_name = {p.place.name: p for p in drawn.points}
    north, south, east = by_name["Nord"], by_name["Syd"], by_name["Øst"]
    assert north.y < south.y and east.x > north.x > south.x
    assert (north.band, south.band, east.band) == ("none", "low", "high")
    # The least served are drawn last, on top.
    assert [p.place.name for p in drawn.points] == ["Øst", "Syd", "Nord"]
    assert drawn.tiles == []


def test_tiles_come_from_the_configured_server_and_cover_the_map():
    drawn = ledger_map.draw(_places(), tiles_url="https://tiles.example/{z}/{x}/{y}.png")
    assert drawn.tiles
    assert all(t.url.startswith("https://tiles.example/") and "{" not in t.url for t in drawn.tiles)
    assert min(t.x for t in drawn.tiles) <= 0 and max(t.x for t in drawn.tiles) + 256 >= drawn.width
    assert min(t.y for t in drawn.tiles) <= 0 and max(t.y for t in drawn.tiles) + 256 >= drawn.height


def test_one_workplace_or_none_still_makes_a_map():
    assert ledger_map.draw([]).points == []
    (only,) = ledger_map.draw([ledger_map.Place("Alene", 55.5, 11.5, 2)]).points
    assert (only.x, only.y) == (300, 200)


def test_the_maps_points_escape_names_and_count_in_the_persons_language():
    places = [ledger_map.Place("Bo & <Co>", 55.4, 11.4, 1), ledger_map.Place("Ærø", 55.7, 11.7, 3)]
    with translation.override("da"):
        svg = selectors._map_points_svg(ledger_map.draw(places).points)
    assert svg.count('data-testid="map-point"') == 2 and "<Co>" not in svg
    assert "<title>Bo &amp; &lt;Co&gt;: 1 kontakt de seneste 12 måneder</title>" in svg
    assert "<title>Ærø: 3 kontakter de seneste 12 måneder</title>" in svg
    assert 'class="ledger-map-name">Bo &amp; &lt;Co&gt;</text>' in svg
    with translation.override("en"):
        assert "Ærø: 3 contacts in the last 12 months" in selectors._map_points_svg(ledger_map.draw(places).points)


# --- The page -----------------------------------------------------------------------------------------------------


@pytest.fixture
def placed(cast, history):
    for n, workplace in enumerate(history.workplaces[:-1]):
        workplace.latitude, workplace.longitude = 55.4 + n / 20, 11.4 + n / 20
        workplace.save(update_fields=["latitude", "longitude"])
    return history


def test_the_page_shows_the_chart_the_gap_and_the_map_with_their_text_alternatives(client_for, cast, placed):
    page = client_for(cast.chair).get(reverse("meetings:ledger")).content.decode()
    assert page.count('data-testid="ledger-bar"') == len(placed.workplaces)
    assert 'id="ledger-chart-summary"' in page and "Færrest kontakter de seneste 12 måneder" in page
    assert 'role="img" aria-labelledby="ledger-gap-caption ledger-gap-summary"' in page
    assert 'data-testid="ledger-gap-table"' in page
    assert 'role="img" aria-labelledby="ledger-map-caption ledger-map-summary"' in page
    assert page.count('data-testid="map-point"') == len(placed.workplaces) - 1
    assert "<title>Sted 0:" in page
    # The workplace without coordinates is named, not left out.
    assert 'data-testid="map-unplaced"' in page and placed.workplaces[-1].name in page
    assert 'data-testid="map-tile"' not in page
    # Numbers in the SVG are written with a full stop whatever the language.
    assert not any("," in attr for attr in _svg_numbers(page))


def _svg_numbers(page):
    import re

    return re.findall(r' (?:x|y|width|height|cx|cy)="([^"]*)"', page)


def test_the_page_in_danish_keeps_the_svg_numbers_machine_readable(client_for, cast, placed):
    client = client_for(cast.chair)
    client.cookies["django_language"] = "da"
    page = client.get(reverse("meetings:ledger"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Lige adgang" in page
    assert not any("," in attr for attr in _svg_numbers(page))


def test_with_a_tile_server_the_map_has_its_tiles_and_attribution(client_for, cast, placed, settings):
    settings.DIALOG_MAP_TILES_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.DIALOG_MAP_TILES_ATTRIBUTION = "© Kortbidragydere"
    page = client_for(cast.chair).get(reverse("meetings:ledger")).content.decode()
    assert 'data-testid="map-tile"' in page and 'href="https://tiles.example/' in page
    assert "© Kortbidragydere" in page


# --- The public ledger --------------------------------------------------------------------------------------------


def test_the_snapshot_publishes_last_month_as_it_stood_at_its_end(cast, history):
    snapshot = services.ledger_snapshot_take(today=dt.date(2026, 12, 1))
    assert snapshot.month == dt.date(2026, 11, 1)
    rows = {r["workplace_slug"]: r for r in snapshot.rows}
    assert rows["sted-0"]["hosted_12"] == 1 and rows["sted-0"]["hosted_24"] == 2
    assert rows[cast.workplace.slug]["visits_12"] == 1
    # The other committee's workplace is there under its own committee.
    assert {r["committee_slug"] for r in snapshot.rows} == {cast.committee.slug, cast.other_committee.slug}
    # Names and counts only: no person, no e-mail address.
    keys = {k for r in snapshot.rows for k in r}
    assert keys == {
        "committee",
        "committee_slug",
        "workplace",
        "workplace_slug",
        *(f"{kind}_{months}" for kind in ("hosted", "attended", "visits") for months in (12, 24)),
    }
    assert snapshot.digest == sha256_hex(canonical_bytes(snapshot.rows))
    assert AuditEntry.objects.filter(action="rotation.ledger_published", object_id=str(snapshot.pk)).exists()


def test_a_month_is_published_once_and_never_changed(cast, history):
    first = services.ledger_snapshot_take(today=dt.date(2026, 12, 1))
    _meeting(cast.committee, history.workplaces[3], NOW - dt.timedelta(days=10))
    again = services.ledger_snapshot_take(today=dt.date(2026, 12, 5))
    assert again.pk == first.pk and again.rows == first.rows
    assert LedgerSnapshot.objects.count() == 1
    with pytest.raises(ValueError):
        first.save()


def test_a_month_that_is_not_over_cannot_be_published(cast):
    with pytest.raises(RotationError):
        services.ledger_snapshot_take(month=dt.date(2026, 12, 1), today=dt.date(2026, 12, 2))
    assert not LedgerSnapshot.objects.exists()


def test_anyone_can_read_the_published_months_and_download_them(client, cast, history):
    services.ledger_snapshot_take(today=dt.date(2026, 11, 1))
    snapshot = services.ledger_snapshot_take(today=dt.date(2026, 12, 1))
    index = client.get(reverse("meetings:public-ledger-index"))
    assert index.status_code == 200
    body = index.content.decode().lower()
    assert body.index("november 2026") < body.index("oktober 2026")
    page = client.get(snapshot.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count('data-testid="public-ledger-row"') == len(snapshot.rows)
    assert cast.member.email not in text and snapshot.digest in text
    committees = selectors.public_ledger_committees(snapshot)
    ours = next(c for c in committees if c["name"] == cast.committee.name)
    assert (ours["gap_12"], ours["without_contact"]) == (1, 3)
    assert [r["contacts_12"] for r in ours["rows"]] == sorted(r["contacts_12"] for r in ours["rows"])
    csv = client.get(reverse("meetings:public-ledger-csv", args=[2026, 11]))
    assert csv.status_code == 200 and csv["Content-Disposition"].endswith('lige-adgang-2026-11.csv"')
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + len(snapshot.rows)
    assert "Sted 0" in csv.content.decode("utf-8-sig")


@pytest.mark.parametrize("args", [(2026, 10), (1999, 11)])
def test_a_month_not_published_is_not_found(client, cast, history, args):
    services.ledger_snapshot_take(today=dt.date(2026, 12, 1))
    assert reverse("meetings:public-ledger", args=[2026, 11]) == "/lige-adgang/2026-11/"
    assert client.get(reverse("meetings:public-ledger", args=args)).status_code == 404
    assert client.get(reverse("meetings:public-ledger-csv", args=args)).status_code == 404
    for wrong in ("/lige-adgang/2026-13/", "/lige-adgang/2026-0/", "/lige-adgang/2026-1.csv"):
        assert client.get(wrong).status_code == 404


def test_the_public_pages_do_not_grow_in_queries(client, cast, history):
    services.ledger_snapshot_take(today=dt.date(2026, 12, 1))
    url = reverse("meetings:public-ledger", args=[2026, 11])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
        client.get(reverse("meetings:public-ledger-index"))
    for n in range(8):
        factories.WorkplaceFactory(slug=f"mere-{n}", committees=[cast.committee])
    services.ledger_snapshot_take(today=dt.date(2026, 11, 1))
    with CaptureQueriesContext(connection) as more:
        client.get(url)
        client.get(reverse("meetings:public-ledger-index"))
    assert len(more) == len(few)


def test_names_never_cover_each_other_and_the_least_served_are_named_first():
    crowd = [ledger_map.Place(f"Arbejdsplads {n}", 55.5 + n / 100000, 11.5, n) for n in range(6)]
    drawn = ledger_map.draw([*crowd, ledger_map.Place("Langt væk", 55.9, 13.5, 0)])
    named = [p.place.name for p in drawn.points if p.label]
    assert "Arbejdsplads 0" in named  # the least served of the crowd keeps its name
    assert len(named) < len(drawn.points)  # the crowd's others give way
    # The far point sits at the map's right edge: its name goes to the left of it.
    far = next(p for p in drawn.points if p.place.name == "Langt væk")
    assert far.label == "end" and far.name_x < far.x


def test_the_public_csv_writes_a_hostile_workplace_name_as_inert_text(client, cast):
    factories.WorkplaceFactory(slug="formel", name='=HYPERLINK("https://evil.example")', committees=[cast.committee])
    services.ledger_snapshot_take(today=dt.date(2026, 12, 1))
    body = client.get(reverse("meetings:public-ledger-csv", args=[2026, 11])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body and ";=HYPERLINK" not in body
