"""Every codex page as anonymous, outsider, member and administrator."""

import pytest
from django.test import Client

from codex import services
from codex.models import CodexPrinciple, CodexVersion, SignatureEvent
from tests import factories

from .conftest import held_meeting, publish, revise, sign, tamper, write_draft

pytestmark = pytest.mark.django_db


def as_(client, person):
    if person is not None:
        client.force_login(person)
    return client


# --- The current codex (public) ------------------------------------------------------


@pytest.mark.parametrize("role", [None, "outsider", "member", "administrator"])
def test_everyone_reads_the_current_codex(client, cast, version, role):
    response = as_(client, getattr(cast, role) if role else None).get("/kodeks/")
    assert response.status_code == 200
    assert "Politikerne sætter rammerne" in response.content.decode()
    assert version.fingerprint in response.content.decode()


def test_the_codex_page_invites_a_politician_to_sign(client, cast, version):
    content = as_(client, cast.member).get("/kodeks/").content.decode()
    assert 'data-testid="codex-sign-link"' in content


def test_the_codex_page_tells_a_signer_they_signed(client, cast, version):
    sign(cast.member, version)
    content = as_(client, cast.member).get("/kodeks/").content.decode()
    assert 'data-testid="codex-signed"' in content


def test_the_codex_page_says_so_when_nothing_is_published(client, cast):
    write_draft(cast.administrator)  # a draft is not published
    response = as_(client, cast.member).get("/kodeks/")
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["version"] is None
    assert "Kodeks for tillid er ikke offentliggjort endnu." in content
    assert 'data-testid="codex-sign-link"' not in content


def test_no_raw_html_reaches_the_page(client, cast):
    draft = write_draft(cast.administrator)
    CodexPrinciple.objects.filter(section__version=draft).update(text="Tillid <script>alert('x')</script> **bold**")
    publish(cast.administrator, draft)
    client.cookies["dialog_language"] = "en"  # the person chose English
    content = client.get("/kodeks/").content.decode()
    assert "<script>alert" not in content
    assert "<strong>bold</strong>" in content


# --- The public register ---------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "outsider", "member", "administrator"])
def test_everyone_sees_the_register(client, cast, version, role):
    sign(cast.chair, version)
    response = as_(client, getattr(cast, role) if role else None).get("/kodeks/register/")
    assert response.status_code == 200
    content = response.content.decode()
    assert cast.chair.full_name in content
    assert cast.committee.name in content
    assert f"/kodeks/signaturer/{SignatureEvent.objects.get().pk}/bekraeft/" in content


def test_the_register_lists_who_is_still_missing(client, cast, version):
    sign(cast.chair, version)
    content = client.get("/kodeks/register/?vis=missing&gruppe=politician").content.decode()
    missing = content.split('data-testid="register-missing"')[1].split("</table>")[0]
    assert cast.member.full_name in missing
    assert cast.chair.full_name not in missing
    assert cast.leader.full_name not in missing  # not a politician
    assert cast.outsider.full_name not in content


def test_the_register_finds_people_by_name(client, cast, version):
    sign(cast.chair, version)
    sign(cast.leader, version)
    content = client.get("/kodeks/register/", {"q": cast.leader.full_name[-6:]}).content.decode()
    signed = content.split('data-testid="register-signed"')[1].split("</table>")[0]
    assert cast.leader.full_name in signed
    assert cast.chair.full_name not in signed


def test_the_register_pages_long_lists(client, cast, version):
    for n in range(55):
        person = factories.UserFactory(full_name=f"Politiker {n:02d}")
        factories.MembershipFactory(user=person, committee=cast.committee)
        sign(person, version)
    first = client.get("/kodeks/register/").content.decode()
    second = client.get("/kodeks/register/", {"page": 2}).content.decode()
    assert "Politiker 00" in first and "Politiker 54" not in first
    assert "Politiker 54" in second


def test_the_register_says_when_a_signature_carries_over(client, cast, version):
    sign(cast.chair, version)
    revise(cast.administrator, version, change_kind="editorial")
    client.cookies["dialog_language"] = "en"  # the person chose English
    content = client.get("/kodeks/register/").content.decode()
    signed = content.split('data-testid="register-signed"')[1]
    assert cast.chair.full_name in signed
    assert "carried over" in signed


def test_the_register_does_not_grow_in_queries_with_the_signatures(client, cast, version, django_assert_num_queries):
    sign(cast.chair, version)
    client.get("/kodeks/register/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from codex.selectors import forget_register

    forget_register()  # the register is built anew, not served as kept
    with CaptureQueriesContext(connection) as few:
        client.get("/kodeks/register/")
    for n in range(15):
        person = factories.UserFactory(full_name=f"Politiker {n}")
        factories.MembershipFactory(user=person, committee=cast.committee)
        sign(person, version)
    with django_assert_num_queries(len(few)):
        response = client.get("/kodeks/register/")
    assert "Politiker 14" in response.content.decode()


# --- Versions, preview and differences ----------------------------------------------------


@pytest.mark.parametrize("role", [None, "outsider", "member"])
def test_drafts_are_hidden_from_everyone_but_administrators(client, cast, version, role):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    c = as_(client, getattr(cast, role) if role else None)
    assert c.get(f"/kodeks/versioner/{draft.number}/").status_code == 404
    assert c.get(f"/kodeks/versioner/{version.number}/").status_code == 200
    assert f"/kodeks/versioner/{draft.number}/" not in c.get("/kodeks/versioner/").content.decode()


def test_an_administrator_previews_a_draft(client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    c = as_(client, cast.administrator)
    response = c.get(f"/kodeks/versioner/{draft.number}/")
    assert response.status_code == 200
    assert 'data-testid="codex-preview"' in response.content.decode()
    assert f"/kodeks/versioner/{draft.number}/" in c.get("/kodeks/versioner/").content.decode()


def test_earlier_versions_stay_listed_and_readable(client, cast, version):
    revise(cast.administrator, version, change_kind="material")
    content = client.get("/kodeks/versioner/").content.decode()
    assert "/kodeks/versioner/1/" in content and "/kodeks/versioner/2/" in content
    assert client.get("/kodeks/versioner/1/").status_code == 200


def test_the_differences_are_shown_side_by_side(client, cast, version):
    def edit(draft):
        principle = CodexPrinciple.objects.filter(section__version=draft).first()
        principle.text = "Politikerne sætter en klar ramme."
        principle.save()

    revise(cast.administrator, version, change_kind="material", edit=edit)
    response = client.get("/kodeks/versioner/2/forskelle/")
    content = response.content.decode()
    assert response.status_code == 200
    # Only the changed words are marked: "Politikerne" stays unmarked on both sides.
    assert "<p>Politikerne <del>" in content and "beslutter de overordnede mål.</del>" in content
    assert "<p>Politikerne <ins>" in content and "sætter en klar ramme.</ins>" in content


def test_the_first_version_has_no_differences_page(client, version):
    assert client.get("/kodeks/versioner/1/forskelle/").status_code == 404


# --- Publishing (administrators) -----------------------------------------------------------


def test_anonymous_is_sent_to_log_in_before_publishing(client, cast):
    draft = write_draft(cast.administrator)
    response = client.get(f"/kodeks/versioner/{draft.number}/udgiv/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.mark.parametrize("role", ["outsider", "member", "leader"])
def test_only_administrators_reach_the_publish_page(client, cast, role):
    draft = write_draft(cast.administrator)
    c = as_(client, getattr(cast, role))
    assert c.get(f"/kodeks/versioner/{draft.number}/udgiv/").status_code == 403
    assert c.post(f"/kodeks/versioner/{draft.number}/udgiv/", {"published_on": "2026-01-01"}).status_code == 403
    assert CodexVersion.objects.get(pk=draft.pk).status == "draft"


def test_an_administrator_confirms_then_publishes(client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    c = as_(client, cast.administrator)
    assert c.get(f"/kodeks/versioner/{draft.number}/udgiv/").status_code == 200
    assert CodexVersion.objects.get(pk=draft.pk).status == "draft"  # a GET changes nothing
    response = c.post(
        f"/kodeks/versioner/{draft.number}/udgiv/", {"change_kind": "editorial", "published_on": "2026-01-01"}
    )
    assert response.status_code == 302
    published = CodexVersion.objects.get(pk=draft.pk)
    assert published.is_published and published.change_kind == "editorial"


def test_publishing_needs_the_kind_of_change(client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    response = as_(client, cast.administrator).post(
        f"/kodeks/versioner/{draft.number}/udgiv/", {"published_on": "2026-01-01"}
    )
    assert response.status_code == 200
    assert CodexVersion.objects.get(pk=draft.pk).status == "draft"


def _sign_again_rows(page: str) -> dict:
    import re

    rows = {}
    for role, body in re.findall(r'<tr data-role="(\w+)">(.*?)</tr>', page, re.S):
        cells = dict(re.findall(r'data-testid="sign-again-(\w+)">(\d+)<', body))
        rows[role] = {key: int(value) for key, value in cells.items()}
    return rows


def test_the_publish_page_says_who_must_sign_again_and_when_they_are_stopped(
    client, cast, version, django_assert_max_num_queries
):
    import datetime as dt

    from django.utils.formats import date_format

    sign(cast.chair, version)
    sign(cast.leader, version)
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    c = as_(client, cast.administrator)
    page = c.get(f"/kodeks/versioner/{draft.number}/udgiv/").content.decode()
    # Politicians: chair, vice-chair, member, other member; leaders: leader, other leader. The chair and the leader
    # signed the version in force, so they may go on for 14 days; the others are stopped at once.
    assert _sign_again_rows(page) == {
        "politician": {"total": 4, "grace": 1, "stopped": 3},
        "leader": {"total": 2, "grace": 1, "stopped": 1},
    }
    today = dt.date.today()
    assert "6 personer skal skrive under på den nye version." in page
    assert f"til og med {date_format(today + dt.timedelta(days=13), 'j. N Y')}" in page
    assert f"Fra {date_format(today + dt.timedelta(days=14), 'j. N Y')} stopper portalen dem" in page
    assert "Kun de 4 personer, der ikke har skrevet under" in page
    # The dates follow the publication date typed in, also while the kind of change is still to be chosen.
    later = today + dt.timedelta(days=30)
    page = c.post(f"/kodeks/versioner/{draft.number}/udgiv/", {"published_on": later.isoformat()}).content.decode()
    assert f"Stoppes fra {date_format(later, 'j. N Y')}" in page
    assert CodexVersion.objects.get(pk=draft.pk).status == "draft"
    with django_assert_max_num_queries(20):
        c.get(f"/kodeks/versioner/{draft.number}/udgiv/")


def test_the_publish_page_of_the_first_version_stops_everyone_until_they_sign(client, cast, settings):
    settings.DIALOG_CODEX_GRACE_DAYS = 0
    draft = write_draft(cast.administrator)
    page = as_(client, cast.administrator).get(f"/kodeks/versioner/{draft.number}/udgiv/").content.decode()
    assert _sign_again_rows(page) == {
        "politician": {"total": 4, "stopped": 4},
        "leader": {"total": 2, "stopped": 2},
    }
    assert "De stoppes fra" in page


# --- Signing -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in_to_sign(client, version):
    response = client.get("/kodeks/underskriv/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_an_outsider_is_told_they_have_no_role_to_sign(client, cast, version):
    c = as_(client, cast.outsider)
    assert 'data-testid="codex-sign-form"' not in c.get("/kodeks/underskriv/").content.decode()
    response = c.post("/kodeks/underskriv/", {"has_read": "on", "typed_name": cast.outsider.full_name})
    assert response.status_code == 200
    assert not SignatureEvent.objects.exists()


def test_a_politician_reads_and_signs(client, cast, version):
    c = as_(client, cast.member)
    page = c.get("/kodeks/underskriv/").content.decode()
    assert "Politikerne sætter rammerne" in page and 'data-testid="codex-sign-form"' in page
    response = c.post("/kodeks/underskriv/", {"has_read": "on", "typed_name": "test MEMBER"})
    assert response.status_code == 302
    assert response["Location"] == "/kodeks/register/"
    event = SignatureEvent.objects.get()
    assert (event.person, event.version, event.typed_name) == (cast.member, version, "test MEMBER")


def test_a_wrong_name_is_refused_and_the_form_keeps_what_was_typed(client, cast, version):
    response = as_(client, cast.member).post("/kodeks/underskriv/", {"has_read": "on", "typed_name": "Test chair"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="Test chair"' in content
    assert cast.member.full_name in content  # the error says which name to type
    assert not SignatureEvent.objects.exists()


def test_signing_without_ticking_read_is_refused(client, cast, version):
    response = as_(client, cast.member).post("/kodeks/underskriv/", {"typed_name": cast.member.full_name})
    assert response.status_code == 200
    assert not SignatureEvent.objects.exists()


def test_nobody_signs_for_someone_else(client, cast, version):
    # The form has no field for the person: the signer is always the one logged in.
    as_(client, cast.member).post(
        "/kodeks/underskriv/", {"has_read": "on", "typed_name": cast.chair.full_name, "person": cast.chair.pk}
    )
    assert not SignatureEvent.objects.filter(person=cast.chair).exists()
    assert not SignatureEvent.objects.exists()


def test_after_signing_the_person_goes_on_to_where_they_were(client, cast, version):
    response = as_(client, cast.member).post(
        "/kodeks/underskriv/", {"has_read": "on", "typed_name": cast.member.full_name, "next": "/udvalg/"}
    )
    assert response["Location"] == "/udvalg/"


def test_an_outside_next_address_is_ignored(client, cast, version):
    response = as_(client, cast.member).post(
        "/kodeks/underskriv/", {"has_read": "on", "typed_name": cast.member.full_name, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/kodeks/register/"


def test_signing_is_protected_against_cross_site_requests(cast, version):
    c = Client(enforce_csrf_checks=True)
    c.force_login(cast.member)
    response = c.post("/kodeks/underskriv/", {"has_read": "on", "typed_name": cast.member.full_name})
    assert response.status_code == 403
    assert not SignatureEvent.objects.exists()


# --- Withdrawing -----------------------------------------------------------------------------


def test_anonymous_cannot_withdraw(client, cast, version):
    signature = sign(cast.member, version)
    response = client.post(f"/kodeks/signaturer/{signature.pk}/tilbagekald/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert not SignatureEvent.objects.filter(kind="withdraw").exists()


@pytest.mark.parametrize("role", ["outsider", "chair", "administrator"])
def test_only_the_signer_sees_the_withdraw_page(client, cast, version, role):
    signature = sign(cast.member, version)
    c = as_(client, getattr(cast, role))
    assert c.get(f"/kodeks/signaturer/{signature.pk}/tilbagekald/").status_code == 404
    assert c.post(f"/kodeks/signaturer/{signature.pk}/tilbagekald/").status_code == 404
    assert SignatureEvent.objects.count() == 1


def test_the_signer_confirms_then_withdraws(client, cast, version):
    signature = sign(cast.member, version)
    c = as_(client, cast.member)
    assert c.get(f"/kodeks/signaturer/{signature.pk}/tilbagekald/").status_code == 200
    assert SignatureEvent.objects.count() == 1
    assert c.post(f"/kodeks/signaturer/{signature.pk}/tilbagekald/").status_code == 302
    assert SignatureEvent.objects.filter(kind="withdraw", withdraws=signature).exists()


def test_withdrawing_is_protected_against_cross_site_requests(cast, version):
    signature = sign(cast.member, version)
    c = Client(enforce_csrf_checks=True)
    c.force_login(cast.member)
    assert c.post(f"/kodeks/signaturer/{signature.pk}/tilbagekald/").status_code == 403
    assert not SignatureEvent.objects.filter(kind="withdraw").exists()


# --- Verification --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "outsider", "member", "administrator"])
def test_anyone_verifies_a_signature(client, cast, version, role):
    signature = sign(cast.chair, version)
    response = as_(client, getattr(cast, role) if role else None).get(f"/kodeks/signaturer/{signature.pk}/bekraeft/")
    assert response.status_code == 200
    assert 'data-holds="true"' in response.content.decode()


def test_a_tampered_text_fails_verification(client, cast, version):
    signature = sign(cast.chair, version)
    tamper(CodexPrinciple.objects.filter(section__version=version), text="Politikerne detailstyrer.")
    content = client.get(f"/kodeks/signaturer/{signature.pk}/bekraeft/").content.decode()
    assert 'data-holds="false"' in content


def test_a_tampered_log_entry_fails_verification(client, cast, version):
    signature = sign(cast.chair, version)
    tamper(SignatureEvent.objects.filter(pk=signature.pk), typed_name="Someone Else")
    content = client.get(f"/kodeks/signaturer/{signature.pk}/bekraeft/").content.decode()
    assert 'data-holds="false"' in content


def test_anonymous_is_sent_to_log_in_for_the_chain_check(client, version):
    response = client.get("/kodeks/kontrol/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/?next=/kodeks/kontrol/")


@pytest.mark.parametrize("role", ["outsider", "member", "leader"])
def test_only_administrators_see_the_chain_check(client, cast, version, role):
    assert as_(client, getattr(cast, role)).get("/kodeks/kontrol/").status_code == 403


def test_the_chain_check_names_each_break(client, cast, version):
    first = sign(cast.chair, version)
    sign(cast.member, version)
    c = as_(client, cast.administrator)
    assert 'data-holds="true"' in c.get("/kodeks/kontrol/").content.decode()
    tamper(SignatureEvent.objects.filter(pk=first.pk), typed_name="Forfalsket")
    content = c.get("/kodeks/kontrol/").content.decode()
    assert 'data-holds="false"' in content
    assert f"Post nr. {first.pk} (version 1): Det skrevne navn er ændret" in content


# --- Dashboard banner and links -----------------------------------------------------------------


def test_the_dashboard_asks_a_politician_to_sign_until_they_do(client, cast, version):
    c = as_(client, cast.member)
    assert 'data-testid="codex-banner"' in c.get("/").content.decode()
    sign(cast.member, version)
    assert 'data-testid="codex-banner"' not in c.get("/").content.decode()


@pytest.mark.parametrize("role", ["outsider", "trio", "administrator"])
def test_the_dashboard_has_no_banner_for_those_who_need_not_sign(client, cast, version, role):
    assert 'data-testid="codex-banner"' not in as_(client, getattr(cast, role)).get("/").content.decode()


def test_the_public_home_page_links_to_the_codex(client, db):
    assert 'href="/kodeks/"' in client.get("/").content.decode()


# --- Mirror answers on the codex page ----------------------------------------------------------


def test_the_codex_page_shows_mirror_answers_per_committee_only_from_five(client, cast, version):

    from codex.models import MirrorQuestion

    question = MirrorQuestion.objects.create(version=version, text="Jeg kunne tale åbent om fejl")
    people = [cast.chair, cast.vice_chair, cast.member, cast.leader]
    meeting = held_meeting(cast, guests=[cast.other_workplace])
    for person in people:
        services.mirror_answers_record(person=person, occasion_key=f"meeting:{meeting.pk}", scores={question.pk: 5})
    client.cookies["dialog_language"] = "en"  # the person chose English
    content = client.get("/kodeks/").content.decode()
    assert "Jeg kunne tale åbent om fejl" in content and "too few answers" in content
    # A guest workplace's leader took part too: the fifth answer.
    services.mirror_answers_record(
        person=cast.other_leader, occasion_key=f"meeting:{meeting.pk}", scores={question.pk: 3}
    )
    client.cookies["dialog_language"] = "en"  # the person chose English
    content = client.get("/kodeks/").content.decode()
    assert "4.6" in content or "4,6" in content


# --- The admin ------------------------------------------------------------------------------------


def test_administrators_write_versions_in_the_admin(client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    c = as_(client, cast.administrator)
    assert c.get("/admin/codex/codexversion/").status_code == 200
    assert c.get("/admin/codex/codexversion/add/").status_code == 200
    page = c.get(f"/admin/codex/codexversion/{draft.pk}/change/").content.decode()
    assert f"/kodeks/versioner/{draft.number}/udgiv/" in page
    section = draft.sections.first()
    assert c.get(f"/admin/codex/codexsection/{section.pk}/change/").status_code == 200


def test_a_published_version_opens_read_only_in_the_admin(client, cast, version):
    c = as_(client, cast.administrator)
    page = c.get(f"/admin/codex/codexversion/{version.pk}/change/").content.decode()
    assert 'name="title"' not in page
    c.post(f"/admin/codex/codexversion/{version.pk}/change/", {"title": "Ændret"})
    assert CodexVersion.objects.get(pk=version.pk).title == version.title


def test_an_administrator_creates_a_draft_in_the_admin(client, cast, version):
    c = as_(client, cast.administrator)
    response = c.post(
        "/admin/codex/codexversion/add/",
        {
            "title": "Kodeks for tillid 2",
            "introduction": "Ny",
            "roles_to_sign": ["politician", "leader", "official"],
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "values-TOTAL_FORMS": "0",
            "values-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = CodexVersion.objects.get(number=2)
    assert draft.roles_to_sign == ["politician", "leader", "official"] and draft.created_by == cast.administrator
