"""After a visit, those who took part answer the codex's mirror questions anonymously."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from codex.models import AnswerReceipt, CodexVersion, MirrorAnswer, MirrorQuestion
from meetings.visits import services
from tests import factories

from .conftest import book, confirm_held

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(cast):
    version = CodexVersion.objects.create(number=1, title="Kodeks for tillid", created_by=cast.administrator)
    return [
        MirrorQuestion.objects.create(version=version, text="Jeg kunne tale åbent om fejl", order=1),
        MirrorQuestion.objects.create(version=version, text="Vi talte om effekter, ikke procesmål", order=2),
    ]


@pytest.fixture
def past_visit(cast):
    start = factories.on_a_working_day(timezone.now() - dt.timedelta(days=2))
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    visit = services.visit_confirm(
        visit=book(slot, cast.member, now=start - dt.timedelta(days=14)),
        actor=cast.leader,
        now=start - dt.timedelta(days=2),
    )
    return confirm_held(visit, cast.leader)


def test_a_participant_answers_anonymously_once(client_for, cast, questions, past_visit):
    client = client_for(cast.member)
    url = reverse("meetings:visit-mirror", args=[past_visit.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {f"q{questions[0].pk}": "4", f"q{questions[1].pk}": "5"})
    assert response.status_code == 302
    assert sorted(MirrorAnswer.objects.values_list("score", flat=True)) == [4, 5]
    assert set(MirrorAnswer.objects.values_list("committee", flat=True)) == {cast.committee.pk}
    assert AnswerReceipt.objects.filter(person=cast.member, occasion_key=f"visit:{past_visit.pk}").count() == 1
    again = client.post(url, {f"q{questions[0].pk}": "1"})
    assert again.status_code == 302
    assert MirrorAnswer.objects.count() == 2


def test_the_host_leader_may_answer_too(client_for, cast, questions, past_visit):
    response = client_for(cast.leader).post(
        reverse("meetings:visit-mirror", args=[past_visit.pk]), {f"q{questions[0].pk}": "3"}
    )
    assert response.status_code == 302
    assert MirrorAnswer.objects.count() == 1


def test_an_empty_answer_is_refused_with_a_message(client_for, cast, questions, past_visit):
    response = client_for(cast.member).post(reverse("meetings:visit-mirror", args=[past_visit.pk]), {})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert MirrorAnswer.objects.count() == 0


def test_a_score_outside_the_scale_is_refused(client_for, cast, questions, past_visit):
    response = client_for(cast.member).post(
        reverse("meetings:visit-mirror", args=[past_visit.pk]), {f"q{questions[0].pk}": "9"}
    )
    assert response.status_code == 200
    assert MirrorAnswer.objects.count() == 0


@pytest.mark.parametrize("role", ["chair", "other_member", "other_leader", "trio", "outsider"])
def test_people_outside_the_visit_get_404(client_for, cast, questions, past_visit, role):
    url = reverse("meetings:visit-mirror", args=[past_visit.pk])
    assert client_for(getattr(cast, role)).get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, cast, questions, past_visit):
    response = client.get(reverse("meetings:visit-mirror", args=[past_visit.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_no_mirror_questions_before_the_visit_is_confirmed_as_held(client_for, cast, questions):
    """The questions follow from "held": a coming visit, or one that is over but unconfirmed, sends the person back
    to the visit with a message, and nothing is stored."""
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    coming = services.visit_confirm(visit=book(slot, cast.member), actor=cast.leader)
    start = factories.on_a_working_day(timezone.now() - dt.timedelta(days=2))
    old = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    unconfirmed = services.visit_confirm(
        visit=book(old, cast.member, now=start - dt.timedelta(days=14)),
        actor=cast.leader,
        now=start - dt.timedelta(days=2),
    )
    for visit in (coming, unconfirmed):
        url = reverse("meetings:visit-mirror", args=[visit.pk])
        response = client_for(cast.member).post(url, {}, follow=True)
        assert response.redirect_chain[-1][0] == visit.get_absolute_url()
        page = response.content.decode()
        assert "bekræftet, at besøget blev gennemført" in page or "confirmed as held" in page
    assert not MirrorAnswer.objects.exists()
