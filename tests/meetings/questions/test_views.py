"""The pages of questions to a workplace: who sees what, the forms keep what was typed, HTML is text, the committee's
list is searchable and filterable with a fixed number of queries, the workplace's page and the ledger count them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.versioned_cache import model_version_bump
from meetings.models import Question
from meetings.questions import services

pytestmark = pytest.mark.django_db


def list_url(cast):
    return reverse("meetings:question-list", args=[cast.committee.slug])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 200),
        ("chair", 200),
        ("administrator", 200),
        ("leader", 200),
        ("trio", 200),
        ("other_member", 404),
        ("other_leader", 404),
        ("outsider", 404),
    ],
)
def test_who_sees_a_question(client_for, question, cast, who, status):
    assert client_for(getattr(cast, who)).get(question.get_absolute_url()).status_code == status


def test_anonymous_is_sent_to_log_in(client, question):
    response = client.get(question.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url


def test_the_head_of_centre_sees_a_question_passed_to_them(client_for, question, cast, asked):
    assert client_for(asked.head).get(question.get_absolute_url()).status_code == 404
    services.question_pass_on(question=question, actor=cast.leader, name="Centerchef", email=asked.head.email)
    page = client_for(asked.head).get(question.get_absolute_url())
    assert page.status_code == 200 and "question-answer-link" in page.content.decode()


def test_a_member_asks_through_the_form(client_for, cast, asked):
    response = client_for(cast.member).post(
        reverse("meetings:question-create", args=[cast.committee.slug]),
        {
            "workplaces": [cast.workplace.pk, asked.second_workplace.pk],
            "text": "Hvordan bruger I legepladsen om vinteren?",
            "no_individual_case": "on",
        },
    )
    assert response.status_code == 302 and response.url == list_url(cast)
    assert Question.objects.count() == 2


def test_the_form_refuses_a_cpr_number_in_danish_and_keeps_the_text(client_for, cast):
    typed = "Hvad gør I for barnet med cpr 010190-1234?"
    page = client_for(cast.member).post(
        reverse("meetings:question-create", args=[cast.committee.slug]),
        {"workplaces": [cast.workplace.pk], "text": typed, "no_individual_case": "on"},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "CPR-nummer" in body
    assert "010190-1234" in body  # what was typed is kept in the box
    assert not Question.objects.exists()


def test_the_form_needs_the_confirmation(client_for, cast):
    page = client_for(cast.member).post(
        reverse("meetings:question-create", args=[cast.committee.slug]),
        {"workplaces": [cast.workplace.pk], "text": "Et spørgsmål"},
    )
    assert page.status_code == 200 and not Question.objects.exists()


def test_the_secretariat_may_not_ask(client_for, cast):
    assert (
        client_for(cast.administrator).get(reverse("meetings:question-create", args=[cast.committee.slug])).status_code
        == 403
    )


def test_html_in_a_question_is_shown_as_text(client_for, ask, cast):
    question = ask(text="<script>alert('x')</script><b>fed</b>")[0]
    body = client_for(cast.chair).get(question.get_absolute_url()).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body


def test_the_leader_answers_on_the_page_and_a_refusal_keeps_the_text(client_for, question, cast):
    url = reverse("meetings:question-answer", args=[question.pk])
    client = client_for(cast.leader)
    page = client.post(url, {"text": "Barnet 0101901234 har det godt."})
    assert page.status_code == 200 and "0101901234" in page.content.decode()
    assert client.post(url, {"text": "Det går godt."}).status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED


def test_a_member_cannot_answer(client_for, question, cast):
    client_for(cast.member).post(reverse("meetings:question-answer", args=[question.pk]), {"text": "Svar"})
    assert Question.objects.get(pk=question.pk).status == Question.Status.OPEN


def test_the_leader_passes_on_through_the_form(client_for, question, cast):
    response = client_for(cast.leader).post(
        reverse("meetings:question-pass-on", args=[question.pk]),
        {"name": "Centerchef Jensen", "email": "cj@dalby.example", "note": "Det handler om budgettet."},
    )
    assert response.status_code == 302
    page = client_for(cast.member).get(question.get_absolute_url()).content.decode()
    assert "Centerchef Jensen" in page


def test_the_committee_list_searches_and_filters(client_for, ask, cast, asked):
    ask(text="Hvordan går det med sprogarbejdet?")
    second = ask(text="Hvad koster frokostordningen?", workplaces=[asked.second_workplace])[0]
    services.question_answer(question=second, actor=asked.second_leader, text="Den koster 25 kr. om dagen.")
    client = client_for(cast.chair)

    def rows(**query):
        return client.get(list_url(cast), query).content.decode().count('data-testid="question-row"')

    assert rows() == 2
    assert rows(q="sprog") == 1
    assert rows(q="25 kr") == 1  # the answers are searched too
    assert rows(workplace=asked.second_workplace.pk) == 1
    assert rows(status="answered") == 1
    assert rows(status="open") == 1
    assert rows(status="overdue") == 0
    Question.objects.filter(status="open").update(deadline=timezone.localdate() - dt.timedelta(days=1))
    assert rows(status="overdue") == 1


@pytest.mark.parametrize("who", ["leader", "other_member", "outsider"])
def test_the_committee_list_is_for_its_members_and_the_secretariat(client_for, cast, who):
    assert client_for(getattr(cast, who)).get(list_url(cast)).status_code == 404


def test_the_list_pages_and_its_queries_do_not_grow(client_for, ask, cast, django_assert_max_num_queries):
    client = client_for(cast.chair)
    ask()
    client.get(list_url(cast))  # warm the session and the roles
    model_version_bump(Question)  # the list is kept: compare it built anew, as after a change, on both sides
    with django_assert_max_num_queries(12) as few:
        client.get(list_url(cast))
    for _ in range(25):
        ask()
    with django_assert_max_num_queries(len(few.captured_queries)):  # built anew: the questions replaced the version
        page = client.get(list_url(cast))
    assert page.content.decode().count('data-testid="question-row"') == 20
    assert "page=2" in client.get(list_url(cast)).content.decode()


def test_the_workplace_page_shows_the_questions(client_for, question, cast):
    page = client_for(cast.member).get(cast.workplace.get_absolute_url()).content.decode()
    assert 'data-testid="workplace-questions"' in page and question.get_absolute_url() in page
    page = client_for(cast.other_member).get(cast.workplace.get_absolute_url()).content.decode()
    assert question.get_absolute_url() not in page


def test_the_dashboards_show_the_questions(client_for, question, cast):
    leader = client_for(cast.leader).get("/").content.decode()
    assert 'data-testid="dashboard-questions"' in leader and question.get_absolute_url() in leader
    services.question_answer(question=question, actor=cast.leader, text="Svar")
    member = client_for(cast.member).get("/").content.decode()
    assert 'data-testid="dashboard-my-questions"' in member and question.get_absolute_url() in member


def test_the_ledger_counts_answered_questions(question, cast):
    from meetings.questions.panels import ledger_counts

    services.question_answer(question=question, actor=cast.leader, text="Svar")
    now = timezone.now()
    [(_label, counts)] = ledger_counts(
        cast.committee, [cast.workplace.pk], now - dt.timedelta(days=365), now - dt.timedelta(days=730), now
    )
    assert counts == {cast.workplace.pk: (1, 1)}


def test_the_admin_cannot_change_a_question(client_for, question, cast):
    client = client_for(cast.administrator)
    assert client.get(reverse("admin:meetings_question_change", args=[question.pk])).status_code == 200
    client.post(reverse("admin:meetings_question_change", args=[question.pk]), {"text": "Omskrevet"})
    assert Question.objects.get(pk=question.pk).text != "Omskrevet"
    assert client.get(reverse("admin:meetings_question_delete", args=[question.pk])).status_code == 403


def test_asking_from_the_workplaces_page_ticks_that_workplace(client_for, cast, asked):
    url = reverse("meetings:question-create", args=[cast.committee.slug])
    page = client_for(cast.member).get(url, {"workplace": asked.second_workplace.pk}).content.decode()
    ticked = f'value="{asked.second_workplace.pk}"'
    assert ticked in page and "checked" in page.split(ticked)[1].split(">")[0]
    assert client_for(cast.member).get(url, {"workplace": "x<script>"}).status_code == 200
