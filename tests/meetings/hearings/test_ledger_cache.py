"""The equal-access ledger keeps the hearings' columns under the versions of what they read, until time alone would
change them (issue 19): every change shows at once through the page, and one committee's counts never reach
another's ledger."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.hearings import services
from meetings.models import Hearing, Matter, Presentation

pytestmark = pytest.mark.django_db

ANSWERED = "Besvarede høringer"
PRESENTED = "Foretræder"
WITHOUT = "Behandlet uden svar"


def cells(page: str, workplace) -> dict[str, str]:
    """The ledger table's cells of ``workplace``'s row, by their label (``"Besvarede høringer, 12 mdr."``)."""
    table = page[page.index('data-testid="ledger-table"') :]
    row = table[table.index(f">{workplace.name}<") :]
    row = row[: row.index("</tr>")]
    return dict(re.findall(r'data-label="([^"]*)">([^<]*)</td>', row))


def counts(client, workplace, label, committee=None) -> tuple[str, str]:
    query = {"udvalg": committee.slug} if committee else {}
    found = cells(client.get(reverse("meetings:ledger"), query).content.decode(), workplace)
    return found[f"{label}, 12 mdr."], found[f"{label}, 24 mdr."]


@pytest.fixture
def answered(hearing, cast):
    services.hearing_respond(hearing=hearing, actor=cast.leader, no_comments=True)
    return hearing


def test_a_hearing_answered_shows_at_once(hearing, cast, client_for):
    client = client_for(cast.member)
    assert counts(client, cast.workplace, ANSWERED) == ("0", "0")
    services.hearing_respond(hearing=hearing, actor=cast.leader, no_comments=True)
    assert counts(client, cast.workplace, ANSWERED) == ("1", "1")


def test_a_bulk_update_and_a_delete_show_at_once(answered, cast, client_for, heard):
    client = client_for(cast.member)
    assert counts(client, heard.second_workplace, WITHOUT) == ("0", "0")
    Matter.objects.filter(pk=answered.matter_id).update(decided_at=timezone.now() - dt.timedelta(days=400))
    assert counts(client, heard.second_workplace, WITHOUT) == ("0", "1")
    assert counts(client, cast.workplace, WITHOUT) == ("0", "0")  # it answered
    Hearing.objects.filter(workplace=heard.second_workplace).delete()
    assert counts(client, heard.second_workplace, WITHOUT) == ("0", "0")


def test_time_alone_moves_a_matter_out_of_the_months_and_one_decided_ahead_in(
    answered, cast, client_for, heard, monkeypatch
):
    now = timezone.now()
    decided = Matter.objects.filter(pk=answered.matter_id)
    decided.update(decided_at=now - dt.timedelta(days=365, hours=-1))
    client = client_for(cast.member)
    assert counts(client, heard.second_workplace, WITHOUT) == ("1", "1")
    monkeypatch.setattr(timezone, "now", lambda: now + dt.timedelta(hours=2))
    assert counts(client, heard.second_workplace, WITHOUT) == ("0", "1")

    decided.update(decided_at=now + dt.timedelta(hours=3))
    assert counts(client, heard.second_workplace, WITHOUT) == ("0", "0")
    monkeypatch.setattr(timezone, "now", lambda: now + dt.timedelta(hours=4))
    assert counts(client, heard.second_workplace, WITHOUT) == ("1", "1")


def test_a_presentation_counts_from_its_meeting_day_and_a_moved_meeting_shows_at_once(
    answered, cast, client_for, monkeypatch
):
    presentation = services.presentation_request(hearing=answered, actor=cast.leader, note="Om overgangen")
    services.presentation_accept(presentation=presentation, actor=cast.chair, at=dt.time(16, 30))
    client = client_for(cast.member)
    assert counts(client, cast.workplace, PRESENTED) == ("0", "0")  # the meeting is ahead
    day = answered.matter.meeting_date
    day.date = timezone.now().date() - dt.timedelta(days=10)  # held
    day.save(update_fields=["date"])
    assert counts(client, cast.workplace, PRESENTED) == ("1", "1")
    Presentation.objects.filter(pk=presentation.pk).update(status=Presentation.Status.DECLINED, reason="Fuldt program")
    assert counts(client, cast.workplace, PRESENTED) == ("0", "0")
    Presentation.objects.filter(pk=presentation.pk).update(status=Presentation.Status.ACCEPTED, reason="")
    day.date = timezone.now().date() + dt.timedelta(days=1)  # tomorrow: counted from its midnight
    day.save(update_fields=["date"])
    assert counts(client, cast.workplace, PRESENTED) == ("0", "0")
    midnight = dt.datetime.combine(day.date, dt.time(), tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: midnight + dt.timedelta(minutes=1))
    assert counts(client, cast.workplace, PRESENTED) == ("1", "1")


def test_one_committees_counts_never_reach_another_committees_ledger(answered, cast, client_for):
    cast.workplace.committees.add(cast.other_committee)  # the same workplace, and so the same rows, under both
    client = client_for(cast.administrator)
    assert counts(client, cast.workplace, ANSWERED, cast.committee) == ("1", "1")
    assert counts(client, cast.workplace, ANSWERED, cast.other_committee) == ("0", "0")


def test_a_kept_ledger_reads_no_column_and_a_change_reads_only_the_columns_again(answered, cast, client_for):
    client = client_for(cast.member)
    url = reverse("meetings:ledger")
    client.get(url)

    def column_queries() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return sum(1 for x in q.captured_queries if "meetings_hearing" in x["sql"] or "meetings_question" in x["sql"])

    assert column_queries() == 0
    Matter.objects.filter(pk=answered.matter_id).update(decided_at=timezone.now() - dt.timedelta(days=1))
    assert column_queries() == 4  # the hearings' three and the questions' one
    assert column_queries() == 0
