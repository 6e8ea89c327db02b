"""A trio member writes a story with a photo; the leader shares it from the dashboard (by keyboard); a politician
finds it on their dashboard, answers »I would like to see this« and books a visit with the story as its purpose,
and chooses to hear of stories at once; the leader shows the story publicly, where anyone reads it; the secretariat
hides it with a reason the author sees. Every page passes axe; the pages are used at 125 % zoom (a 1024 px wide
window)."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from meetings.models import Story, Visit
from meetings.notices import notice_choice
from tests import factories

from .conftest import assert_no_sideways_scroll, enter_to_next_page, set_zoom, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_to(page, person):
    page.page.context.clear_cookies()
    page.login(person)


def test_a_trio_story_with_a_photo_is_shared_and_a_politician_books_a_visit_from_it(
    browser_page, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "udekoekken.jpg"
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (55.0, 24.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1500), (60, 160, 90)).save(buffer, "JPEG", exif=exif)
    photo.write_bytes(buffer.getvalue())
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)

    page = browser_page
    set_zoom(page.page, 125)

    # The trio member writes the story from the workplace's page.
    page.login(cast.trio)
    page.visit(cast.workplace.get_absolute_url())
    page.check()
    page.get_by_test_id("story-write").click()
    page.check()
    page.locator("#id_kind_0").check()
    page.locator("#id_title").fill("Nyt udekøkken")
    page.locator("#id_text").fill("Forældre og personale byggede et udekøkken en lørdag.")
    page.locator("#id_photo").set_input_files(str(photo))
    page.locator("#id_photo_alt").fill("Et udekøkken af træ i solskin")
    page.locator("#id_photo_consent").check()
    page.locator("#story-submit").click()
    page.check()
    story = Story.objects.get(title="Nyt udekøkken")
    assert story.status == Story.Status.AWAITING
    expect(page.get_by_test_id("story-photo")).to_have_attribute("alt", "Et udekøkken af træ i solskin")
    with story.photo.open("rb") as handle, Image.open(handle) as stored:
        assert max(stored.size) == 1600 and not stored.getexif()

    # The leader finds it on the dashboard and shares it, by keyboard.
    _switch_to(page, cast.leader)
    page.get_by_test_id("dashboard-stories-awaiting").get_by_role("link", name="Nyt udekøkken").click()
    page.check()
    tab_to(page.page, "Del med udvalget")
    enter_to_next_page(page)
    enter_to_next_page(page, "#transition-submit")
    expect(page.get_by_test_id("story-status")).to_have_text("Delt med udvalget")

    # A politician of the committee sees it on the dashboard and in the committee's feed.
    _switch_to(page, cast.member)
    page.get_by_test_id("dashboard-stories").get_by_role("link", name="Nyt udekøkken").click()
    page.check()
    assert_no_sideways_scroll(page.page)
    page.get_by_test_id("story-see").click()
    page.check()
    page.locator(f'[data-slot="{slot.pk}"] [data-testid="book-slot"]').click()
    page.check()
    assert "Nyt udekøkken" in page.locator("#id_purpose").input_value()
    page.locator("#book-submit").click()
    page.check()
    visit = Visit.objects.get(workplace=cast.workplace)
    assert "Nyt udekøkken" in visit.purpose

    page.visit(f"/historier/udvalg/{cast.committee.slug}/")
    page.check()
    expect(page.get_by_test_id("story")).to_have_count(1)

    # The politician wants stories by e-mail at once rather than in the weekly digest.
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("nav-notices").click()
    page.check()
    page.locator('input[name="stories"][value="now"]').check()
    page.locator("#notice-submit").click()
    page.check()
    assert notice_choice(cast.member, "stories") == "now"

    # The leader shows the story on the public pages; anyone reads it there, with its photo and the Atom feed.
    _switch_to(page, cast.leader)
    page.visit(story.get_absolute_url())
    page.get_by_test_id("story-make-public").click()
    page.check()
    page.locator("#transition-submit").click()
    page.check()
    expect(page.get_by_test_id("story-public")).to_be_visible()
    page.page.context.clear_cookies()
    page.visit(f"/historier/offentlige/{cast.committee.slug}/")
    page.check()
    expect(page.get_by_test_id("story").locator("img")).to_have_attribute("alt", "Et udekøkken af træ i solskin")
    expect(page.get_by_test_id("story-feed-link")).to_be_visible()

    # The secretariat hides it with a reason; the author sees the reason.
    page.login(cast.administrator)
    page.visit(story.get_absolute_url())
    page.get_by_test_id("story-hide").click()
    page.check()
    page.locator("#id_reason").fill("Et barns ansigt kan genkendes på fotoet.")
    page.locator("#transition-submit").click()
    page.check()
    _switch_to(page, cast.trio)
    page.visit(story.get_absolute_url())
    page.check()
    expect(page.get_by_test_id("story-hidden-reason")).to_contain_text("Et barns ansigt")
