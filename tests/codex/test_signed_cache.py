"""Whether a person has signed is cached (issue 19): a signature, a withdrawal or a publication shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from codex import selectors, services
from meetings.models import User

from .conftest import revise, sign

pytestmark = pytest.mark.django_db


def _signed(person, version) -> bool:
    return selectors.has_signed(User.objects.get(pk=person.pk), version)


def test_the_answer_is_read_once_then_from_the_cache(cast, version):
    sign(cast.member, version)
    assert _signed(cast.member, version)
    with CaptureQueriesContext(connection) as captured:
        assert _signed(cast.member, version)
    assert not [q for q in captured.captured_queries if "codex_signatureevent" in q["sql"]]


def test_a_signature_and_a_withdrawal_show_at_once(cast, version):
    assert not _signed(cast.member, version)
    signature = sign(cast.member, version)
    assert _signed(cast.member, version)
    services.codex_signature_withdraw(signature=signature, actor=cast.member)
    assert not _signed(cast.member, version)


def test_a_new_version_asks_again_and_an_editorial_one_carries_the_signature(cast, version):
    sign(cast.member, version)
    assert _signed(cast.member, version)
    editorial = revise(cast.administrator, version, change_kind="editorial")
    assert _signed(cast.member, editorial)
    material = revise(cast.administrator, editorial, change_kind="material")
    assert not _signed(cast.member, material)


def test_the_dashboard_banner_goes_once_signed(client_for, cast, version):
    client = client_for(cast.member)
    assert client.get("/").context["codex_banner"]["show"]
    sign(cast.member, version)
    assert not client.get("/").context["codex_banner"]["show"]
