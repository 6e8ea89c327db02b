"""The gate every guarded action calls: book a visit, sign an agreement, accept hosting a meeting."""

import pytest
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.urls import include, path
from django.views import View

from codex import services
from codex.gate import CodexSignedRequiredMixin, codex_gate_check, require_codex_signed

from .conftest import publish, revise, sign, write_draft


@login_required
@require_codex_signed
def book_visit(request):
    return HttpResponse("booked")


class AcceptHosting(LoginRequiredMixin, CodexSignedRequiredMixin, View):
    def post(self, request):
        return HttpResponse("accepted")


urlpatterns = [
    path("test/book-visit/", book_visit),
    path("test/accept-hosting/", AcceptHosting.as_view()),
    path("", include("dialog_portal.urls")),
]


@pytest.mark.parametrize("role", ["chair", "member", "leader", "other_leader"])
def test_a_politician_or_leader_who_has_not_signed_is_stopped(cast, version, role):
    result = codex_gate_check(getattr(cast, role))
    assert not result.ok
    assert "1" in result.reason
    assert result.url == "/kodeks/underskriv/"


@pytest.mark.parametrize("role", ["administrator", "trio", "outsider"])
def test_people_whose_role_need_not_sign_pass_the_gate(cast, version, role):
    assert codex_gate_check(getattr(cast, role)).ok


def test_after_signing_the_gate_opens(cast, version):
    sign(cast.leader, version)
    assert codex_gate_check(cast.leader).ok


def test_the_gate_is_open_when_no_codex_is_published(cast):
    write_draft(cast.administrator)
    assert codex_gate_check(cast.chair).ok


def test_a_setting_turns_the_gate_off(cast, version, settings):
    settings.DIALOG_CODEX_GATE = False
    assert codex_gate_check(cast.chair).ok


def test_a_withdrawn_signature_closes_the_gate_again(cast, version):
    signature = sign(cast.chair, version)
    services.codex_signature_withdraw(signature=signature, actor=cast.chair)
    assert not codex_gate_check(cast.chair).ok


def test_an_editorial_change_keeps_the_gate_open_and_a_material_one_closes_it_after_the_grace_period(cast, version):
    import datetime as dt

    sign(cast.chair, version)
    v2 = revise(cast.administrator, version, change_kind="editorial")
    assert codex_gate_check(cast.chair) == codex_gate_check(cast.administrator)  # open, no deadline
    v3 = revise(cast.administrator, v2, change_kind="material")
    assert codex_gate_check(cast.chair).deadline is not None
    assert not codex_gate_check(cast.chair, today=v3.published_on + dt.timedelta(days=14)).ok


def test_the_roles_to_sign_decide_who_is_gated(cast):
    publish(cast.administrator, write_draft(cast.administrator, roles_to_sign=["leader"]))
    assert codex_gate_check(cast.chair).ok
    assert not codex_gate_check(cast.leader).ok


def test_the_gate_url_carries_where_to_go_on(cast, version):
    assert codex_gate_check(cast.chair, next_url="/besoeg/1/").url == "/kodeks/underskriv/?next=%2Fbesoeg%2F1%2F"


@pytest.mark.urls("tests.codex.test_gate")
def test_the_decorator_shows_why_and_links_to_the_codex(cast, version, client):
    client.force_login(cast.member)
    response = client.get("/test/book-visit/")
    assert response.status_code == 403
    assert b'data-testid="codex-gate-notice"' in response.content
    assert b"/kodeks/underskriv/?next=%2Ftest%2Fbook-visit%2F" in response.content


@pytest.mark.urls("tests.codex.test_gate")
def test_the_decorator_lets_a_signer_through(cast, version, client):
    sign(cast.member, version)
    client.force_login(cast.member)
    assert client.get("/test/book-visit/").content == b"booked"


@pytest.mark.urls("tests.codex.test_gate")
def test_the_decorator_sends_anonymous_people_to_log_in(version, client):
    response = client.get("/test/book-visit/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


@pytest.mark.urls("tests.codex.test_gate")
def test_the_mixin_guards_a_class_based_view(cast, version, client):
    client.force_login(cast.leader)
    assert client.post("/test/accept-hosting/").status_code == 403
    sign(cast.leader, version)
    assert client.post("/test/accept-hosting/").content == b"accepted"


@pytest.mark.urls("tests.codex.test_gate")
def test_the_decorator_passes_everyone_when_the_gate_is_off(cast, version, client, settings):
    settings.DIALOG_CODEX_GATE = False
    client.force_login(cast.member)
    assert client.get("/test/book-visit/").content == b"booked"


# --- The grace period after a material change -------------------------------------------------------------------


def _material_change(cast, version, *, days_ago: int):
    import datetime as dt

    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    return publish(
        cast.administrator, draft, change_kind="material", published_on=dt.date.today() - dt.timedelta(days=days_ago)
    )


def test_those_who_had_signed_may_go_on_until_the_grace_period_ends(cast, version):
    import datetime as dt

    sign(cast.chair, version)
    v2 = _material_change(cast, version, days_ago=3)
    result = codex_gate_check(cast.chair)
    assert result.ok
    assert result.deadline == v2.published_on + dt.timedelta(days=13)
    assert result.url == "/kodeks/underskriv/"
    assert not codex_gate_check(cast.chair, today=v2.published_on + dt.timedelta(days=14)).ok
    assert codex_gate_check(cast.chair, today=v2.published_on + dt.timedelta(days=13)).ok


def test_the_gate_closes_when_the_grace_period_is_over(cast, version):
    sign(cast.chair, version)
    _material_change(cast, version, days_ago=14)
    assert not codex_gate_check(cast.chair).ok


def test_those_who_had_not_signed_get_no_grace(cast, version):
    _material_change(cast, version, days_ago=1)
    assert not codex_gate_check(cast.member).ok


def test_a_withdrawn_signature_gives_no_grace(cast, version):
    signature = sign(cast.chair, version)
    services.codex_signature_withdraw(signature=signature, actor=cast.chair)
    _material_change(cast, version, days_ago=1)
    assert not codex_gate_check(cast.chair).ok


def test_a_grace_period_of_zero_days_stops_them_at_once(cast, version, settings):
    settings.DIALOG_CODEX_GRACE_DAYS = 0
    sign(cast.chair, version)
    _material_change(cast, version, days_ago=0)
    assert not codex_gate_check(cast.chair).ok


def test_after_signing_the_new_version_the_deadline_is_gone(cast, version):
    sign(cast.chair, version)
    v2 = _material_change(cast, version, days_ago=1)
    sign(cast.chair, v2)
    assert codex_gate_check(cast.chair) == codex_gate_check(cast.administrator)


def test_the_banner_in_the_grace_period_names_the_last_day(client, cast, version):
    import datetime as dt

    from django.utils.formats import date_format

    sign(cast.chair, version)
    v2 = _material_change(cast, version, days_ago=2)
    client.force_login(cast.chair)
    page = client.get("/").content.decode()
    deadline = date_format(v2.published_on + dt.timedelta(days=13), "j. N Y")
    assert f"Skriv under på kodekset for tillid senest {deadline}" in page
    assert 'data-testid="codex-banner-deadline"' in page
    client.force_login(cast.member)  # never signed: stopped now, no date
    page = client.get("/").content.decode()
    assert 'data-testid="codex-banner"' in page and 'data-testid="codex-banner-deadline"' not in page
