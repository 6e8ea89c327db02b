import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from codex import selectors, services
from codex.errors import CodexError
from codex.models import AnswerReceipt, CodexVersion, MirrorAnswer, MirrorQuestion, SignatureEvent

from .conftest import held_meeting, publish, revise, sign, tamper, write_draft


def _edit_principle(draft):
    principle = draft.sections.first().principles.first()
    principle.text = "Politikerne beslutter de overordnede politiske og faglige mål."
    principle.save()


# --- Publishing --------------------------------------------------------------------


def test_only_administrators_publish(cast):
    draft = write_draft(cast.administrator)
    for person in (cast.chair, cast.leader, cast.outsider):
        with pytest.raises(CodexError):
            services.codex_version_publish(version=draft, actor=person, change_kind="material")
    assert CodexVersion.objects.get(pk=draft.pk).status == "draft"


def test_only_administrators_write_versions(cast):
    with pytest.raises(CodexError):
        services.codex_version_create(actor=cast.chair, title="Mit kodeks")


def test_publishing_fingerprints_and_dates_the_version(cast, version):
    assert version.is_published
    assert len(version.fingerprint) == 64
    assert version.published_by == cast.administrator


def test_a_published_version_cannot_be_published_again(cast, version):
    with pytest.raises(CodexError):
        publish(cast.administrator, version)


def test_an_empty_draft_cannot_be_published(cast):
    draft = services.codex_version_create(actor=cast.administrator, title="Tom")
    with pytest.raises(CodexError):
        publish(cast.administrator, draft)


def test_the_first_version_is_always_material(cast):
    version = publish(cast.administrator, write_draft(cast.administrator), change_kind="editorial")
    assert version.change_kind == "material"


def test_a_revision_is_a_new_draft_copying_the_text(cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    assert draft.number == version.number + 1
    assert draft.status == "draft"
    assert draft.sections.count() == version.sections.count()
    assert [v.name for v in draft.values.all()] == [v.name for v in version.values.all()]
    with pytest.raises(CodexError):
        services.codex_version_revise(version=version, actor=cast.administrator)


def test_publishing_a_material_change_mails_everyone_who_must_sign(cast, version, django_capture_on_commit_callbacks):
    sign(cast.chair, version)
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    _edit_principle(draft)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast.administrator, draft, change_kind="material")
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {
        p.email for p in (cast.chair, cast.vice_chair, cast.member, cast.other_member, cast.leader, cast.other_leader)
    }
    assert "/kodeks/versioner/2/forskelle/" in mail.outbox[0].body


def test_publishing_an_editorial_change_sends_no_mail(cast, version, django_capture_on_commit_callbacks):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast.administrator, draft, change_kind="editorial")
    assert mail.outbox == []


# --- Signing -------------------------------------------------------------------------


def test_a_politician_signs_the_version_in_force(cast, version):
    event = sign(cast.member, version)
    assert event.kind == "sign"
    assert event.person == cast.member
    assert event.version == version
    assert event.typed_name == cast.member.full_name
    assert event.text_fingerprint == version.fingerprint
    assert selectors.has_signed(cast.member, version)


def test_the_typed_name_matches_case_insensitively_and_ignores_extra_spaces(cast, version):
    services.codex_sign(person=cast.leader, version=version, typed_name="  test   LEADER ", has_read=True)
    assert selectors.has_signed(cast.leader, version)


def test_nobody_signs_with_someone_elses_name(cast, version):
    with pytest.raises(CodexError):
        services.codex_sign(person=cast.member, version=version, typed_name=cast.chair.full_name, has_read=True)
    assert not SignatureEvent.objects.exists()


def test_signing_requires_ticking_that_the_codex_was_read(cast, version):
    with pytest.raises(CodexError):
        services.codex_sign(person=cast.member, version=version, typed_name=cast.member.full_name, has_read=False)


def test_a_person_without_a_role_cannot_sign(cast, version):
    with pytest.raises(CodexError):
        sign(cast.outsider, version)


def test_signing_twice_is_refused(cast, version):
    sign(cast.member, version)
    with pytest.raises(CodexError):
        sign(cast.member, version)


def test_a_draft_cannot_be_signed(cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    with pytest.raises(CodexError):
        sign(cast.member, draft)


def test_a_version_published_for_a_later_date_is_not_yet_in_force(cast):
    later = publish(
        cast.administrator, write_draft(cast.administrator), published_on=dt.date.today() + dt.timedelta(days=5)
    )
    assert selectors.current_version() is None
    with pytest.raises(CodexError):
        sign(cast.member, later)


def test_signing_a_tampered_text_is_refused(cast, version):
    from codex.models import CodexPrinciple

    tamper(CodexPrinciple.objects.filter(section__version=version), text="Skjult ændring")
    with pytest.raises(CodexError):
        sign(cast.member, version)


def test_the_log_is_a_chain(cast, version):
    first = sign(cast.member, version)
    second = sign(cast.leader, version)
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.entry_hash
    assert selectors.log_problems() == []


# --- Withdrawing ---------------------------------------------------------------------


def test_the_signer_withdraws_with_a_new_entry(cast, version):
    signature = sign(cast.member, version)
    withdrawal = services.codex_signature_withdraw(signature=signature, actor=cast.member)
    assert withdrawal.kind == "withdraw"
    assert withdrawal.withdraws == signature
    assert SignatureEvent.objects.count() == 2
    assert not selectors.has_signed(cast.member, version)
    assert selectors.log_problems() == []


def test_only_the_signer_withdraws(cast, version):
    signature = sign(cast.member, version)
    for person in (cast.administrator, cast.chair, cast.outsider):
        with pytest.raises(CodexError):
            services.codex_signature_withdraw(signature=signature, actor=person)
    assert selectors.has_signed(cast.member, version)


def test_a_signature_is_withdrawn_only_once(cast, version):
    signature = sign(cast.member, version)
    services.codex_signature_withdraw(signature=signature, actor=cast.member)
    with pytest.raises(CodexError):
        services.codex_signature_withdraw(signature=signature, actor=cast.member)


def test_after_withdrawing_one_can_sign_again(cast, version):
    signature = sign(cast.member, version)
    services.codex_signature_withdraw(signature=signature, actor=cast.member)
    sign(cast.member, version)
    assert selectors.has_signed(cast.member, version)


# --- Material and editorial changes ---------------------------------------------------


def test_signatures_carry_over_an_editorial_change(cast, version):
    sign(cast.member, version)
    v2 = revise(cast.administrator, version, change_kind="editorial", edit=_edit_principle)
    assert selectors.current_version() == v2
    assert selectors.has_signed(cast.member, v2)
    assert selectors.active_signature(cast.member, v2).version == version


def test_signatures_carry_over_several_editorial_changes_but_not_a_material_one(cast, version):
    sign(cast.member, version)
    v2 = revise(cast.administrator, version, change_kind="editorial")
    v3 = revise(cast.administrator, v2, change_kind="editorial")
    assert selectors.has_signed(cast.member, v3)
    v4 = revise(cast.administrator, v3, change_kind="material")
    assert not selectors.has_signed(cast.member, v4)
    # The earlier signature stays attached to the version it was made on.
    assert SignatureEvent.objects.active().get(person=cast.member).version == version


def test_a_material_change_asks_everyone_to_sign_again(cast, version):
    sign(cast.member, version)
    v2 = revise(cast.administrator, version, change_kind="material", edit=_edit_principle)
    assert not selectors.has_signed(cast.member, v2)
    assert cast.member in selectors.people_still_to_sign(v2)
    sign(cast.member, v2)
    assert selectors.has_signed(cast.member, v2)


# --- Who must sign and the register ---------------------------------------------------


def test_politicians_and_leaders_must_sign_by_default(cast, version):
    must = set(selectors.people_who_must_sign(version))
    assert must == {cast.chair, cast.vice_chair, cast.member, cast.other_member, cast.leader, cast.other_leader}


def test_the_administrator_can_require_officials_and_trio_to_sign(cast):
    version = publish(cast.administrator, write_draft(cast.administrator, roles_to_sign=["official", "trio"]))
    assert set(selectors.people_who_must_sign(version)) == {cast.administrator, cast.trio}


def test_the_register_counts_signed_and_missing_per_group(cast, version):
    sign(cast.chair, version)
    sign(cast.leader, version)
    counts = selectors.register_counts(version)
    groups = {g.role: g for g in counts.groups}
    assert (groups["politician"].signed, groups["politician"].missing) == (1, 3)
    assert (groups["leader"].signed, groups["leader"].missing) == (1, 1)
    assert counts.missing_count == 4
    committee = next(c for c in counts.committees if c.name == cast.committee.name)
    assert (committee.signed, committee.total) == (1, 3)
    missing = selectors.register_people(version, status=selectors.REGISTER_MISSING, role="politician")
    assert set(missing) == {cast.vice_chair, cast.member, cast.other_member}
    entries = selectors.register_entries(version, list(selectors.register_people(version)))
    assert [(e.person, e.roles) for e in entries] == [(cast.chair, ["politician"]), (cast.leader, ["leader"])]


# --- Mirror questions -------------------------------------------------------------------


@pytest.fixture
def questions(version):
    return [
        MirrorQuestion.objects.create(version=version, text="Jeg kunne tale åbent om fejl", order=1),
        MirrorQuestion.objects.create(version=version, text="Vi talte om effekter, ikke procesmål", order=2),
    ]


def _answer(person, meeting, questions, score=4):
    return services.mirror_answers_record(
        person=person, occasion_key=f"meeting:{meeting.pk}", scores={q.pk: score for q in questions}
    )


@pytest.fixture
def meeting(cast):
    return held_meeting(cast, on=dt.date(2026, 2, 10))


def test_mirror_answers_are_stored_without_a_person(cast, questions, meeting):
    assert _answer(cast.leader, meeting, questions) == 2
    assert MirrorAnswer.objects.count() == 2
    assert AnswerReceipt.objects.get().person == cast.leader
    field_names = {f.name for f in MirrorAnswer._meta.get_fields()}
    assert not field_names & {"person", "user", "occasion_key", "created_at"}
    assert set(MirrorAnswer.objects.values_list("quarter", flat=True)) == {dt.date(2026, 1, 1)}


def test_a_person_answers_once_per_occasion(cast, questions, meeting):
    _answer(cast.leader, meeting, questions)
    with pytest.raises(CodexError):
        _answer(cast.leader, meeting, questions)
    assert MirrorAnswer.objects.count() == 2
    _answer(cast.leader, held_meeting(cast, on=dt.date(2026, 3, 3)), questions)
    assert MirrorAnswer.objects.count() == 4


def test_mirror_scores_outside_1_to_5_are_refused(cast, questions, meeting):
    with pytest.raises(CodexError):
        _answer(cast.leader, meeting, questions, score=6)
    assert not AnswerReceipt.objects.exists()


def test_only_those_who_took_part_answer_and_only_once_the_meeting_has_taken_place(cast, questions, meeting):
    """The service refuses what the page refuses, whoever calls it (the shell, a task)."""
    with translation.override("en"):
        for outsider in (cast.trio, cast.other_member, cast.other_leader, cast.outsider):
            with pytest.raises(CodexError, match="took part"):
                _answer(outsider, meeting, questions)
        coming = held_meeting(cast, on=dt.date.today() + dt.timedelta(days=30))
        with pytest.raises(CodexError, match="taken place"):
            _answer(cast.member, coming, questions)
        with pytest.raises(CodexError, match="Unknown occasion"):
            services.mirror_answers_record(person=cast.member, occasion_key="meeting:987654", scores={})
    assert not AnswerReceipt.objects.exists()


def test_mirror_summary_hides_fewer_than_five_answers(cast, questions):
    meeting = held_meeting(cast, on=dt.date(2026, 2, 10), guests=[cast.other_workplace])
    people = [cast.chair, cast.vice_chair, cast.member, cast.leader]
    for person in people:
        _answer(person, meeting, questions, score=4)
    summary = selectors.mirror_summary(since=dt.date(2025, 1, 1))
    assert summary[0].rows[0][1][0].shown is False
    _answer(cast.other_leader, meeting, questions, score=2)  # the guest workplace's leader
    summary = selectors.mirror_summary(since=dt.date(2025, 1, 1))
    cell = summary[0].rows[0][1][0]
    assert cell.shown and cell.count == 5 and cell.average == 3.6
