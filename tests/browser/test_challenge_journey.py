"""A leader challenges a documentation demand on the committee's positive list; another leader says it applies to
them too; the chair puts it on a committee meeting; the committee grants it as a six-month trial; when the trial
ends the chair is reminded and makes it permanent; the positive list shows the demand removed, and the public page
counts the hours given back. Every page passes axe; the pages are used at 125 % zoom (a 1024 px wide window), and
the leader sends the challenge by keyboard."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from codex.challenges import services
from codex.challenges.models import Challenge
from meetings.models import Meeting, RotationPlan
from tests import factories
from tests.browser.conftest import assert_no_sideways_scroll, enter_to_next_page, keyboard_walk, set_zoom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_to(page, person):
    page.page.context.clear_cookies()
    page.login(person)


def test_challenge_a_documentation_demand_through_a_trial_to_the_positive_list(browser_page, cast):
    today = timezone.localdate()
    item = factories.PolicyItemFactory(
        committee=cast.committee,
        title="Daglig dokumentation af børnenes søvn",
        kind="fixed_requirement",
        demands_reporting=False,
        demands_documentation=True,
        demands="Hver dag noteres hvert barns søvn i appen.",
    )
    second = factories.WorkplaceFactory(slug="skovbrynet", name="Børnehuset Skovbrynet", committees=[cast.committee])
    second_leader = factories.UserFactory(email="leder2@dalby.example", full_name="Test leder to")
    factories.WorkplaceRoleFactory(user=second_leader, workplace=second)
    plan = RotationPlan.objects.create(committee=cast.committee, year=today.year, status=RotationPlan.Status.PUBLISHED)
    starts = dt.datetime.combine(today + dt.timedelta(days=21), dt.time(16), tzinfo=ZoneInfo("Europe/Copenhagen"))
    meeting = Meeting.objects.create(
        committee=cast.committee, plan=plan, host=second, starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )

    page = browser_page
    set_zoom(page.page, 125)

    # The leader finds the challenges from the codex's page and challenges the demand.
    page.login(cast.leader)
    page.visit("/kodeks/")
    page.check()
    page.get_by_test_id("challenge-list-link").click()
    page.check()
    page.locator("#challenge-create-link").click()
    page.check()
    assert_no_sideways_scroll(page.page)
    page.locator("#id_committee").select_option(str(cast.committee.pk))
    page.locator("#id_policy_item").select_option(str(item.pk))
    page.locator("#id_description").fill("Pædagogerne bruger tid på skærmen i stedet for med børnene.")
    page.locator("#id_hours_per_month").fill("12")
    page.get_by_label("Prøv at arbejde uden den i en periode").check()
    page.locator("#id_proposal_detail").fill("Et halvt år uden, og så ser vi på det.")
    page.get_by_label("Trioen står bag udfordringen").check()
    page.locator("#challenge-save").click()
    page.check()
    challenge = Challenge.objects.get()
    assert page.url.endswith(challenge.get_absolute_url())
    expect(page.get_by_test_id("challenge-status")).to_have_attribute("data-status", "draft")

    # ... and sends it by keyboard, after the confirmation.
    assert keyboard_walk(page.page)
    enter_to_next_page(page, "#challenge-submit-link")
    enter_to_next_page(page, "#transition-submit")
    expect(page.get_by_test_id("challenge-status")).to_have_attribute("data-status", "submitted")

    # Another leader: this applies to us too.
    _switch_to(page, second_leader)
    page.visit("/kodeks/udfordringer/")
    page.check()
    page.get_by_role("link", name=item.title).click()
    page.check()
    page.locator("#challenge-join-link").click()
    page.check()
    page.locator("#id_hours_per_month").fill("8")
    page.locator("#transition-submit").click()
    page.check()
    expect(page.get_by_test_id("challenge-total-hours")).to_have_attribute("data-hours", "20")
    assert second.name in page.get_by_test_id("challenge-workplaces").inner_text()

    # The chair finds it on the dashboard and puts it on the committee's meeting.
    _switch_to(page, cast.chair)
    page.get_by_test_id("dashboard-challenges-waiting").get_by_role("link", name=item.title).click()
    page.check()
    page.locator("#challenge-schedule-link").click()
    page.check()
    page.locator("#id_meeting").select_option(str(meeting.pk))
    page.locator("#transition-submit").click()
    page.check()
    expect(page.get_by_test_id("challenge-status")).to_have_attribute("data-status", "scheduled")

    # The day of the meeting: the committee grants it as a six-month trial; a missing evaluation is refused and what
    # was typed is kept.
    Challenge.objects.filter(pk=challenge.pk).update(treated_on=today)
    ends = today + dt.timedelta(days=182)
    page.locator("#challenge-decide-link").click()
    page.check()
    page.get_by_label("Imødekommet som prøvehandling").check()
    page.locator("#id_trial_ends_on").fill(ends.isoformat())
    page.locator("#id_reason").fill("Udvalget vil gerne se, om børnene får mere tid.")
    page.locator("#transition-submit").click()
    page.check()
    expect(page.locator("#transition-form .alert-danger, #transition-form .alert")).to_contain_text("evalueres")
    expect(page.locator("#id_reason")).to_have_value("Udvalget vil gerne se, om børnene får mere tid.")
    page.locator("#id_trial_evaluation").fill("Lederne fortæller, hvad tiden blev brugt på.")
    page.locator("#transition-submit").click()
    page.check()
    expect(page.get_by_test_id("challenge-status")).to_have_attribute("data-status", "trial")
    assert sorted(m.to[0] for m in mail.outbox if "afgørelse" in m.subject) == sorted(
        [cast.leader.email, second_leader.email]
    )

    # Six months later the trial ends: the chair is reminded and makes it permanent.
    Challenge.objects.filter(pk=challenge.pk).update(trial_ends_on=today + dt.timedelta(days=3))
    mail.outbox.clear()
    assert services.challenge_trial_reminders_send(today=today) == 1
    page.visit("/")
    page.check()
    page.get_by_test_id("dashboard-challenges-waiting").get_by_role("link", name=item.title).click()
    page.check()
    page.locator("#challenge-evaluate-link").click()
    page.check()
    page.get_by_label("Skaler op: gør den permanent").check()
    page.locator("#id_note").fill("Børnene fik mere tid, og intet gik tabt.")
    page.locator("#transition-submit").click()
    page.check()
    expect(page.get_by_test_id("challenge-status")).to_have_attribute("data-status", "granted")

    # The positive list shows the demand removed, on the basis of the challenge.
    page.visit(item.get_absolute_url())
    page.check()
    expect(page.get_by_test_id("policy-status")).to_contain_text("Børnene fik mere tid, og intet gik tabt.")
    expect(page.locator('.alert[data-testid="policy-status"]')).to_be_visible()
    expect(page.get_by_role("link", name=challenge.rule)).to_be_visible()

    # The public page, for anyone: the decision and the hours given back.
    page.page.context.clear_cookies()
    page.visit("/kodeks/udfordringer/afgjorte/")
    page.check()
    expect(page.get_by_test_id("challenge-hours")).to_have_attribute("data-hours", "20")
    assert cast.leader.full_name not in page.page.content()
    assert_no_sideways_scroll(page.page)
