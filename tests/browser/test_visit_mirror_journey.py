import datetime as dt

import pytest
from django.utils import timezone

from codex.models import CodexVersion, MirrorAnswer, MirrorQuestion
from meetings.visits import services
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_politician_answers_the_mirror_questions_after_a_visit(browser_page, cast, settings):
    settings.DIALOG_CODEX_GATE = False
    version = CodexVersion.objects.create(number=1, title="Kodeks for tillid", created_by=cast.administrator)
    question = MirrorQuestion.objects.create(version=version, text="Jeg kunne tale åbent om fejl", order=1)
    start = factories.on_a_working_day(timezone.now() - dt.timedelta(days=1))
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    visit = services.visit_book(slot=slot, booker=cast.member, purpose="Sprog", now=start - dt.timedelta(days=14))
    services.visit_confirm(visit=visit, actor=cast.leader, now=start - dt.timedelta(days=1))
    services.visit_outcome_record(visit=visit, actor=cast.member, outcome="held")

    browser_page.login(cast.member)
    browser_page.visit(f"/besoeg/{visit.pk}/")
    browser_page.locator(f"a[href='/besoeg/{visit.pk}/spejl/']").click()
    browser_page.check()
    browser_page.locator(f"#id_q{question.pk}_3").check()
    browser_page.locator("main form button.btn-primary").click()
    browser_page.check()
    assert browser_page.url.endswith(f"/besoeg/{visit.pk}/")
    assert list(MirrorAnswer.objects.values_list("score", flat=True)) == [4]
