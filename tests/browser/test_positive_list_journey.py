"""The secretariat adds an item to a committee's positive list and reviews another with »abolish«; the public list
shows it as removed, with the reason, and names no one. The review is done by keyboard; every page passes axe; the
pages are used at 125 % zoom (a 1024 px wide window) without sideways scrolling."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from codex.models import PolicyItem
from tests import factories
from tests.browser.conftest import enter_to_next_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def test_the_secretariat_adds_an_item_abolishes_another_and_the_public_list_shows_it_removed(browser_page, cast):
    today = timezone.localdate()
    old = factories.PolicyItemFactory(
        committee=cast.committee,
        title="Ugentlig statusrapport til forvaltningen",
        kind="steering_demand",
        next_review_on=today + dt.timedelta(days=10),
    )
    page = browser_page
    page.page.set_viewport_size({"width": 1024, "height": 768})  # 1280 px at 125 % zoom

    # The secretariat finds the list from the codex's page and adds an item.
    page.login(cast.administrator)
    page.visit("/kodeks/")
    page.get_by_test_id("policy-list-link").click()
    page.check()
    page.get_by_role("link", name=cast.committee.name, exact=True).click()
    page.check()
    page.get_by_test_id("policy-item-add").click()
    page.check()
    expect(page.locator("#id_policy_list")).to_have_value(cast.committee.slug)
    page.locator("#id_title").fill("Dokumentation af pædagogiske læreplaner")
    page.locator("#id_kind").select_option("fixed_requirement")
    page.locator("#id_link_url").fill("https://dalby.example/laereplaner.pdf")
    page.get_by_label("En centerchef").check()
    page.locator("#id_owner_title").fill("Centerchef for Dagtilbud")
    page.locator("#id_demands_documentation").check()
    page.locator("#id_demands").fill("Skriftlig evaluering hvert andet år, ca. 10 timer.")
    page.locator("#id_adopted_on").fill("2024-03-01")
    page.locator("#id_next_review_on").fill((today + dt.timedelta(days=365)).isoformat())
    page.locator("#policy-item-submit").click()
    page.check()
    added = PolicyItem.objects.get(title="Dokumentation af pædagogiske læreplaner")
    assert page.url.endswith(added.get_absolute_url())
    assert added.owner_title == "Centerchef for Dagtilbud" and added.demands_documentation

    # ... and reviews the other with »abolish«, by keyboard.
    page.visit(old.get_absolute_url())
    page.get_by_test_id("policy-review-link").focus()
    enter_to_next_page(page)
    page.get_by_label("Afskaffes").focus()
    page.keyboard.press("Space")
    page.locator("#id_reason").focus()
    page.keyboard.type("Ingen læste rapporterne, og de tog en time hver uge fra kerneopgaven.")
    enter_to_next_page(page, "#policy-review-submit")
    expect(page.get_by_test_id("policy-status")).to_contain_text("Fjernet")
    old.refresh_from_db()
    assert old.status == "removed" and old.removed_on == today
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    # The public list: the new item in force, the abolished one under »Fjernet« with the reason, no names.
    page.page.context.clear_cookies()
    page.visit("/")
    page.get_by_test_id("public-policy-list").click()
    page.check()
    page.get_by_role("link", name=cast.committee.name, exact=True).click()
    page.check()
    expect(page.get_by_test_id("policy-in-force")).to_contain_text(added.title)
    expect(page.get_by_test_id("policy-in-force")).not_to_contain_text(old.title)
    page.get_by_test_id("tab-removed").click()
    page.check()
    removed = page.get_by_test_id("policy-removed")
    expect(removed).to_contain_text(old.title)
    expect(removed).to_contain_text("kerneopgaven")
    assert cast.administrator.full_name not in page.content()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.get_by_role("link", name=old.title, exact=True).click()
    page.check()
    expect(page.get_by_test_id("policy-status")).to_contain_text("Fjernet")
    assert cast.administrator.full_name not in page.content()
