"""Beyond axe (issue 21): what a keyboard user at 125–400 % zoom meets. The top menu wraps or collapses and »Log ud«
stays on screen; a failed submit lands on an error summary; focus outlines and field borders are 3:1; the secretariat's
admin pages pass axe; every scroll wrapper has its own name."""

import re

import pytest
from playwright.sync_api import expect

from codex.models import CodexSection
from tests.browser.conftest import (
    assert_border_contrast,
    assert_focus_visible,
    assert_no_sideways_scroll,
    contrast,
    enter_to_next_page,
    focused,
    keyboard_walk,
    parse_colour,
    set_text_size,
    set_zoom,
    tab_to,
)
from tests.codex.conftest import publish, write_draft
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def codex(cast):
    return publish(cast.administrator, write_draft(cast.administrator))


def _assert_on_screen(locator):
    box = locator.bounding_box()
    width = locator.page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, f"Off screen: {box} in {width} px"


def _open_user_menu_and_reach_log_out(page, user):
    tab_to(page, user.full_name)
    assert_focus_visible(page)
    page.keyboard.press(" ")  # the user menu is a button: Space opens it
    expect(page.get_by_test_id("user-menu")).to_have_attribute("aria-expanded", "true")
    log_out = page.get_by_role("button", name="Log ud")
    expect(log_out).to_be_visible()
    _assert_on_screen(log_out)
    tab_to(page, "Log ud")
    assert_focus_visible(page)


@pytest.mark.parametrize(
    "screen",
    [
        pytest.param(lambda page: set_zoom(page, 125), id="1280px-at-125-percent"),
        pytest.param(lambda page: page.set_viewport_size({"width": 992, "height": 800}), id="992px"),
        pytest.param(lambda page: page.set_viewport_size({"width": 1100, "height": 800}), id="1100px"),
        pytest.param(lambda page: set_text_size(page, 150), id="larger-text"),
    ],
)
def test_the_top_menu_wraps_and_log_out_stays_on_screen_and_in_reach_of_the_keyboard(browser_page, cast, screen):
    page = browser_page.login(cast.administrator)  # the secretariat sees the most menu items
    screen(page)
    assert_no_sideways_scroll(page)
    expect(page.get_by_role("button", name="Vis menu")).to_be_hidden()  # the menu is expanded, so it must wrap
    for link in page.get_by_role("navigation", name="Hovedmenu").get_by_role("link").all():
        _assert_on_screen(link)
    _assert_on_screen(page.get_by_test_id("user-menu"))
    page.locator("body").focus()
    _open_user_menu_and_reach_log_out(page, cast.administrator)
    enter_to_next_page(page)
    expect(page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Log ind")).to_be_visible()


def test_at_400_percent_zoom_the_menu_collapses_and_opens_by_keyboard_without_sideways_scrolling(browser_page, cast):
    page = browser_page.login(cast.chair)
    set_zoom(page, 400)
    assert_no_sideways_scroll(page)
    tab_to(page, "Vis menu")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Udvalg", exact=True)).to_be_visible()
    _open_user_menu_and_reach_log_out(page, cast.chair)
    assert_no_sideways_scroll(page)


def test_a_failed_signature_moves_focus_to_an_error_summary_that_links_to_each_field(browser_page, cast, codex):
    page = browser_page.login(cast.member)
    set_zoom(page, 125)
    page.visit("/kodeks/underskriv/")
    assert not page.get_by_test_id("error-summary").count()
    expect(page.get_by_text("* = skal udfyldes")).to_be_visible()
    page.get_by_test_id("codex-sign-submit").click()
    page.check()

    assert page.title().startswith("Fejl:")
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    assert focused(page)["top"] < page.viewport_size["height"]  # at the top, not 1,600 px below the fold
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)

    # Each link takes the reader to its field, which says it is invalid and what is wrong.
    tab_to(page, re.compile("fulde navn"))
    page.keyboard.press("Enter")
    name = page.locator("#id_typed_name")
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_attribute("aria-describedby", re.compile("id_typed_name_error"))
    expect(page.locator("#id_typed_name_error")).to_contain_text("fulde navn")
    expect(page.locator("#id_has_read")).to_have_attribute("aria-invalid", "true")

    # What was typed is kept after a failed submit.
    name.fill("Noget andet")
    page.get_by_test_id("codex-sign-submit").click()
    page.check()
    expect(page.get_by_test_id("error-summary")).to_be_focused()
    assert page.locator("#id_typed_name").input_value() == "Noget andet"


def _assert_error_summary_leads_somewhere(page):
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    targets = summary.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href').slice(1))")
    assert targets and all(page.locator(f"[id='{target}']").count() == 1 for target in targets), targets


def test_a_person_logs_in_with_the_keyboard_alone_at_400_percent_zoom(browser_page, cast):
    page = browser_page.visit("/konto/login/")
    set_zoom(page, 400)
    assert_no_sideways_scroll(page)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Gå til indhold"  # the skip link comes first
    page.keyboard.press("Enter")
    tab_to(page, "id_login")
    page.keyboard.type(cast.chair.email)
    tab_to(page, "id_password")
    page.keyboard.type("forkert adgangskode")
    enter_to_next_page(page)
    assert page.title().startswith("Fejl:")
    _assert_error_summary_leads_somewhere(page)
    assert page.locator("#id_login").input_value() == cast.chair.email

    tab_to(page, "id_password")
    page.keyboard.type(TEST_PASSWORD)
    enter_to_next_page(page)
    assert not page.title().startswith("Fejl:")
    assert_no_sideways_scroll(page)
    page.locator("body").focus()
    assert len(keyboard_walk(page)) > 3  # the dashboard: every stop in view at 400 %, with a visible focus


def test_focus_outlines_and_field_borders_are_at_least_3_to_1_against_their_background(browser_page, cast, codex):
    page = browser_page.login(cast.member)
    page.visit("/kodeks/underskriv/")
    assert_border_contrast(page.locator("#id_typed_name"))
    assert_border_contrast(page.locator("#id_has_read"))
    page.locator("body").focus()
    stops = keyboard_walk(page)  # every stop in view with an outline of 3:1: menu, text, fields, buttons, footer
    names = [stop["name"] for stop in stops]
    assert "Mit overblik" in names and any("Skriv under" in name for name in names)
    assert {"input", "button", "a"} <= {stop["tag"] for stop in stops}
    # The outline on the dark menu is measured against the menu, not the page.
    page.locator("body").focus()
    tab_to(page, "Mit overblik")
    assert_focus_visible(page)


def test_contrast_is_measured_as_wcag_defines_it():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast(parse_colour("rgb(108, 117, 125)")[:3], (255, 255, 255)), 2) == 4.69
    assert contrast((222, 226, 230), (255, 255, 255)) < 3  # Bootstrap's default border, too faint


def test_the_secretariats_admin_pages_pass_accessibility_checks(browser_page, cast, codex):
    draft = write_draft(cast.administrator, title="Kodeks for tillid, udkast")
    section = CodexSection.objects.filter(version=draft).first()
    page = browser_page.login(cast.administrator)
    for path in [
        "/admin/",
        "/admin/meetings/user/",
        f"/admin/meetings/user/{cast.chair.pk}/change/",  # tabular inlines and the two-list filter widget
        "/admin/meetings/user/add/",
        "/admin/meetings/committee/",
        f"/admin/meetings/committee/{cast.committee.pk}/change/",
        "/admin/meetings/workplace/",
        f"/admin/meetings/workplace/{cast.workplace.pk}/change/",
        "/admin/codex/codexversion/",
        f"/admin/codex/codexversion/{codex.pk}/change/",
        f"/admin/codex/codexversion/{draft.pk}/change/",
        "/admin/codex/codexsection/",
        f"/admin/codex/codexsection/{section.pk}/change/",
        "/admin/meetings/rotationplan/",
        "/admin/meetings/meetingdate/",
    ]:
        page.visit(path)
    # The membership rows name their fields after column and row.
    page.visit(f"/admin/meetings/committee/{cast.committee.pk}/change/")
    expect(page.get_by_label("Rolle, række 1", exact=True)).to_be_visible()
    # Every stop of the keyboard has an outline of 3:1: on the page, the dark header, breadcrumbs and captions.
    page.locator("body").focus()
    stops = keyboard_walk(page, limit=60)
    assert {"Gå til hovedindhold", "Hjem", "Udvalg"} <= {stop["name"] for stop in stops}


def test_every_scroll_wrapper_on_a_page_has_its_own_name(browser_page, cast, codex):
    page = browser_page.login(cast.administrator)
    page.visit("/kodeks/register/")
    regions = page.locator(".table-responsive[role=region]")
    names = [
        regions.nth(i).evaluate("el => document.getElementById(el.getAttribute('aria-labelledby')).innerText")
        for i in range(regions.count())
    ]
    assert len(names) >= 2 and len(set(names)) == len(names) and all(names), names
