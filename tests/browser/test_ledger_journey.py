"""A politician reads the equal-access ledger: the chart, the gap over time and the map render with their text
alternatives and the table; it works by keyboard, at 125 % zoom and on a phone. The public reads last month's
published ledger. Every page passes axe."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, RotationPlan
from meetings.rotation import services

from .conftest import assert_no_sideways_scroll, keyboard_walk, set_zoom, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def served(cast, rotation):
    """Two held meetings in the last year, hosted by the first two extra workplaces; all but the last workplace
    have coordinates."""
    plan = RotationPlan.objects.create(
        committee=cast.committee, year=timezone.localdate().year, status=RotationPlan.Status.PUBLISHED
    )
    for n, days in enumerate((40, 200)):
        start = timezone.now() - dt.timedelta(days=days)
        Meeting.objects.create(
            committee=cast.committee,
            plan=plan,
            host=rotation.workplaces[n + 1],
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            outcome=Meeting.Outcome.HELD,  # only what happened counts (confirmed as held)
        )
    for n, workplace in enumerate(rotation.workplaces[:-1]):
        workplace.latitude, workplace.longitude = 55.40 + n / 25, 11.35 + (n % 3) / 10
        workplace.save(update_fields=["latitude", "longitude"])
    return rotation


def test_the_ledger_chart_gap_and_map_render_with_text_alternatives(browser_page, cast, served):
    page = browser_page
    page.login(cast.chair)
    page.locator('[data-testid="nav-ledger"]').click()
    page.check()
    chart = page.locator('[data-testid="ledger-chart"]')
    assert chart.locator('[data-testid="ledger-bar"]').count() == len(served.workplaces)
    # Least served first: the two hosts come last.
    names = chart.locator(".ledger-bars-name").all_inner_texts()
    assert set(names[-2:]) == {served.workplaces[1].name, served.workplaces[2].name}
    assert "Færrest kontakter" in page.locator("#ledger-chart-summary").inner_text()
    # The bars of a host have a drawn segment; the numbers are written beside them.
    host_bar = chart.locator('[data-testid="ledger-bar"]').last
    assert host_bar.locator("rect.ledger-kind-hosted").count() == 2
    assert "1" in host_bar.locator(".ledger-bars-numbers").inner_text()

    gap = page.locator('[data-testid="ledger-gap"] svg')
    assert gap.get_attribute("role") == "img"
    assert gap.get_attribute("aria-labelledby") == "ledger-gap-caption ledger-gap-summary"
    assert page.locator('[data-testid="ledger-gap-table"] tbody tr').count() == 8

    map_svg = page.locator('[data-testid="ledger-map"] svg.ledger-map-svg')
    assert map_svg.is_visible() and map_svg.get_attribute("role") == "img"
    points = page.locator('[data-testid="map-point"]')
    assert points.count() == len(served.workplaces) - 1
    titles = [points.nth(n).locator("title").text_content() for n in range(points.count())]
    assert any(t.startswith(served.workplaces[1].name + ":") for t in titles)
    assert served.workplaces[-1].name in page.locator('[data-testid="map-unplaced"]').inner_text()
    assert page.locator('[data-testid="map-tile"]').count() == 0  # no tile server: the map stands without
    assert page.locator('[data-testid="ledger-table"]').is_visible()

    # By keyboard at 125 %: every stop in view with a visible focus, down to the link to the published months.
    set_zoom(page, 125)
    page.visit(reverse("meetings:ledger"))
    assert_no_sideways_scroll(page)
    keyboard_walk(page)
    page.visit(reverse("meetings:ledger"))
    tab_to(page, "De offentliggjorte månedsoversigter", limit=120)

    # On a phone the chart and the map fit the width.
    page.set_viewport_size({"width": 390, "height": 844})
    page.visit(reverse("meetings:ledger"))
    assert_no_sideways_scroll(page)
    assert page.locator('[data-testid="ledger-map"] svg.ledger-map-svg').bounding_box()["width"] <= 390


def test_the_public_reads_last_months_ledger(browser_page, cast, served):
    snapshot = services.ledger_snapshot_take()
    page = browser_page
    page.visit(reverse("meetings:public-plan-index"))
    page.locator(f'a[href="{reverse("meetings:public-ledger-index")}"]').click()
    page.check()
    page.locator(f'[data-testid="public-ledger-months"] a[href="{snapshot.get_absolute_url()}"]').click()
    page.check()
    rows = page.locator('[data-testid="public-ledger-row"]')
    assert rows.count() == len(snapshot.rows)
    assert page.locator('[data-testid="public-ledger-csv"]').is_visible()
    set_zoom(page, 125)
    page.visit(snapshot.get_absolute_url())
    assert_no_sideways_scroll(page)
    keyboard_walk(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.visit(snapshot.get_absolute_url())
    assert_no_sideways_scroll(page)
