"""The agreement pages the journey does not pass through, checked with axe, some at a phone's width: the
committee overview, the shared-goal catalogue, carrying last year's agreement over, a follow-up recorded from
the workplace page, a version, a signature check and the print view."""

import pytest
from django.utils import timezone

from agreements.models import Agreement, FollowUp, Status
from tests.agreements.conftest import make_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_overview_catalogue_carry_over_follow_up_and_print_pass_axe_also_on_a_phone(browser_page, cast):
    page = browser_page
    year = timezone.localdate().year
    last = make_agreement(cast, Status.FOLLOWED_UP, year=year - 1)

    page.page.set_viewport_size({"width": 390, "height": 844})
    page.login(cast.chair)
    page.visit(f"/udviklingsaftaler/overblik/{cast.committee.slug}/?year={year - 1}")
    assert page.locator('[data-testid="overview-row"]').count() == 1
    page.visit("/udviklingsaftaler/faelles-maal/")
    page.locator("#sharedgoal-add").click()
    page.check()
    page.locator("#id_title").fill("Alle børn i fællesskaber")
    page.locator("#id_text").fill("Flere børn oplever at høre til.")
    page.locator("#id_committee").select_option(str(cast.committee.pk))
    page.locator("#sharedgoal-save").click()
    page.check()
    page.visit(last.get_absolute_url())
    signature = last.signatures.first()
    page.visit(f"/udviklingsaftaler/underskrifter/{signature.pk}/")
    assert page.locator('[data-testid="signature-holds"]').is_visible()
    page.visit(f"/udviklingsaftaler/{last.pk}/versioner/1/")

    # The leader starts this year's agreement from last year's; the goals come with their results.
    page.page.context.clear_cookies()
    page.login(cast.leader)
    page.visit(f"/udviklingsaftaler/ny/{cast.workplace.slug}/")
    page.locator("#id_year").fill(str(year + 1))
    page.locator("#start-submit").click()
    page.check()
    page.visit(f"/udviklingsaftaler/ny/{cast.workplace.slug}/")
    page.locator("#start-submit").click()  # the year proposed is the next free one
    page.check()
    carried = Agreement.objects.filter(carried_from=last).first()
    assert carried is not None and "Nået" in carried.goals.first().baseline

    # At the workplace page the leader records a mid-term status of the active agreement.
    page.page.set_viewport_size({"width": 1280, "height": 900})
    this_year = make_agreement(cast, Status.ACTIVE, workplace=_second_workplace(cast), year=year)
    page.page.context.clear_cookies()
    page.login(cast.leader)
    page.visit(this_year.workplace.get_absolute_url())
    page.locator('[data-testid="workplace-followup-link"]').click()
    page.check()
    page.locator('input[name="kind"][value="midterm"]').check()
    goal = this_year.ordered_goals()[0]
    page.locator(f"#id_status_{goal.pk}").select_option("at_risk")
    page.locator(f"#id_note_{goal.pk}").fill("Vi mangler hænder.")
    page.locator("#followup-submit").click()
    page.check()
    assert page.page.url.endswith(this_year.workplace.get_absolute_url())
    assert page.locator('[data-testid="goal-status"]').first.get_attribute("data-status") == "at_risk"
    assert FollowUp.objects.filter(goal=goal, status="at_risk").exists()
    page.page.set_viewport_size({"width": 390, "height": 844})
    page.visit(f"/udviklingsaftaler/{this_year.pk}/udskriv/")
    page.visit(this_year.get_absolute_url())


def _second_workplace(cast):
    from tests import factories

    workplace = factories.WorkplaceFactory(committees=[cast.committee], slug="anden", name="Anden Arbejdsplads")
    factories.WorkplaceRoleFactory(user=cast.leader, workplace=workplace)
    cast.leader.__dict__.pop("_roles_cache", None)
    return workplace
