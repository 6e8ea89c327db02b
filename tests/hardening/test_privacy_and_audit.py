"""Personal data (export and erasure with pseudonyms), the audit log's coverage and its checks, the error pages and
the security headers."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from codex.models import SignatureEvent
from codex.selectors import log_problems
from core.audit import audit_verify, chains_verify_and_alert
from core.models import AuditEntry
from dialog_portal.privacy import person_erase, pseudonym
from meetings.models import CommitteeMembership, User
from tests import factories
from tests.codex.conftest import publish, sign, tamper, write_draft
from tests.hardening.figures import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(cast):
    """A published codex the chair and the leader have signed."""
    version = publish(cast.administrator, write_draft(cast.administrator))
    return version, sign(cast.chair, version), sign(cast.leader, version)


# --- Personal data ------------------------------------------------------------------------------------------------


def test_the_export_holds_the_persons_data_and_nobody_elses(cast, signed, tmp_path):
    out = tmp_path / "chair.json"
    call_command("personal_data", "export", "--email", cast.chair.email, "--out", str(out))
    data = json.loads(out.read_text())
    assert data["person"]["email"] == cast.chair.email
    assert data["person"]["full_name"] == cast.chair.full_name
    assert data["committee_memberships"] == [
        {"committee": "boern-og-unge", "role": "chair", "start": data["committee_memberships"][0]["start"], "end": None}
    ]
    assert [s["typed_name"] for s in data["codex_signatures"]] == [cast.chair.full_name]
    assert cast.leader.full_name not in out.read_text()


def test_erasure_keeps_a_pseudonym_in_the_records_and_every_chain_verifies(cast, signed):
    from agreements.models import AgreementSignature, Status
    from tests.agreements.conftest import make_agreement

    _version, chair_signature, _leader_signature = signed
    agreement = make_agreement(cast, Status.SIGNED)
    fingerprints = list(AgreementSignature.objects.filter(agreement=agreement).values_list("fingerprint", flat=True))
    call_command("personal_data", "erase", "--email", cast.chair.email, "--yes")

    chair = User.objects.get(pk=cast.chair.pk)
    assert chair.full_name == pseudonym(chair.pk)
    assert cast.chair.email not in chair.email and not chair.is_active and not chair.has_usable_password()
    assert chair.erased_at is not None
    # The signature is still there, under the pseudonym, and still verifies; so do both chains.
    kept = SignatureEvent.objects.get(pk=chair_signature.pk)
    assert kept.typed_name == pseudonym(chair.pk) and kept.person_id == chair.pk
    committee_side = AgreementSignature.objects.get(agreement=agreement, side="committee")
    assert committee_side.typed_name == pseudonym(chair.pk)
    assert list(AgreementSignature.objects.filter(agreement=agreement).values_list("fingerprint", flat=True)) == (
        fingerprints
    )
    assert log_problems() == []
    assert audit_verify() == []
    call_command("verify_audit")
    # Roles end today (their history stays); the person can no longer sign in.
    membership = CommitteeMembership.objects.get(user=chair)
    assert membership.end_date == timezone.localdate()
    assert not Client().login(email=cast.chair.email, password=factories.TEST_PASSWORD)
    erased = AuditEntry.objects.get(action="person.erased")
    assert erased.object_id == str(chair.pk) and cast.chair.full_name not in json.dumps(erased.data)
    record("personal_data", erasure_keeps_chains=True, pseudonymised_signatures=1)


def test_erasure_is_refused_while_the_person_has_coming_visits(cast):
    from meetings.visits.services import visit_book

    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    visit_book(slot=slot, booker=cast.member, purpose="Se sprogarbejdet")
    with pytest.raises(CommandError, match="kommende besøg"):
        call_command("personal_data", "erase", "--email", cast.member.email, "--yes")
    assert User.objects.get(pk=cast.member.pk).erased_at is None


def test_erasure_needs_confirming_and_happens_once(cast):
    with pytest.raises(CommandError, match="--yes"):
        call_command("personal_data", "erase", "--email", cast.outsider.email)
    person_erase(person=cast.outsider)
    with pytest.raises(Exception, match="allerede slettet"):
        person_erase(person=cast.outsider)


def test_a_typed_name_changed_behind_the_portals_back_is_still_caught(cast, signed):
    _version, chair_signature, _leader = signed
    tamper(SignatureEvent.objects.filter(pk=chair_signature.pk), typed_name="Forfalsket Navn")
    assert [(p.entry_id, p.reason) for p in log_problems()] == [(chair_signature.pk, "name")]


# --- The audit log ------------------------------------------------------------------------------------------------


def test_booking_signing_and_publishing_are_in_the_audit_log(cast, signed):
    from meetings.visits.services import visit_book

    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    visit = visit_book(slot=slot, booker=cast.chair, purpose="Se sprogarbejdet")  # the chair has signed the codex
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"codex.published", "codex.sign", "visit.requested"} <= actions
    booked = AuditEntry.objects.get(action="visit.requested")
    assert (booked.actor_id, booked.object_id) == (cast.chair.pk, str(visit.pk))
    assert booked.at.utcoffset() == dt.timedelta(0)


def test_a_permission_change_in_the_admin_is_recorded_with_who_made_it(cast, client_for):
    client = client_for(cast.administrator)
    response = client.post(
        reverse("admin:meetings_committeemembership_add"),
        {"user": cast.outsider.pk, "committee": cast.committee.pk, "role": "member", "start_date": "2026-01-01"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.filter(action="permission.committeemembership_created").latest("seq")
    assert entry.actor_id == cast.administrator.pk
    assert entry.data["person"] == cast.outsider.pk and entry.data["role"] == "member"


def test_making_someone_an_administrator_is_recorded(cast):
    cast.outsider.is_staff = True
    cast.outsider.save()
    entry = AuditEntry.objects.get(action="permission.flags_changed", object_id=str(cast.outsider.pk))
    assert entry.data["from"]["is_staff"] is False and entry.data["to"]["is_staff"] is True
    cast.outsider.last_login = timezone.now()
    cast.outsider.save(update_fields=["last_login"])  # not a permission change
    assert AuditEntry.objects.filter(object_id=str(cast.outsider.pk)).count() == 1


def test_verify_audit_fails_when_a_row_was_edited_and_the_nightly_job_tells_the_administrators(cast):
    call_command("verify_audit")
    assert chains_verify_and_alert() == 0
    assert [m.to for m in mail.outbox] == [[cast.administrator.email]]  # every night: the heads, all holds
    mail.outbox.clear()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET action = 'forged' WHERE seq = 1")  # noqa: S608
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_audit")
    assert chains_verify_and_alert() == 1
    assert [m.to for m in mail.outbox] == [[cast.administrator.email]]
    assert "Revisionsloggen" in mail.outbox[0].subject


# --- Error pages and headers --------------------------------------------------------------------------------------


def test_a_missing_page_answers_in_danish(client):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_an_unexpected_error_gets_the_translated_page_not_a_stack_trace(rf):
    from django.urls import get_resolver

    handler = get_resolver().resolve_error_handler(500)
    try:
        raise ValueError("a bug")
    except ValueError:
        response = handler(rf.get("/udvalg/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Noget gik galt" in body and "ValueError" not in body and "a bug" not in body


def test_every_page_carries_a_content_security_policy_without_inline_code(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_readiness_reports_the_database_and_the_cache(client):
    response = client.get(reverse("readiness"))
    assert response.status_code == 200
    assert response.json() == {"ready": True, "checks": {"database": "ok", "cache": "ok"}}
