"""The rules of questions to a workplace, refused in the services whoever calls."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.models import AuditEntry
from meetings.models import QUESTION_TEXT_MAX, FrozenAnswerError, NoticeItem, NoticePreference, Question, QuestionAnswer
from meetings.questions import services
from meetings.questions.errors import QuestionError
from meetings.workdays import add_working_days

pytestmark = pytest.mark.django_db


def test_a_member_asks_two_workplaces_one_question_each_in_one_group(ask, cast, asked):
    first, second = ask(workplaces=[cast.workplace, asked.second_workplace])
    assert first.group == second.group
    assert {first.workplace, second.workplace} == {cast.workplace, asked.second_workplace}
    assert first.status == Question.Status.OPEN
    assert first.deadline == add_working_days(timezone.localdate(), 10)
    assert AuditEntry.objects.filter(action="question.asked").count() == 2
    # each leader is told at once
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.leader.email, asked.second_leader.email])


def test_the_deadline_follows_the_setting_and_skips_danish_holidays(ask, settings):
    settings.DIALOG_QUESTION_WORKING_DAYS = 3
    # Thursday before Easter 2026 (Skærtorsdag 2 April, Langfredag 3 April, 2. påskedag 6 April)
    question = services.question_deadline(dt.date(2026, 4, 1))
    assert question == dt.date(2026, 4, 9)


@pytest.mark.parametrize("who", ["chair", "member"])
def test_the_committees_politicians_may_ask(ask, cast, who):
    assert ask(actor=getattr(cast, who))


@pytest.mark.parametrize("who", ["administrator", "other_member", "leader", "trio", "other_leader", "outsider"])
def test_others_may_not_ask(ask, cast, who):
    with pytest.raises(QuestionError):
        ask(actor=getattr(cast, who))
    assert not Question.objects.exists()


def test_a_workplace_not_under_the_committee_is_refused(ask, cast):
    with pytest.raises(QuestionError, match="Plejecenter Egebo"):
        ask(workplaces=[cast.workplace, cast.other_workplace])
    assert not Question.objects.exists()


def test_the_asker_must_confirm_it_is_not_an_individual_case(ask):
    with pytest.raises(QuestionError):
        ask(no_individual_case=False)
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "text", ["Hvad gør I med barnet 010190-1234?", "Borgeren 0101901234 klager", "x" * (QUESTION_TEXT_MAX + 1), "  "]
)
def test_a_cpr_number_a_huge_text_or_nothing_is_refused_and_nothing_stored(ask, text):
    with pytest.raises(QuestionError):
        ask(text=text)
    assert not Question.objects.exists()
    assert not mail.outbox


def test_html_is_kept_as_text(ask):
    question = ask(text="<script>alert(1)</script> Hvordan går det?")[0]
    assert question.text.startswith("<script>")  # stored as typed; every page escapes it


def test_the_leader_answers_and_the_asker_and_the_committee_are_told(question, cast, sent):
    mail.outbox.clear()
    with sent():
        answer = services.question_answer(question=question, actor=cast.leader, text="Det går bedre end sidste år.")
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED and question.answered_at
    assert answer.number == 1 and not answer.is_correction
    # the asker at once; the rest of the committee by their choice for the channel: the weekly digest by default
    assert [m.to[0] for m in mail.outbox] == [cast.member.email]
    items = NoticeItem.objects.filter(channel="questions")
    assert sorted(i.person_id for i in items) == sorted([cast.chair.pk, cast.vice_chair.pk])
    assert "har svaret" in items[0].title and items[0].url == question.get_absolute_url()
    assert AuditEntry.objects.filter(action="question.answered").exists()


@pytest.mark.parametrize("who", ["administrator", "chair", "member", "trio", "other_leader", "outsider"])
def test_only_the_leader_answers(question, cast, who):
    with pytest.raises(QuestionError):
        services.question_answer(question=question, actor=getattr(cast, who), text="Svar")
    assert not QuestionAnswer.objects.exists()


def test_an_answer_with_a_cpr_number_is_refused(question, cast):
    with pytest.raises(QuestionError, match="CPR"):
        services.question_answer(question=question, actor=cast.leader, text="Det drejer sig om 020304-1234.")
    assert not QuestionAnswer.objects.exists()
    assert Question.objects.get(pk=question.pk).status == Question.Status.OPEN


def test_an_answer_is_final_and_a_correction_is_a_new_answer(question, cast):
    first = services.question_answer(question=question, actor=cast.leader, text="Vi har 3 ledige stillinger.")
    second = services.question_answer(question=question, actor=cast.leader, text="Rettelse: 4 ledige stillinger.")
    assert second.number == 2 and second.is_correction
    assert [a.text for a in question.answers.order_by("number")] == [first.text, second.text]
    with pytest.raises(FrozenAnswerError):
        first.text = "ændret"
        first.save()
    with pytest.raises(FrozenAnswerError):
        QuestionAnswer.objects.filter(pk=first.pk).update(text="ændret")
    with pytest.raises(FrozenAnswerError):
        first.delete()
    assert AuditEntry.objects.filter(action="question.corrected").exists()


def test_pass_on_to_a_head_of_centre_with_an_account_who_answers(question, cast, asked, sent):
    mail.outbox.clear()
    with sent():
        services.question_pass_on(
            question=question, actor=cast.leader, name="Test centerchef", email="CENTERCHEF@dalby.example", note="Øko"
        )
    question.refresh_from_db()
    assert question.status == Question.Status.PASSED_ON
    assert question.passed_to == asked.head and question.passed_by == cast.leader
    assert asked.head.email in [m.to[0] for m in mail.outbox]
    # the committee, the asker included, hears where it went by their choice (the weekly digest by default)
    assert cast.member.email not in [m.to[0] for m in mail.outbox]
    assert NoticeItem.objects.filter(channel="questions", person=cast.member).exists()
    with pytest.raises(QuestionError):
        services.question_answer(question=question, actor=cast.leader, text="Alligevel")
    services.question_answer(question=question, actor=asked.head, text="Budgettet for næste år er vedtaget.")
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED


def test_pass_on_to_a_head_of_centre_without_an_account_is_recorded(question, cast, sent):
    with sent():
        services.question_pass_on(
            question=question, actor=cast.leader, name="Centerchef Jensen", email="cj@dalby.example"
        )
    question.refresh_from_db()
    assert question.status == Question.Status.PASSED_ON
    assert question.passed_to is None and question.passed_to_name == "Centerchef Jensen"
    assert "cj@dalby.example" in [m.to[0] for m in mail.outbox]


@pytest.mark.parametrize(
    ("name", "email"), [("", "cj@dalby.example"), ("Centerchef Jensen", "ikke-en-adresse"), ("Jensen", "")]
)
def test_pass_on_needs_a_name_and_an_address(question, cast, name, email):
    with pytest.raises(QuestionError):
        services.question_pass_on(question=question, actor=cast.leader, name=name, email=email)
    assert Question.objects.get(pk=question.pk).status == Question.Status.OPEN


@pytest.mark.parametrize("who", ["administrator", "chair", "member", "trio", "other_leader"])
def test_only_the_leader_passes_on(question, cast, who):
    with pytest.raises(QuestionError):
        services.question_pass_on(question=question, actor=getattr(cast, who), name="X", email="x@dalby.example")


def test_an_answered_question_cannot_be_passed_on(question, cast):
    services.question_answer(question=question, actor=cast.leader, text="Svar")
    with pytest.raises(QuestionError):
        services.question_pass_on(question=question, actor=cast.leader, name="X", email="x@dalby.example")


def test_the_reminder_goes_once_to_the_open_questions_near_the_deadline(ask, cast, asked, sent):
    today = timezone.localdate()
    near, answered_q = ask(workplaces=[cast.workplace, asked.second_workplace])
    services.question_answer(question=answered_q, actor=asked.second_leader, text="Svar")
    far = ask()[0]
    Question.objects.filter(pk__in=[near.pk, answered_q.pk]).update(deadline=add_working_days(today, 2))
    mail.outbox.clear()
    with sent():
        assert services.question_reminders_send(today=today) == 1
    assert [m.to[0] for m in mail.outbox] == [cast.leader.email]
    assert mail.outbox[0].subject.startswith("Påmindelse")
    assert services.question_reminders_send(today=today) == 0  # once
    assert Question.objects.get(pk=far.pk).reminded_at is None


def test_overdue_is_an_open_question_past_its_deadline(question):
    Question.objects.filter(pk=question.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    question.refresh_from_db()
    assert question.is_overdue
    assert list(Question.objects.overdue()) == [question]


def test_a_member_who_chose_at_once_gets_the_answer_by_e_mail_and_one_who_chose_nothing_does_not(question, cast, sent):
    NoticePreference.objects.create(person=cast.chair, channel="questions", choice="now")
    NoticePreference.objects.create(person=cast.vice_chair, channel="questions", choice="none")
    mail.outbox.clear()
    with sent():
        services.question_answer(question=question, actor=cast.leader, text="Det går bedre.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.member.email, cast.chair.email])
    assert not NoticeItem.objects.exists()


def test_a_persons_questions_and_answers_are_in_their_personal_data_export(question, cast):
    from dialog_portal.privacy import person_export

    services.question_answer(question=question, actor=cast.leader, text="Det går bedre.")
    assert person_export(person=cast.member)["questions_asked"][0]["text"] == question.text
    assert person_export(person=cast.leader)["answers_to_questions"][0]["text"] == "Det går bedre."
