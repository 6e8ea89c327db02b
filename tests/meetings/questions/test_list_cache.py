"""The committee's list of questions is kept per query string and language under the versions of what it shows
(issue 19): a new question, an answer, a correction, a question passed on, a renamed workplace or asker, a workplace
newly under the committee and a deadline passed at midnight show on the next request. Who may ask is decided per
person, outside the kept part."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.questions import services
from tests import factories

pytestmark = pytest.mark.django_db

QUESTIONS = 'FROM "meetings_question" '


def list_url(cast):
    return reverse("meetings:question-list", args=[cast.committee.slug])


def _page(client, cast, **query) -> str:
    response = client.get(list_url(cast), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_is_kept_and_a_new_question_shows_at_once(client_for, ask, cast):
    ask(text="Hvordan går det med sprogarbejdet?")
    client = client_for(cast.chair)
    assert "sprogarbejdet" in _page(client, cast)
    with CaptureQueriesContext(connection) as kept:
        _page(client, cast)
    assert not any(QUESTIONS in q["sql"] for q in kept.captured_queries)
    ask(text="Hvad koster frokostordningen?")
    page = _page(client, cast)
    assert "frokostordningen" in page and page.count('data-testid="question-row"') == 2


def test_an_answer_and_a_correction_show_at_once(client_for, question, cast):
    client = client_for(cast.member)
    assert 'data-status="open"' in _page(client, cast)
    services.question_answer(question=question, actor=cast.leader, text="Det går godt.")
    page = _page(client, cast)
    assert 'data-status="answered"' in page and "1 svar" in page
    services.question_answer(question=question, actor=cast.leader, text="Rettelse: det går meget godt.")
    assert "2 svar" in _page(client, cast)


def test_a_question_passed_on_shows_at_once(client_for, question, cast):
    client = client_for(cast.member)
    _page(client, cast)
    services.question_pass_on(question=question, actor=cast.leader, name="Centerchef Jensen", email="cj@dalby.example")
    page = _page(client, cast)
    assert 'data-status="passed_on"' in page and "Centerchef Jensen" in page


def test_a_renamed_workplace_and_asker_show_at_once(client_for, question, cast):
    client = client_for(cast.chair)
    _page(client, cast)
    cast.workplace.name = "Solsikkens Nye Børnehus"
    cast.workplace.save()
    assert "Solsikkens Nye Børnehus" in _page(client, cast)
    cast.member.full_name = "Mette Omdøbt"
    cast.member.save()
    assert "Mette Omdøbt" in _page(client, cast)


def test_a_workplace_newly_under_the_committee_is_offered_in_the_filter_at_once(client_for, cast):
    client = client_for(cast.chair)
    newcomer = factories.WorkplaceFactory(slug="nyt-sted", name="Det Nye Sted", committees=[])
    assert "Det Nye Sted" not in _page(client, cast)
    newcomer.committees.add(cast.committee)
    assert "Det Nye Sted" in _page(client, cast)


def test_a_question_past_its_deadline_is_marked_the_next_day(client_for, question, cast, monkeypatch):
    client = client_for(cast.member)
    assert 'data-status="open"' in _page(client, cast)
    after = question.deadline + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: after)
    assert 'data-status="overdue"' in _page(client, cast)
    assert _page(client, cast, status="overdue").count('data-testid="question-row"') == 1


def test_the_secretariat_reads_the_kept_list_but_only_a_member_may_ask(client_for, question, cast):
    member = _page(client_for(cast.member), cast)
    administrator = _page(client_for(cast.administrator), cast)
    assert 'id="question-create-link"' in member and 'id="question-create-link"' not in administrator
    assert question.text in administrator


def test_each_language_is_kept_on_its_own(client_for, question, cast):
    client = client_for(cast.member)
    assert "Venter på svar" in _page(client, cast)
    cast.member.language = "en"
    cast.member.save()
    english = _page(client, cast)
    assert "Waiting for an answer" in english and "Venter på svar" not in english
