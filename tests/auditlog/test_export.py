"""The audit log as CSV for Danish Excel: UTF-8 with BOM, ``;`` between cells, CRLF, the time as a date and time
Excel reads, no cell a spreadsheet would run as a formula, the page's filters applied, and the export itself
logged."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.exports import cell
from core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("auditlog:entry-export")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+45 12 34 56 78", "'+45 12 34 56 78"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Anne Hansen", "Anne Hansen"),
        ("Sag nr. 12 = godkendt", "Sag nr. 12 = godkendt"),
        (42, 42),
        (None, ""),
        ("", ""),
    ],
)
def test_a_cell_that_would_start_a_formula_is_neutralised(value, expected):
    assert cell(value) == expected


def _export(client, query=""):
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="revisionslog-')
    return b"".join(response.streaming_content)


def test_the_export_opens_in_danish_excel_with_names_and_words(client_for, cast):
    prankster = factories.UserFactory(full_name='=HYPERLINK("http://evil.example","Klik")')
    audit_record(actor=prankster, action="organisation.imported", object_type="organisation")
    audit_record(actor=cast.leader, action="visit.requested", obj=cast.workplace, data={"to": "requested"})
    body = _export(client_for(cast.administrator))
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.endswith(b"\r\n") and body.count(b"\n") == body.count(b"\r\n")  # CRLF, as Excel writes
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nr.", "Tidspunkt", "Person"]
    by_action = {row[5]: row for row in rows[1:]}
    assert by_action["organisation.imported"][2] == "'" + prankster.full_name
    assert by_action["visit.requested"][2] == "Test leader"
    assert by_action["visit.requested"][4] == "Besøg booket"
    # The time in Copenhagen, as a date and time Excel reads (and shows the Danish way), seconds and all.
    entry = AuditEntry.objects.get(action="visit.requested")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?", by_action["visit.requested"][1])
    moment = dt.datetime.fromisoformat(by_action["visit.requested"][1])
    assert moment == timezone.localtime(entry.at).replace(tzinfo=None, microsecond=0)


def test_the_export_follows_the_pages_filters(client_for, cast):
    audit_record(actor=cast.leader, action="visit.requested", obj=cast.workplace)
    audit_record(actor=cast.chair, action="visit.cancelled", obj=cast.workplace)
    body = _export(client_for(cast.administrator), f"?person={cast.chair.pk}")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert [row[5] for row in rows[1:]] == ["visit.cancelled"]


def test_the_export_with_filters_in_error_is_empty_not_the_whole_log(client_for, cast):
    audit_record(actor=cast.leader, action="visit.requested", obj=cast.workplace)
    body = _export(client_for(cast.administrator), "?fra=2027-02-01&til=2027-01-01")
    assert len(body.decode("utf-8-sig").strip().splitlines()) == 1


def test_exporting_the_log_is_itself_logged_without_names(client_for, cast):
    audit_record(actor=cast.leader, action="visit.requested", obj=cast.workplace)
    # A typed name is looked up (core/pickers.py): the entry holds the person's number it found, never the name.
    _export(client_for(cast.administrator), "?person=&person_navn=leader&action=visit.*")
    entry = AuditEntry.objects.get(action="audit.exported")
    assert entry.actor_id == cast.administrator.pk
    assert entry.data == {"filters": {"person": str(cast.leader.pk), "action": "visit.*"}, "rows": 1}
