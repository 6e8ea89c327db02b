"""seed_demo's questions step: a question in every state for each committee, told to nobody, and not twice."""

from django.core import mail

from core.models import OutboxMessage
from dialog_portal.demo.questions import seed_questions
from meetings.models import NoticeItem, Question, QuestionAnswer
from tests import factories


def test_the_demo_has_questions_in_every_state_and_tells_nobody(cast, django_capture_on_commit_callbacks):
    second = factories.WorkplaceFactory(slug="skovbrynet", name="Skovbrynets Skole", committees=[cast.committee])
    factories.WorkplaceRoleFactory(user=factories.UserFactory(email="leder2@dalby.example"), workplace=second)
    with django_capture_on_commit_callbacks(execute=True):
        seed_questions()
    questions = Question.objects.filter(committee=cast.committee)
    assert questions.count() == 8
    assert questions.filter(status=Question.Status.ANSWERED).count() == 2
    assert questions.filter(status=Question.Status.PASSED_ON).count() == 1
    assert questions.overdue().count() == 2
    assert questions.filter(status=Question.Status.OPEN).count() == 5  # 2 open, 2 overdue, 1 not passed on
    assert QuestionAnswer.objects.filter(number=2).count() == 1  # a correction
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True, handler__startswith="meetings.questions.")
    assert not NoticeItem.objects.filter(channel="questions")  # nothing waits for the weekly digest either
    seed_questions()
    assert Question.objects.filter(committee=cast.committee).count() == 8
