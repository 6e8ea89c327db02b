"""The secretariat's audit log page: administrators only, names and plain words, filters, links both ways, and a
fixed number of queries however many entries a page holds (issue 14, hole 7)."""

import datetime as dt
import html
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Status
from core.audit import audit_record
from core.models import AuditEntry
from dialog_portal.privacy import person_erase
from meetings.models import CommitteeMembership
from meetings.visits.services import visit_book
from tests import factories
from tests.agreements.conftest import make_agreement
from tests.codex.conftest import publish, write_draft
from tests.codex.conftest import sign as codex_sign

pytestmark = pytest.mark.django_db

URL = reverse("auditlog:entry-list")
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def _page(client, query=""):
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _rows(page: str) -> int:
    return page.count('data-testid="auditlog-row"')


@pytest.mark.parametrize(
    "role", ["chair", "vice_chair", "member", "other_member", "leader", "trio", "other_leader", "outsider"]
)
def test_only_administrators_see_the_audit_log(client_for, cast, role):
    client = client_for(getattr(cast, role))
    assert client.get(URL).status_code == 404
    assert client.get(reverse("auditlog:entry-export")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_the_secretariat_sees_who_did_what_by_name_in_plain_danish(client_for, cast):
    agreement = make_agreement(cast, Status.SUBMITTED)
    page = _page(client_for(cast.administrator))
    assert "Test leader" in page
    assert "Aftale sendt til udvalget" in page
    assert f'href="{agreement.get_absolute_url()}"' in page
    # Details are words too: the statuses the agreement went from and to.
    assert str(Status.CONSULTATION.label) in page or "Til kommentering" in page


def test_an_erased_person_is_shown_by_pseudonym(client_for, cast):
    make_agreement(cast, Status.CONSULTATION)
    person_erase(person=cast.trio, actor=cast.administrator)
    consulted_by = type(cast.leader).objects.get(pk=cast.leader.pk)
    person_erase(person=consulted_by, actor=cast.administrator)
    page = _page(client_for(cast.administrator), f"?person={cast.leader.pk}")
    assert "Test leader" not in page
    assert type(cast.leader).objects.get(pk=cast.leader.pk).full_name in page


def test_the_log_filters_by_person_by_number_or_by_name(client_for, cast):
    make_agreement(cast, Status.SUBMITTED)
    factories.MembershipFactory(user=factories.UserFactory(full_name="Ny Politiker"), committee=cast.committee)
    client = client_for(cast.administrator)
    by_number = _page(client, f"?person={cast.leader.pk}")
    by_name = _page(client, "?person=leader")
    assert _rows(by_number) == _rows(by_name) == AuditEntry.objects.filter(actor_id=cast.leader.pk).count() > 0


def test_the_log_filters_by_action_and_by_area(client_for, cast):
    make_agreement(cast, Status.SUBMITTED)
    visit_book(slot=factories.VisitSlotFactory(workplace=cast.workplace), booker=cast.member, purpose="Se stedet")
    client = client_for(cast.administrator)
    assert _rows(_page(client, "?action=agreement.submitted")) == 1
    agreement_rows = _rows(_page(client, "?action=agreement.*"))
    assert agreement_rows == AuditEntry.objects.filter(action__startswith="agreement.").count()
    assert _rows(_page(client, "?action=visit.*")) == 1


def test_the_log_filters_by_period_in_danish_time(client_for, cast):
    # 23.30 UTC on 31 December is half past midnight on 1 January in Copenhagen.
    new_year = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    for at in (new_year, new_year - dt.timedelta(hours=2)):
        entry = audit_record(actor=cast.administrator, action="organisation.imported", object_type="organisation")
        AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    client = client_for(cast.administrator)
    assert _rows(_page(client, "?fra=2027-01-01&til=2027-01-01")) == 1
    assert _rows(_page(client, "?fra=2026-12-31&til=2026-12-31")) == 1
    page = _page(client, "?fra=2027-01-02&til=2027-01-01")
    assert 'data-testid="auditlog-errors"' in page
    assert _rows(page) == 0


def test_an_objects_history_holds_its_own_entries(client_for, cast):
    agreement = make_agreement(cast, Status.SUBMITTED)
    make_agreement(cast, Status.DRAFT, year=timezone.localdate().year + 1)
    page = _page(client_for(cast.administrator), f"?type=agreements.agreement&id={agreement.pk}")
    assert _rows(page) == AuditEntry.objects.filter(object_type="agreements.agreement", object_id=agreement.pk).count()
    assert 'data-testid="auditlog-object"' in page


def test_a_persons_history_holds_the_changes_to_their_access(client_for, cast):
    membership = CommitteeMembership.objects.get(user=cast.member)
    membership.end_date = timezone.localdate() + dt.timedelta(days=30)
    membership.save()
    page = _page(client_for(cast.administrator), f"?type=meetings.user&id={cast.member.pk}")
    assert _rows(page) >= 1
    assert "Udvalgsmedlemskab ændret" in page


def test_a_codex_versions_history_holds_its_signatures(client_for, cast):
    version = publish(cast.administrator, write_draft(cast.administrator))
    codex_sign(cast.chair, version)
    page = _page(client_for(cast.administrator), f"?type=codex.codexversion&id={version.pk}")
    assert "Kodeks offentliggjort" in page
    assert "Kodeks underskrevet" in page
    assert "Test chair" in page


def test_a_meeting_plans_history_holds_its_meetings_being_re_planned(client_for, cast, rotation):
    from meetings.models import Meeting
    from meetings.rotation import services as rotation_services

    plan = rotation_services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    rotation_services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    rotation_services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Vandskade")
    rotation_services.meeting_replan(meeting=meeting, actor=cast.administrator)
    page = _page(client_for(cast.administrator), f"?type=meetings.rotationplan&id={plan.pk}")
    for words in ("Mødeplan offentliggjort", "Ny vært fundet til et møde", "Værten har meldt fra"):
        assert words in page, words


def test_object_pages_link_to_their_history_for_administrators_only(client_for, cast):
    agreement = make_agreement(cast, Status.SUBMITTED)
    link = f"{URL}?type=agreements.agreement&amp;id={agreement.pk}"
    admin_page = client_for(cast.administrator).get(agreement.get_absolute_url()).content.decode()
    assert link in admin_page
    leader_page = client_for(cast.leader).get(agreement.get_absolute_url()).content.decode()
    assert 'data-testid="auditlog-history-link"' not in leader_page


def test_the_person_admin_page_links_to_their_history(client_for, cast):
    page = client_for(cast.administrator).get(reverse("admin:meetings_user_change", args=[cast.leader.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert f"{URL}?type=meetings.user&amp;id={cast.leader.pk}" in content
    assert f"{URL}?person={cast.leader.pk}" in content


def _entries(cast, objects, n: int):
    """``n`` rounds of the kinds of entry a busy page shows: an agreement, a visit, the organisation, a role, a
    meeting plan, each with people, workplaces or committees named in the details."""
    agreement, visit, plan = objects
    membership = CommitteeMembership.objects.get(user=cast.member)
    for _ in range(n):
        audit_record(actor=cast.leader, action="agreement.submitted", obj=agreement, data={"from": "a", "to": "b"})
        audit_record(actor=cast.member, action="visit.requested", obj=visit, data={"from": "", "to": "requested"})
        audit_record(actor=cast.administrator, action="organisation.imported", object_type="organisation")
        audit_record(
            actor=cast.administrator,
            action="permission.committeemembership_changed",
            obj=membership,
            data={"person": cast.chair.pk, "where": cast.committee.pk, "role": "member"},
        )
        audit_record(
            actor=None, action="rotation.host_swapped", obj=plan, data={"host": cast.workplace.pk, "new_breaks": 0}
        )


def test_the_page_runs_the_same_number_of_queries_however_many_entries_it_shows(
    client_for, cast, rotation, django_assert_num_queries
):
    from meetings.rotation import services as rotation_services

    agreement = make_agreement(cast, Status.DRAFT)
    visit = visit_book(slot=factories.VisitSlotFactory(workplace=cast.workplace), booker=cast.member, purpose="Se")
    plan = rotation_services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    AuditEntry.objects.all().delete()
    client = client_for(cast.administrator)
    _entries(cast, (agreement, visit, plan), 2)
    client.get(URL)  # the session and the person's roles are read once the same way every time
    with django_assert_num_queries(QUERIES):
        assert _rows(_page(client)) == 10
    _entries(cast, (agreement, visit, plan), 20)
    with django_assert_num_queries(QUERIES):
        assert _rows(_page(client)) == 50


# Count, the page; people, workplaces, committees; agreements, visits, memberships, plans (session, person and roles
# are cached: issue 19).
QUERIES = 9
