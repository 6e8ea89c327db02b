"""A politician asks two workplaces the same question (a CPR number in the first try is refused, and the text is
kept); one leader answers, the other passes it on to a head of centre; the asker sees the new answer on the dashboard
and finds both on the committee's list, filtered. Every page passes axe; the form is sent by keyboard, and the
politician's pages are used at 125 % zoom without sideways scrolling."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import Question
from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, enter_to_next_page, keyboard_walk, set_zoom, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_to(page, person):
    page.page.context.clear_cookies()
    page.login(person)


def test_ask_two_workplaces_one_answers_the_other_passes_it_on(browser_page, cast):
    second = factories.WorkplaceFactory(slug="skovbrynet", name="Skovbrynets Skole", committees=[cast.committee])
    second_leader = factories.UserFactory(email="leder2@dalby.example", full_name="Test leder to")
    factories.WorkplaceRoleFactory(user=second_leader, workplace=second)

    page = browser_page
    set_zoom(page.page, 125)

    # The member finds the committee's questions from the committee's page and asks both workplaces.
    page.login(cast.member)
    page.visit(cast.committee.get_absolute_url())
    page.locator("#committee-questions-link").click()
    page.check()
    page.locator("#question-create-link").click()
    page.check()
    assert "CPR" in page.get_by_test_id("no-individual-cases").inner_text()
    page.get_by_label(cast.workplace.name).check()
    page.get_by_label(second.name).check()
    page.locator("#id_text").fill("Hvordan går det med barnet 010190-1234?")
    page.locator("#id_no_individual_case").check()
    page.locator("#question-submit").click()
    page.check()
    assert "CPR-nummer" in page.content()
    expect(page.locator("#id_text")).to_have_value("Hvordan går det med barnet 010190-1234?")
    assert not Question.objects.exists()

    # The text without the number, sent by keyboard.
    page.locator("#id_text").fill("Hvordan går det med at skaffe uddannede pædagoger?")
    page.locator("#id_text").focus()
    tab_to(page.page, "Send spørgsmålet")
    enter_to_next_page(page)
    assert page.get_by_test_id("question-row").count() == 2
    assert_no_sideways_scroll(page.page)
    asked = {q.workplace_id: q for q in Question.objects.all()}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.leader.email, second_leader.email])

    # The first leader finds it on the dashboard and answers.
    mail.outbox.clear()
    _switch_to(page, cast.leader)
    page.get_by_test_id("dashboard-questions").get_by_role("link").first.click()
    page.check()
    page.locator("#question-answer-link").click()
    page.check()
    page.locator("#id_text").fill("Vi har fået to nye pædagoger i år, men mangler stadig vikarer.")
    page.locator("#transition-submit").click()
    page.check()
    expect(page.get_by_test_id("question-status")).to_have_attribute("data-status", "answered")
    assert "vikarer" in page.get_by_test_id("answer").inner_text()
    assert cast.member.email in {m.to[0] for m in mail.outbox}

    # The second leader passes it on to a head of centre.
    _switch_to(page, second_leader)
    page.visit(asked[second.pk].get_absolute_url())
    page.locator("#question-pass-on-link").click()
    page.check()
    page.locator("#id_name").fill("Centerchef Birthe Dalgaard")
    page.locator("#id_email").fill("birthe.dalgaard@dalby.example")
    page.locator("#id_note").fill("Rekruttering ligger i centret.")
    page.locator("#transition-submit").click()
    page.check()
    expect(page.get_by_test_id("question-status")).to_have_attribute("data-status", "passed_on")
    assert "Birthe Dalgaard" in page.get_by_test_id("passed-on").inner_text()
    assert "birthe.dalgaard@dalby.example" in {m.to[0] for m in mail.outbox}

    # The asker sees the new answer on the dashboard and both on the committee's list, filtered by status.
    _switch_to(page, cast.member)
    assert "vikarer" not in page.get_by_test_id("dashboard-my-questions").inner_text()  # the list shows questions
    page.get_by_test_id("dashboard-my-questions").get_by_role("link", name=cast.workplace.name).click()
    page.check()
    assert "vikarer" in page.get_by_test_id("answer").inner_text()
    page.visit(f"/udvalg/{cast.committee.slug}/spoergsmaal/")
    page.locator("#id_status").select_option("passed_on")
    page.locator("#question-filter-submit").click()
    page.check()
    assert page.get_by_test_id("question-row").count() == 1
    assert second.name in page.get_by_test_id("question-row").inner_text()
    assert_no_sideways_scroll(page.page)
    assert keyboard_walk(page.page)
    assert page.unchecked() == set()
