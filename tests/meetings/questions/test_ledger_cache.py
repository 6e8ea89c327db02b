"""The equal-access ledger keeps the questions' column under the versions of what it reads (issue 19): an answer,
a bulk update and a new language show at once through the page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Question
from meetings.questions import services

pytestmark = pytest.mark.django_db

ANSWERED = "Besvarede spørgsmål"


def answered(client, workplace) -> tuple[str, str]:
    page = client.get(reverse("meetings:ledger")).content.decode()
    table = page[page.index('data-testid="ledger-table"') :]
    row = table[table.index(f">{workplace.name}<") :]
    found = dict(re.findall(r'data-label="([^"]*)">([^<]*)</td>', row[: row.index("</tr>")]))
    return found[f"{ANSWERED}, 12 mdr."], found[f"{ANSWERED}, 24 mdr."]


def test_a_question_answered_shows_at_once_and_so_does_a_bulk_update(question, cast, client_for):
    client = client_for(cast.member)
    assert answered(client, cast.workplace) == ("0", "0")
    services.question_answer(question=question, actor=cast.leader, text="Svar")
    assert answered(client, cast.workplace) == ("1", "1")
    Question.objects.filter(pk=question.pk).update(answered_at=timezone.now() - dt.timedelta(days=500))
    assert answered(client, cast.workplace) == ("0", "1")


def test_the_columns_are_kept_per_language(question, cast, client_for):
    services.question_answer(question=question, actor=cast.leader, text="Svar")
    client = client_for(cast.member)
    assert ANSWERED in client.get(reverse("meetings:ledger")).content.decode()
    cast.member.language = "en"
    cast.member.save(update_fields=["language"])
    english = client_for(cast.member).get(reverse("meetings:ledger")).content.decode()
    assert "Questions answered" in english and ANSWERED not in english
