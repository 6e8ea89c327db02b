"""The issue's journey: a leader drafts an agreement with three goals and sends it to consultation, a trio member
comments, the leader submits, a committee member asks for a change, the leader resubmits, the chair approves and
both sign. Every page visited passes axe."""

import pytest

from agreements.models import Agreement, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOALS = [
    ("Flere børn trives", "Andelen af børn, der siger, at de har en god ven.", "85 %"),
    ("Sproget blomstrer", "Andelen af 3-årige uden behov for særlig sprogindsats.", "88 %"),
    ("Forældre er med", "Andelen af forældre, der er trygge ved samarbejdet.", "80 %"),
]


def _switch_to(page, person):
    page.page.context.clear_cookies()
    page.login(person)


def _open_agreement(page, agreement):
    page.locator('[data-testid="nav-agreements"]').click()
    page.check()
    page.locator(f'[data-testid="agreement-row-{agreement.pk}"] a').first.click()
    page.check()


def _confirm(page, button_id):
    page.locator(f"#{button_id}").click()
    page.check()
    page.locator("#transition-submit").click()
    page.check()


def _sign(page, person):
    page.locator("#agreement-sign").click()
    page.check()
    page.locator("#id_has_read").check()
    page.locator("#id_typed_name").fill(person.full_name)
    page.locator("#sign-submit").click()
    page.check()


def _status(page):
    return page.locator('.lead [data-testid="agreement-status"]').get_attribute("data-status")


def test_draft_consult_comment_submit_change_resubmit_approve_and_sign(browser_page, cast):
    page = browser_page

    # The leader starts an empty draft, writes the core task and three goals.
    page.login(cast.leader)
    page.locator('[data-testid="nav-agreements"]').click()
    page.check()
    page.locator(f'[data-testid="start-{cast.workplace.slug}"]').click()
    page.check()
    page.locator("#start-submit").click()
    page.check()
    page.locator("#id_core_task").fill("Vi skaber trygge rammer for leg, læring og udvikling.")
    page.locator("#id_support").fill("Hjælp fra PPR til sprogvurderinger.")
    page.locator("#agreement-save").click()
    page.check()
    agreement = Agreement.objects.get()
    page.goto(page.base_url + f"/udviklingsaftaler/{agreement.pk}/rediger/")
    page.check()
    for title, indicator, target in GOALS:
        page.locator("#goal-add").click()
        page.check()
        page.locator("#id_title").fill(title)
        page.locator("#id_baseline").fill("Vi har målt det i år.")
        page.locator("#id_indicator").fill(indicator)
        page.locator("#id_target").fill(target)
        page.locator("#goal-save").click()
        page.check()
    assert page.locator('[data-testid="goal-row"]').count() == 3
    page.goto(page.base_url + agreement.get_absolute_url())
    page.check()
    _confirm(page, "agreement-consult")
    assert _status(page) == Status.CONSULTATION

    # A trio member comments on a goal.
    _switch_to(page, cast.trio)
    _open_agreement(page, agreement)
    goal = agreement.ordered_goals()[1]
    page.locator("#id_target").select_option(f"goal:{goal.pk}")
    page.locator("#id_body").fill("Husk at give pædagogerne tid til sprogarbejdet.")
    page.locator("#comment-submit").click()
    page.check()
    assert "Husk at give pædagogerne tid" in page.locator('[data-testid="comments"]').inner_text()

    # The leader submits it to the committee.
    _switch_to(page, cast.leader)
    _open_agreement(page, agreement)
    _confirm(page, "agreement-submit")
    assert _status(page) == Status.SUBMITTED

    # A committee member asks for a change.
    _switch_to(page, cast.member)
    _open_agreement(page, agreement)
    page.locator("#agreement-request-changes").click()
    page.check()
    page.locator("#id_note").fill("Gør målet for forældresamarbejdet mere konkret.")
    page.locator("#transition-submit").click()
    page.check()
    assert _status(page) == Status.CHANGES_REQUESTED

    # The leader changes the goal and resubmits.
    _switch_to(page, cast.leader)
    _open_agreement(page, agreement)
    page.locator("#agreement-edit").click()
    page.check()
    page.locator('[data-testid="goal-row"]').nth(2).locator('[data-testid="goal-edit"]').click()
    page.check()
    page.locator("#id_target").fill("85 % inden sommerferien")
    page.locator("#goal-save").click()
    page.check()
    page.goto(page.base_url + agreement.get_absolute_url())
    page.check()
    _confirm(page, "agreement-resubmit")
    assert _status(page) == Status.RESUBMITTED

    # The chair sees what changed, approves and signs for the committee.
    _switch_to(page, cast.chair)
    _open_agreement(page, agreement)
    page.locator('[data-testid="diff-link-2"]').click()
    page.check()
    assert "85 % inden sommerferien" in page.locator('[data-testid="agreement-diff"]').inner_text()
    page.go_back()
    page.check()
    _confirm(page, "agreement-approve")
    assert _status(page) == Status.APPROVED
    _sign(page, cast.chair)

    # The leader signs for the workplace: the agreement is signed by both and in force.
    _switch_to(page, cast.leader)
    _open_agreement(page, agreement)
    _sign(page, cast.leader)
    assert _status(page) == Status.ACTIVE
    assert page.locator('[data-testid="signatures"] li').count() == 2
    agreement.refresh_from_db()
    assert agreement.versions.count() == 2
    assert {s.fingerprint for s in agreement.signatures.all()} == {agreement.versions.get(number=2).fingerprint}

    # The workplace page shows the goals; the print view passes too.
    page.goto(page.base_url + cast.workplace.get_absolute_url())
    page.check()
    assert page.locator('[data-testid="workplace-goal"]').count() == 3
    page.goto(page.base_url + f"/udviklingsaftaler/{agreement.pk}/udskriv/")
    page.check()
