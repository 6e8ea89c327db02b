"""The public register is kept in the cache per query string, and every change it shows is on the next request:
a signature, a withdrawal, a new member, an ended role, a new name, a new version (no stale register)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from codex import selectors, services
from meetings.models import CommitteeMembership
from tests import factories

from .conftest import revise, sign

pytestmark = pytest.mark.django_db

REGISTER = "/kodeks/register/"


def _refuse_building(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the register was built although nothing changed")

    monkeypatch.setattr(selectors, "register_counts", refuse)


def _part(response) -> str:
    """The register below its heading (the page around it carries a fresh CSRF token for its language form)."""
    content = response.content.decode()
    return content[content.index('<section aria-labelledby="counts-heading"') : content.rindex("</section>")]


def _signed_list(client, query: str = "") -> str:
    content = client.get(REGISTER + query).content.decode()
    return content.split('data-testid="register-signed"')[1]


def test_an_unchanged_register_is_served_as_kept_with_one_query_of_its_own(client, cast, version, monkeypatch):
    sign(cast.chair, version)
    first = client.get(REGISTER)
    with CaptureQueriesContext(connection) as built:
        selectors.forget_register()
        client.get(REGISTER)
    _refuse_building(monkeypatch)
    with CaptureQueriesContext(connection) as kept:
        again = client.get(REGISTER)
    assert again.status_code == 200
    assert _part(again) == _part(first)
    assert len(kept) == 1  # the signature log's length
    assert len(built) > len(kept)


def test_each_query_string_is_kept_on_its_own(client, cast, version):
    sign(cast.chair, version)
    signed = _part(client.get(REGISTER))
    missing = _part(client.get(REGISTER + "?vis=missing"))
    assert 'data-testid="register-signed"' in signed
    assert 'data-testid="register-missing"' in missing
    assert _part(client.get(REGISTER + "?vis=missing")) == missing
    assert cast.member.full_name in missing.split('data-testid="register-missing"')[1]


def test_the_kept_register_is_html_not_escaped_text(client, cast, version):
    sign(cast.chair, version)
    client.get(REGISTER)
    content = client.get(REGISTER).content.decode()
    assert 'data-testid="register-counts"' in content
    assert "&lt;table" not in content


def test_a_new_signature_shows_at_once(client, cast, version):
    sign(cast.chair, version)
    assert cast.member.full_name not in _signed_list(client)
    sign(cast.member, version)
    assert cast.member.full_name in _signed_list(client)
    assert (
        cast.member.full_name
        not in client.get(REGISTER + "?vis=missing").content.decode().split('data-testid="register-missing"')[1]
    )


def test_a_withdrawn_signature_shows_at_once(client, cast, version):
    signature = sign(cast.chair, version)
    sign(cast.member, version)
    assert cast.member.full_name in _signed_list(client)
    assert cast.chair.full_name in _signed_list(client)
    services.codex_signature_withdraw(signature=signature, actor=cast.chair)
    assert cast.chair.full_name not in _signed_list(client)


def test_a_new_member_a_new_name_and_an_ended_role_show_at_once(client, cast, version):
    sign(cast.chair, version)
    newcomer = factories.UserFactory(full_name="Nynne Nybegynder")
    assert "Nynne Nybegynder" not in client.get(REGISTER + "?vis=missing").content.decode()
    factories.MembershipFactory(user=newcomer, committee=cast.committee)
    assert "Nynne Nybegynder" in client.get(REGISTER + "?vis=missing").content.decode()

    cast.chair.full_name = "Formand Omdøbt"
    cast.chair.save()
    assert "Formand Omdøbt" in _signed_list(client)

    assert cast.committee.name in _signed_list(client)
    membership = CommitteeMembership.objects.get(user=cast.chair)
    membership.end_date = dt.date.today() - dt.timedelta(days=1)
    if membership.start_date > membership.end_date:
        membership.start_date = membership.end_date
    membership.save()
    assert cast.committee.name not in _signed_list(client)


def test_a_new_version_shows_at_once(client, cast, version):
    sign(cast.chair, version)
    assert cast.chair.full_name in _signed_list(client)
    newer = revise(cast.administrator, version, change_kind="material")
    content = client.get(REGISTER).content.decode()
    assert f"Version {newer.number}" in content or f"Version {newer.number}" in content.replace("&quot;", '"')
    assert cast.chair.full_name not in content.split('data-testid="register-signed"')[1]


def test_a_login_does_not_drop_the_kept_register(client, cast, version, monkeypatch):
    sign(cast.chair, version)
    client.get(REGISTER)
    client.force_login(cast.member)  # saves the last login's time only
    client.logout()
    _refuse_building(monkeypatch)
    assert client.get(REGISTER).status_code == 200


def _counts(response) -> str:
    """The register's counts table."""
    content = response.content.decode()
    start = content.index('data-testid="register-counts"')
    return content[start : content.index("</table>", start)]


def test_every_query_string_shares_the_kept_counts(client, cast, version, monkeypatch):
    sign(cast.chair, version)
    counts = _counts(client.get(REGISTER))
    _refuse_building(monkeypatch)  # the list for a new query string is built; the counts are not (issue 19)
    response = client.get(REGISTER + "?vis=missing")
    assert response.status_code == 200
    assert _counts(response) == counts
    assert cast.member.full_name in response.content.decode().split('data-testid="register-missing"')[1]


def test_the_shared_counts_change_at_once_with_a_signature_and_a_new_member(client, cast, version):
    sign(cast.chair, version)
    before = _counts(client.get(REGISTER))
    sign(cast.member, version)
    after = _counts(client.get(REGISTER + "?vis=missing"))  # the counts kept for the old signature log are not used
    assert after != before
    assert _counts(client.get(REGISTER)) == after
    newcomer = factories.UserFactory(full_name="Nynne Nybegynder")
    factories.MembershipFactory(user=newcomer, committee=cast.committee)
    assert _counts(client.get(REGISTER + "?page=1")) != after
