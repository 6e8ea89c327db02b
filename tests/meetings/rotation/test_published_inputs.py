"""A plan anyone can re-check (issue 20): publishing keeps the planner's inputs and plan with every hand change as
an immutable, fingerprinted record; the public page offers it; ``plan_rotation --verify`` re-plans from it. And the
fairness panel in people's words: names, Danish dates, grouped refusals, reasons recomputed after a hand change."""

import json

import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

from meetings.errors import MeetingsError
from meetings.models import PublishedInputs, RotationPlan
from meetings.rotation import inputs, services
from meetings.rotation.services import RotationError
from meetings.rotation.views import public_plan_inputs  # noqa: F401 - the URL's view exists
from tests import factories

pytestmark = pytest.mark.django_db


def draft(cast, rotation):
    return services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)


def swap_first_to_second(cast, plan, reason="Nyt køkken at vise frem."):
    first, second = plan.meetings.order_by("date")[:2]
    services.rotation_host_swap(planned=first, host=second.host, actor=cast.administrator, reason=reason)
    return first, second


@pytest.fixture
def published(cast, rotation):
    plan = draft(cast, rotation)
    swap_first_to_second(cast, plan)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    plan.refresh_from_db()
    return plan


# --- The record ---------------------------------------------------------------------------------------------------


def test_publishing_keeps_the_inputs_the_planners_plan_and_the_hand_changes(cast, rotation, published):
    record = PublishedInputs.objects.get(plan=published)
    data = record.data
    assert data["format"] == inputs.FORMAT and data["committee"] == cast.committee.slug
    assert record.fingerprint == data["fingerprint"] and inputs.fingerprint_matches(data)
    assert {w["slug"] for w in data["inputs"]["workplaces"]} == {w.slug for w in rotation.workplaces}
    assert len(data["inputs"]["meetings"]) == len(data["planned"]) == len(data["published"]) == 12
    # The planner's plan and the published one differ where the hand change was made, and the change says why.
    (change,) = data["hand_changes"]
    assert change["kind"] == "host" and change["reason"] == "Nyt køkken at vise frem."
    first_planned, first_published = data["planned"][0], data["published"][0]
    assert first_planned["host"] == change["from"] and first_published["host"] == change["to"]
    # No personal data: no e-mail address, no person's name (the hand change's author stays in the history).
    text = json.dumps(data, ensure_ascii=False)
    assert "@" not in text and cast.administrator.full_name not in text and "by" not in change


def test_the_record_is_never_changed_by_any_path(cast, rotation, published):
    record = PublishedInputs.objects.get(plan=published)
    record.fingerprint = "0" * 64
    with pytest.raises(MeetingsError):
        record.save()
    with pytest.raises(MeetingsError):
        record.delete()
    with pytest.raises(MeetingsError):
        PublishedInputs.objects.filter(pk=record.pk).update(fingerprint="0" * 64)
    with pytest.raises(MeetingsError):
        PublishedInputs.objects.filter(pk=record.pk).delete()
    with pytest.raises(ProtectedError):
        RotationPlan.objects.filter(pk=published.pk).delete()
    with pytest.raises(RotationError, match="Only a draft"):
        swap_first_to_second(cast, published)
    admin = site._registry[PublishedInputs]
    assert not admin.has_change_permission(None) and not admin.has_delete_permission(None)
    assert PublishedInputs.objects.get(pk=record.pk).data == record.data


# --- The public page ----------------------------------------------------------------------------------------------


def test_the_public_page_offers_the_file_with_its_fingerprint(client, cast, rotation, published):
    record = PublishedInputs.objects.get(plan=published)
    page = client.get(reverse("meetings:public-plan", args=[cast.committee.slug, rotation.year]))
    assert page.status_code == 200
    assert record.fingerprint in page.text and "plan_rotation --verify" in page.text
    download = client.get(reverse("meetings:public-plan-inputs", args=[cast.committee.slug, rotation.year]))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/json")
    assert "attachment" in download["Content-Disposition"]
    assert json.loads(download.content) == record.data


def test_a_draft_has_no_public_file(client, cast, rotation):
    draft(cast, rotation)
    url = reverse("meetings:public-plan-inputs", args=[cast.committee.slug, rotation.year])
    assert client.get(url).status_code == 404


# --- plan_rotation --verify ---------------------------------------------------------------------------------------


def download(tmp_path, published, change=None):
    data = PublishedInputs.objects.get(plan=published).data
    if change:
        change(data)
    path = tmp_path / "grundlag.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_verify_says_the_same_plan_comes_out_and_lists_the_hand_changes(tmp_path, capsys, published):
    call_command("plan_rotation", "--verify", download(tmp_path, published))
    out = capsys.readouterr().out
    assert "Same plan" in out and "12 meetings" in out
    assert "Hand change:" in out and "Nyt køkken at vise frem." in out


def test_verify_names_each_difference_in_a_tampered_file(tmp_path, capsys, published):
    def tamper(data):
        planned = data["planned"][3]
        planned["host"], planned["guests"] = "et-andet-sted", [*planned["guests"], "nyt-sted"]
        data["fingerprint"] = inputs.fingerprint(data)  # a careful forger: only the plan gives it away

    with pytest.raises(CommandError, match="Another plan comes out: 2 difference") as refused:
        call_command("plan_rotation", "--verify", download(tmp_path, published, tamper))
    assert refused.value.returncode == 1
    err = capsys.readouterr().err
    day = published.meetings.order_by("date")[3].date.isoformat()
    assert f"Differs on {day}: host is et-andet-sted in the file" in err
    assert f"Differs on {day}: guests is" in err


def test_verify_refuses_a_file_whose_fingerprint_does_not_match(tmp_path, published):
    def tamper(data):
        data["inputs"]["workplaces"][0]["seats"] += 1

    with pytest.raises(CommandError, match="fingerprint does not match") as refused:
        call_command("plan_rotation", "--verify", download(tmp_path, published, tamper))
    assert refused.value.returncode == 2


def test_verify_refuses_a_file_that_is_not_an_inputs_file(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read") as refused:
        call_command("plan_rotation", "--verify", str(path))
    assert refused.value.returncode == 2


def test_plan_rotation_without_verify_still_needs_a_committee(db):
    with pytest.raises(CommandError, match="--committee"):
        call_command("plan_rotation")


# --- The fairness panel in people's words -------------------------------------------------------------------------


def test_reasons_are_worked_out_again_after_a_hand_swap(cast, rotation):
    plan = draft(cast, rotation)
    rows = list(plan.meetings.select_related("host").order_by("date"))
    january_host = rows[0].host
    # The planner's second round: January's host comes back "last hosted in January".
    again = next(r for r in rows[1:] if r.host == january_host)
    assert "last hosted in January" in again.why
    swap_first_to_second(cast, plan)
    again.refresh_from_db()
    # January's host no longer hosts in January: no stale reason says it did.
    assert "last hosted in January" not in again.why
    first = plan.meetings.order_by("date").first()
    assert first.why.startswith("Changed by hand. Reason: Nyt køkken at vise frem.")


def test_the_panel_shows_names_danish_dates_grouped_rules_and_the_hand_changes(client, cast, rotation):
    plan = draft(cast, rotation)
    swap_first_to_second(cast, plan)
    client.force_login(cast.administrator)
    with translation.override("da"):
        page = client.get(
            reverse("meetings:rotation-year", args=[cast.committee.slug, rotation.year]), HTTP_ACCEPT_LANGUAGE="da"
        )
    text = page.text
    panel = text[text.index('data-testid="fairness-panel"') : text.index('id="table-heading"')]
    assert "sted-0" not in panel and "sted-1" not in panel  # slugs never shown, names are
    assert "Sted " in panel
    assert f"{rotation.year}-" not in panel  # no ISO dates
    assert f"9. feb. {rotation.year}, Sted 0: " in panel  # Danish short dates, the date before the names
    hand = panel[panel.index('data-testid="hand-changes"') :]
    assert "Nyt køkken at vise frem." in hand and cast.administrator.full_name in hand


def test_a_refusal_names_each_reason_once_with_everyone_it_concerns(cast, rotation):
    for n in range(7):
        factories.WorkplaceFactory(slug=f"lille-{n}", name=f"Lille {n}", seats=30, committees=[cast.committee])
    plan = draft(cast, rotation)
    planned = plan.meetings.order_by("date")
    # Giving every date to one workplace leaves the others behind; each reason is said once.
    with pytest.raises(RotationError) as refused:
        services.rotation_host_swap(planned=planned[0], host=planned[1].host, actor=cast.administrator)
    message = str(refused.value)
    assert message.count("Has 0 hostings while others have 2 hostings") == 1  # once, for everyone it concerns
    assert "Lille 0" in message and "lille-" not in message and "sted-" not in message
    assert "other workplaces host on every date it could host" in message


def test_a_guest_moved_with_a_reason_is_shown_in_the_review_the_history_and_the_record(client, cast, rotation):
    plan = draft(cast, rotation)
    target = plan.meetings.order_by("date").last()
    guest = next(w for w in rotation.workplaces if w != target.host and not target.guests.filter(pk=w.pk).exists())
    was_at = next((m.date for m in plan.meetings.all() if guest in m.guests.all()), None)
    services.rotation_guest_move(
        plan=plan, workplace=guest, to=target, actor=cast.administrator, reason="Vil gerne se det nye værksted."
    )
    plan.refresh_from_db()
    (change,) = plan.hand_changes
    assert change["kind"] == "guest" and change["workplace"] == guest.slug
    assert change["to"] == target.date.isoformat() and change["from"] == (was_at.isoformat() if was_at else None)
    client.force_login(cast.administrator)
    page = client.get(reverse("meetings:rotation-year", args=[cast.committee.slug, rotation.year])).text
    hand = page[page.index('data-testid="hand-changes"') :]
    assert f"{guest.name} er flyttet som gæst" in hand or f"{guest.name} er inviteret som gæst" in hand
    assert "Vil gerne se det nye værksted." in hand
    from core.models import AuditEntry

    entry = AuditEntry.objects.filter(action="rotation.guest_moved").latest("pk")
    assert entry.data["reason"] == "Vil gerne se det nye værksted."
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    recorded = PublishedInputs.objects.get(plan=plan).data["hand_changes"]
    assert recorded[0]["reason"] == "Vil gerne se det nye værksted." and "by" not in recorded[0]
