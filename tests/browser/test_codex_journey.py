"""The codex in a browser: a politician is stopped at the gate, reads, signs and goes on.
Every page is checked with axe. Elements are found by id or data-testid, so the tests hold
whether the page speaks Danish or English."""

import re

import pytest
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from codex import services
from codex.gate import require_codex_signed
from codex.models import CodexPrinciple
from tests.codex.conftest import publish, sign, write_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOOKED = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Booked{% endblock %}'
    '{% block content %}<h1 data-testid="booked">Booked</h1>{% endblock %}'
)


@login_required
@require_codex_signed
def book_visit(request):
    """Stands in for a guarded action (booking a visit) until the visits app exists."""
    return HttpResponse(BOOKED.render({}, request))


urlpatterns = [
    path("test/book-visit/", book_visit),
    path("", include("dialog_portal.urls")),
]


@pytest.fixture
def codex(cast):
    return publish(cast.administrator, write_draft(cast.administrator))


@pytest.mark.urls("tests.browser.test_codex_journey")
def test_a_politician_is_stopped_at_the_gate_reads_signs_and_goes_on(browser_page, cast, codex):
    page = browser_page
    page.login(cast.member)
    assert page.get_by_test_id("codex-banner").is_visible()

    page.visit("/test/book-visit/")
    assert page.get_by_test_id("codex-gate-notice").is_visible()
    assert not page.get_by_test_id("booked").count()

    page.get_by_test_id("codex-gate-link").click()
    page.check()
    assert "/kodeks/underskriv/" in page.url
    assert page.get_by_text("Politikerne sætter rammerne").first.is_visible()

    # A wrong name is refused and the form keeps what was typed.
    page.locator("#id_has_read").check()
    page.locator("#id_typed_name").fill("Test chair")
    page.get_by_test_id("codex-sign-submit").click()
    page.check()
    assert page.locator("#id_typed_name").input_value() == "Test chair"
    assert cast.member.full_name in page.content()

    page.locator("#id_has_read").check()
    page.locator("#id_typed_name").fill(cast.member.full_name)
    page.get_by_test_id("codex-sign-submit").click()
    page.check()
    assert page.get_by_test_id("booked").is_visible()

    page.visit("/")
    assert not page.get_by_test_id("codex-banner").count()

    page.visit("/kodeks/register/")
    assert cast.member.full_name in page.get_by_test_id("register-signed").inner_text()
    page.get_by_test_id(f"verify-{cast.member.pk}").click()
    page.check()
    assert page.get_by_test_id("verify-result").get_attribute("data-holds") == "true"


def test_the_public_pages_of_the_codex_pass_accessibility_checks(browser_page, cast, codex):
    sign(cast.chair, codex)
    draft = services.codex_version_revise(version=codex, actor=cast.administrator)
    principle = CodexPrinciple.objects.filter(section__version=draft).first()
    principle.text = "Politikerne sætter en klar ramme og giver slip på detaljen."
    principle.save()
    publish(cast.administrator, draft, change_kind="material")
    page = browser_page
    page.visit("/")
    page.get_by_role("link", name=re.compile("kodeks|codex", re.I)).first.click()
    page.check()
    assert "/kodeks/" in page.url
    page.visit("/kodeks/register/")
    page.visit("/kodeks/versioner/")
    page.visit("/kodeks/versioner/1/")
    page.visit("/kodeks/versioner/2/forskelle/")
    assert page.get_by_test_id("codex-diff").locator("ins").count()


def test_the_signer_and_administrator_pages_pass_accessibility_checks(browser_page, cast, codex):
    signature = sign(cast.leader, codex)
    services.codex_version_revise(version=codex, actor=cast.administrator)
    page = browser_page
    page.login(cast.leader)
    page.visit("/kodeks/")
    page.visit("/kodeks/underskriv/")
    page.visit(f"/kodeks/signaturer/{signature.pk}/tilbagekald/")
    page.get_by_test_id("codex-withdraw-submit").click()
    page.check()
    page.visit("/kodeks/underskriv/")
    assert page.get_by_test_id("codex-sign-form").is_visible()


def test_the_administrator_previews_publishes_and_checks_the_log(browser_page, cast, codex):
    sign(cast.chair, codex)
    draft = services.codex_version_revise(version=codex, actor=cast.administrator)
    page = browser_page
    page.login(cast.administrator)
    page.visit(f"/kodeks/versioner/{draft.number}/")
    assert page.get_by_test_id("codex-preview").is_visible()
    page.visit(f"/kodeks/versioner/{draft.number}/udgiv/")
    page.locator("input[name=change_kind][value=editorial]").check()
    page.get_by_test_id("codex-publish-submit").click()
    page.check()
    draft.refresh_from_db()
    assert draft.is_published and draft.change_kind == "editorial"
    page.visit("/kodeks/register/")
    assert cast.chair.full_name in page.get_by_test_id("register-signed").inner_text()
    page.visit("/kodeks/kontrol/")
    assert page.get_by_test_id("chain-result").get_attribute("data-holds") == "true"


def test_a_material_change_shows_who_must_sign_again_and_gives_signers_a_grace_period(browser_page, cast, codex):
    import datetime as dt

    from django.utils.formats import date_format

    from meetings.models import Visit
    from tests import factories

    sign(cast.member, codex)
    draft = services.codex_version_revise(version=codex, actor=cast.administrator)
    page = browser_page
    page.login(cast.administrator)

    # Before confirming, the publish page says how many must sign again, per group, and until when signers go on.
    page.visit(f"/kodeks/versioner/{draft.number}/udgiv/")
    politicians = page.locator('[data-testid="sign-again"] tr[data-role="politician"]')
    assert politicians.get_by_test_id("sign-again-total").inner_text() == "4"
    assert politicians.get_by_test_id("sign-again-grace").inner_text() == "1"
    assert politicians.get_by_test_id("sign-again-stopped").inner_text() == "3"
    page.locator("input[name=change_kind][value=material]").check()
    page.get_by_test_id("codex-publish-submit").click()
    page.check()
    draft.refresh_from_db()
    assert draft.is_published and draft.change_kind == "material"

    # The politician who had signed sees the last day in the banner and can still book meanwhile.
    page.page.context.clear_cookies()
    page.login(cast.member)
    deadline = date_format(dt.date.today() + dt.timedelta(days=13), "j. N Y")
    assert deadline in page.get_by_test_id("codex-banner-deadline").inner_text()
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    page.visit(f"/besoeg/tid/{slot.pk}/book/")
    page.locator("#id_purpose").fill("Vi vil se sprogarbejdet.")
    page.locator("#book-submit").click()
    page.check()
    assert Visit.objects.filter(booked_by=cast.member).exists()
