"""Signed stays signed: from submission on, an agreement shows the text it was sent with (issue 14, hole 1).

A committee member rewords a shared goal in the catalogue. Agreements that adopted it and are with the committee,
approved, signed or later keep the words they were sent with on every page (the agreement, print, versions, the
signing page, the signature check); drafts follow the catalogue until they are sent, and then freeze its words.
"""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import fingerprint as fp
from agreements import services
from agreements.models import EDITABLE, FROZEN, Agreement, AgreementVersion, Status
from tests import factories

from .conftest import GOAL, PATHS, make_agreement, step

pytestmark = pytest.mark.django_db

OLD_TEXT = "Flere borgere oplever, at de bliver hørt og kan klare sig selv."
NEW_TEXT = "Alle borgere skal inden 2030 kunne klare sig selv uden hjælp fra kommunen."


def _shared(cast):
    year = timezone.localdate().year
    return factories.SharedGoalFactory(
        title="Borgeren i centrum",
        text=OLD_TEXT,
        committee=cast.committee,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year + 1, 12, 31),
    )


def _adopting(cast, shared, status):
    """An agreement with one own goal and the adopted shared goal, walked to ``status``."""
    # A signed agreement of this year would be in force at once; "signed" needs next year's.
    year = timezone.localdate().year + (1 if status == Status.SIGNED else 0)
    agreement = make_agreement(cast, Status.DRAFT, goals=1, year=year)
    services.goal_save(
        agreement=agreement, actor=cast.leader, data={**GOAL, "title": "", "target": "90 %"}, shared_goal=shared
    )
    for name in PATHS[status]:
        step(agreement, cast, name)
    assert agreement.status == status
    return agreement


def _reword_in_catalogue(client_for, cast, shared, text=NEW_TEXT):
    """The committee's chair rewords the goal on the catalogue's page, as the hole describes."""
    response = client_for(cast.chair).post(
        reverse("agreements:sharedgoal-update", args=[shared.pk]),
        {
            "title": shared.title,
            "text": text,
            "committee": cast.committee.pk,
            "period_start": shared.period_start.isoformat(),
            "period_end": shared.period_end.isoformat(),
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    shared.refresh_from_db()
    assert shared.text == text


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_signed_agreement_shows_the_words_it_was_signed_with_after_the_catalogue_is_reworded(client_for, cast):
    shared = _shared(cast)
    agreement = _adopting(cast, shared, Status.ACTIVE)
    version = agreement.versions.get()
    signature = agreement.signatures.first()

    _reword_in_catalogue(client_for, cast, shared)

    client = client_for(cast.leader)
    for url in (
        reverse("agreements:agreement-detail", args=[agreement.pk]),
        reverse("agreements:agreement-print", args=[agreement.pk]),
        reverse("agreements:version-detail", args=[agreement.pk, version.number]),
    ):
        page = _page(client, url)
        assert OLD_TEXT in page, url
        assert NEW_TEXT not in page, url
    check = _page(client, reverse("agreements:signature-verify", args=[signature.pk]))
    assert 'data-testid="signature-holds"' in check
    # The text the check vouches for is still the text the pages show.
    assert version.text["goals"][0]["shared_text"] == OLD_TEXT
    assert version.recompute_fingerprint() == signature.fingerprint


def _frozen_lines(text: dict) -> list[str]:
    """Every line of words in a frozen text."""
    values = [text["core_task"], text["support"], text["follow_up_plan"]]
    for goal in text["goals"]:
        values += [goal[name] for name in fp.GOAL_FIELDS if name != "kind"] + goal["milestones"]
    return [line for value in values for line in value.split("\n") if line.strip()]


def test_every_page_of_a_signed_agreement_shows_exactly_the_frozen_text(client_for, cast):
    shared = _shared(cast)
    agreement = _adopting(cast, shared, Status.ACTIVE)
    version = agreement.versions.get()
    _reword_in_catalogue(client_for, cast, shared)
    client = client_for(cast.chair)
    lines = _frozen_lines(version.text)
    assert OLD_TEXT in lines
    for url in (
        reverse("agreements:agreement-detail", args=[agreement.pk]),
        reverse("agreements:agreement-print", args=[agreement.pk]),
        reverse("agreements:version-detail", args=[agreement.pk, version.number]),
    ):
        page = _page(client, url)
        missing = [line for line in lines if line not in page]
        assert not missing, (url, missing)


@pytest.mark.parametrize("status", sorted(FROZEN))
def test_every_frozen_state_keeps_the_words_it_was_sent_with(client_for, cast, status):
    shared = _shared(cast)
    agreement = _adopting(cast, shared, status)
    _reword_in_catalogue(client_for, cast, shared)
    page = _page(client_for(cast.leader), reverse("agreements:agreement-detail", args=[agreement.pk]))
    assert OLD_TEXT in page
    assert NEW_TEXT not in page
    assert 'data-testid="document-frozen"' in page
    assert 'data-testid="catalogue-changed"' in page


def test_the_signing_page_shows_the_words_that_were_approved(client_for, cast):
    shared = _shared(cast)
    agreement = _adopting(cast, shared, Status.APPROVED)
    _reword_in_catalogue(client_for, cast, shared)
    page = _page(client_for(cast.leader), reverse("agreements:agreement-sign", args=[agreement.pk]))
    assert OLD_TEXT in page
    assert NEW_TEXT not in page


@pytest.mark.parametrize("status", sorted(EDITABLE))
def test_an_agreement_the_leader_still_edits_follows_the_catalogue(client_for, cast, status):
    shared = _shared(cast)
    agreement = _adopting(cast, shared, status)
    _reword_in_catalogue(client_for, cast, shared)
    page = _page(client_for(cast.leader), reverse("agreements:agreement-detail", args=[agreement.pk]))
    assert NEW_TEXT in page
    assert OLD_TEXT not in page
    assert 'data-testid="document-frozen"' not in page


def test_sending_a_draft_freezes_the_catalogues_words_of_that_moment(client_for, cast):
    shared = _shared(cast)
    agreement = _adopting(cast, shared, Status.CONSULTATION)
    _reword_in_catalogue(client_for, cast, shared)
    step(agreement, cast, "submit")
    _reword_in_catalogue(client_for, cast, shared, text="En tredje formulering, som ingen har sendt.")
    version = agreement.versions.get()
    assert version.text["goals"][0]["shared_text"] == NEW_TEXT
    page = _page(client_for(cast.chair), reverse("agreements:agreement-detail", args=[agreement.pk]))
    assert NEW_TEXT in page
    assert "En tredje formulering" not in page


def test_a_signed_page_shows_the_signed_text_even_when_the_live_rows_change_behind_the_portals_back(client_for, cast):
    shared = _shared(cast)
    agreement = _adopting(cast, shared, Status.ACTIVE)
    signed_core_task = agreement.versions.get().text["core_task"]
    # A shell or a raw SQL change bypasses every service; the page still shows what was signed.
    Agreement.objects.filter(pk=agreement.pk).update(core_task="Ændret i databasen bag portalens ryg.")
    agreement.goals.filter(kind="own").update(indicator="En indikator, som ingen har skrevet under på.")
    page = _page(client_for(cast.leader), reverse("agreements:agreement-detail", args=[agreement.pk]))
    assert signed_core_task in page
    assert "bag portalens ryg" not in page
    assert "ingen har skrevet under på" not in page


def test_follow_ups_stay_with_their_goals_on_the_frozen_page(client_for, cast):
    shared = _shared(cast)
    agreement = _adopting(cast, shared, Status.ACTIVE)
    adopted = agreement.ordered_goals()[0]
    services.followup_record(
        agreement=agreement, actor=cast.leader, entries=[(adopted, "midterm", "at_risk", "Vi er bagud.")]
    )
    page = _page(client_for(cast.leader), reverse("agreements:agreement-detail", args=[agreement.pk]))
    article = page.split(f'id="goal-{adopted.pk}"', 1)[1].split("</article>", 1)[0]
    assert "Vi er bagud." in article


def test_the_catalogue_editor_is_told_which_agreements_keep_their_words(client_for, cast):
    shared = _shared(cast)
    _adopting(cast, shared, Status.ACTIVE)
    draft = make_agreement(cast, Status.DRAFT, goals=0, year=timezone.localdate().year + 1)
    services.goal_save(agreement=draft, actor=cast.leader, data={**GOAL, "title": ""}, shared_goal=shared)

    client = client_for(cast.chair)
    page = _page(client, reverse("agreements:sharedgoal-update", args=[shared.pk]))
    assert 'data-testid="sharedgoal-frozen-use"' in page
    assert "1 aftale" in page
    assert 'data-testid="sharedgoal-draft-use"' in page
    assert "1 udkast" in page

    _reword_in_catalogue(client_for, cast, shared)
    listing = _page(client, reverse("agreements:sharedgoal-list"))
    assert "1 aftale beholder" in listing


def test_rewording_a_shared_goal_is_audited_with_how_many_frozen_agreements_keep_their_words(cast):
    from core.models import AuditEntry

    shared = _shared(cast)
    _adopting(cast, shared, Status.ACTIVE)
    services.shared_goal_save(
        actor=cast.chair,
        goal=shared,
        title=shared.title,
        text=NEW_TEXT,
        committee=cast.committee,
        period_start=shared.period_start,
        period_end=shared.period_end,
    )
    entry = AuditEntry.objects.filter(action="agreement.shared_goal_saved").latest("seq")
    assert entry.data == {"active": True, "text_changed": True, "frozen_agreements": 1}
    assert AgreementVersion.objects.get().text["goals"][0]["shared_text"] == OLD_TEXT
