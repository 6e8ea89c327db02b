"""The positive list's services: who may add, change and review; the states of an item; the review reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from codex.errors import CodexError
from codex.models import PolicyItem, PolicyItemEvent, PolicyReview
from codex.positive_list import services
from core.models import AuditEntry
from tests import factories

TODAY = timezone.localdate


def _fields(**over):
    fields = {
        "title": "Dokumentation af pædagogiske læreplaner",
        "kind": "fixed_requirement",
        "owner_kind": "committee",
        "link_url": "https://dalby.example/laereplaner.pdf",
        "demands_documentation": True,
        "demands": "Skriftlig evaluering hvert andet år.",
        "adopted_on": TODAY() - dt.timedelta(days=300),
        "next_review_on": TODAY() + dt.timedelta(days=60),
    }
    return fields | over


@pytest.mark.parametrize("who", ["administrator", "chair"])
def test_secretariat_and_chair_add_to_the_committees_list(cast, who):
    item = services.policy_item_add(actor=getattr(cast, who), committee=cast.committee, **_fields())
    assert item.is_in_force and item.committee == cast.committee
    assert list(item.events.values_list("kind", flat=True)) == ["added"]
    assert AuditEntry.objects.filter(action="codex.policy_item_added", object_id=str(item.pk)).exists()


@pytest.mark.parametrize("who", ["vice_chair", "member", "other_member", "leader", "outsider"])
def test_others_cannot_add_to_the_committees_list(cast, who):
    with pytest.raises(CodexError):
        services.policy_item_add(actor=getattr(cast, who), committee=cast.committee, **_fields())
    assert not PolicyItem.objects.exists()


def test_only_the_secretariat_keeps_the_city_councils_list(cast):
    with pytest.raises(CodexError, match="byrådets liste"):
        services.policy_item_add(actor=cast.chair, committee=None, **_fields(owner_kind="city_council"))
    item = services.policy_item_add(actor=cast.administrator, committee=None, **_fields(owner_kind="city_council"))
    assert item.committee is None


def test_the_city_councils_list_is_not_owned_by_a_committee(cast):
    with pytest.raises(CodexError, match="ejes af et udvalg"):
        services.policy_item_add(actor=cast.administrator, committee=None, **_fields())


def test_a_review_date_before_adoption_is_refused(cast):
    with pytest.raises(CodexError, match="efter datoen, den blev vedtaget"):
        services.policy_item_add(
            actor=cast.administrator,
            committee=cast.committee,
            **_fields(next_review_on=TODAY() - dt.timedelta(days=400)),
        )


def test_a_head_of_centre_owner_needs_a_name_or_a_person(cast):
    with pytest.raises(CodexError, match="centerchefens stilling"):
        services.policy_item_add(
            actor=cast.administrator, committee=cast.committee, **_fields(owner_kind="head_of_centre")
        )


def test_a_change_records_the_fields_changed_with_old_and_new_values(cast):
    item = factories.PolicyItemFactory(committee=cast.committee, title="Gammel titel")
    services.policy_item_edit(item=item, actor=cast.chair, title="Ny titel", demands_meetings=True)
    event = item.events.get(kind="changed")
    assert event.actor == cast.chair
    assert event.changes == {"title": ["Gammel titel", "Ny titel"], "demands_meetings": [False, True]}
    item.refresh_from_db()
    assert item.title == "Ny titel"


def test_a_change_with_nothing_different_records_nothing(cast):
    item = factories.PolicyItemFactory(committee=cast.committee)
    services.policy_item_edit(item=item, actor=cast.chair, title=item.title)
    assert not item.events.exists()


def test_the_owner_may_change_and_review_their_item(cast):
    item = factories.PolicyItemFactory(committee=cast.committee, owner_kind="head_of_centre", owner_person=cast.leader)
    services.policy_item_edit(item=item, actor=cast.leader, demands="Færre skemaer.")
    services.policy_item_review(
        item=item,
        actor=cast.leader,
        decision="keep",
        reason="Den giver mening.",
        next_review_on=TODAY() + dt.timedelta(days=365),
    )


@pytest.mark.parametrize("who", ["member", "vice_chair", "other_member", "leader", "trio", "outsider"])
def test_others_cannot_change_or_review_an_item(cast, who):
    item = factories.PolicyItemFactory(committee=cast.committee)
    with pytest.raises(CodexError):
        services.policy_item_edit(item=item, actor=getattr(cast, who), title="Noget andet")
    with pytest.raises(CodexError):
        services.policy_item_review(item=item, actor=getattr(cast, who), decision="abolish", reason="Unødvendig.")
    item.refresh_from_db()
    assert item.is_in_force and item.title != "Noget andet"


def test_keep_sets_the_next_review(cast):
    item = factories.PolicyItemFactory(committee=cast.committee)
    later = TODAY() + dt.timedelta(days=700)
    review = services.policy_item_review(
        item=item, actor=cast.chair, decision="keep", reason="Vi kan forsvare den.", next_review_on=later
    )
    item.refresh_from_db()
    assert item.next_review_on == later and item.is_in_force
    assert review.decided_on == TODAY() and review.actor == cast.chair


def test_simplify_says_what_changed(cast):
    item = factories.PolicyItemFactory(committee=cast.committee)
    with pytest.raises(CodexError, match="hvad der er forenklet"):
        services.policy_item_review(
            item=item,
            actor=cast.chair,
            decision="simplify",
            reason="For tung.",
            next_review_on=TODAY() + dt.timedelta(days=90),
        )
    services.policy_item_review(
        item=item,
        actor=cast.chair,
        decision="simplify",
        reason="For tung.",
        changes="Halvårlig i stedet for kvartalsvis indberetning.",
        next_review_on=TODAY() + dt.timedelta(days=90),
    )
    assert item.reviews.get().changes.startswith("Halvårlig")


def test_a_review_needs_a_reason_and_a_next_date_after_the_decision(cast):
    item = factories.PolicyItemFactory(committee=cast.committee)
    with pytest.raises(CodexError, match="begrundelsen"):
        services.policy_item_review(item=item, actor=cast.chair, decision="abolish", reason="  ")
    with pytest.raises(CodexError, match="efter beslutningen"):
        services.policy_item_review(item=item, actor=cast.chair, decision="keep", reason="God.", next_review_on=TODAY())
    assert not PolicyReview.objects.exists()


def test_abolish_removes_the_item_and_it_is_then_history(cast):
    item = factories.PolicyItemFactory(committee=cast.committee)
    services.policy_item_review(item=item, actor=cast.chair, decision="abolish", reason="Ingen bruger tallene.")
    item.refresh_from_db()
    assert item.status == "removed" and item.removed_on == TODAY() and item.removed_reason == "Ingen bruger tallene."
    with pytest.raises(CodexError, match="historik"):
        services.policy_item_edit(item=item, actor=cast.administrator, title="Genopliv")
    with pytest.raises(CodexError, match="historik"):
        services.policy_item_review(item=item, actor=cast.administrator, decision="keep", reason="Alligevel.")


def test_the_decision_is_mailed_to_the_owner_and_the_committee(cast, django_capture_on_commit_callbacks):
    item = factories.PolicyItemFactory(committee=cast.committee, owner_kind="head_of_centre", owner_person=cast.leader)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_item_review(item=item, actor=cast.chair, decision="abolish", reason="Ingen bruger tallene.")
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted([cast.leader.email, cast.chair.email, cast.vice_chair.email, cast.member.email])


def test_a_change_decided_elsewhere_keeps_its_source(cast):
    item = factories.PolicyItemFactory(committee=cast.committee)
    source = cast.committee  # any model instance with a page stands in for a granted challenge
    review = services.policy_item_change(
        item=item, actor=cast.chair, decision="simplify", reason="Udfordring imødekommet.", source=source
    )
    assert review.source_ref == f"meetings.committee:{cast.committee.pk}"
    assert review.source_label == str(cast.committee) and review.source_url == cast.committee.get_absolute_url()
    assert review.changes == "Udfordring imødekommet."
    item.refresh_from_db()
    assert item.next_review_on == review.next_review_on > TODAY()


def test_reviews_and_events_are_append_only(cast):
    item = factories.PolicyItemFactory(committee=cast.committee)
    review = services.policy_item_review(item=item, actor=cast.chair, decision="abolish", reason="Unødvendig.")
    for rows in (PolicyReview.objects.all(), PolicyItemEvent.objects.all()):
        with pytest.raises(CodexError):
            rows.update(note="x") if rows.model is PolicyItemEvent else rows.update(reason="x")
        with pytest.raises(CodexError):
            rows.delete()
    review.reason = "Noget andet"
    with pytest.raises(CodexError):
        review.save()


def test_the_reminder_goes_once_per_item_and_review_date(cast, settings, django_capture_on_commit_callbacks):
    settings.DIALOG_POLICY_REVIEW_NOTICE_DAYS = 30
    soon = factories.PolicyItemFactory(committee=cast.committee, next_review_on=TODAY() + dt.timedelta(days=20))
    factories.PolicyItemFactory(committee=cast.committee, next_review_on=TODAY() + dt.timedelta(days=45))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.policy_reviews_remind() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.chair.email, cast.vice_chair.email, cast.member.email])
    assert soon.title in mail.outbox[0].subject
    assert services.policy_reviews_remind() == 0
    # A kept item with a new review date is reminded again before that date.
    services.policy_item_review(
        item=soon, actor=cast.chair, decision="keep", reason="God.", next_review_on=TODAY() + dt.timedelta(days=10)
    )
    assert services.policy_reviews_remind() == 1
    assert soon.events.filter(kind="reminded").count() == 2


def test_the_city_councils_items_remind_the_secretariat(cast, django_capture_on_commit_callbacks):
    factories.PolicyItemFactory(next_review_on=TODAY() + dt.timedelta(days=5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_reviews_remind()
    assert [m.to for m in mail.outbox] == [[cast.administrator.email]]


def test_the_link_is_a_web_address(cast):
    with pytest.raises(CodexError, match="webadresse"):
        services.policy_item_add(
            actor=cast.administrator, committee=cast.committee, **_fields(link_url="javascript:alert(1)")
        )
