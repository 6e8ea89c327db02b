"""What every signed-in request loads before its view (issue 19): the session, the person, their roles and their
second factor come from the cache, and every change that must end or change a session shows on the next request."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import sessions
from dialog_portal.privacy import person_erase
from meetings.models import person_cached
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def _floor(settings):
    """The bare signed-in view; sessions are ``core.sessions`` in every test (tests/conftest.py)."""
    settings.ROOT_URLCONF = "dialog_portal.bench.urls"


FLOOR = "/bench/signed-in-floor"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(FLOOR).status_code == 200  # and the cache is warm
    return client


def _is_signed_in(client) -> bool:
    response = client.get(FLOOR)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_a_warm_signed_in_request_runs_no_query(cast):
    client = _signed_in(cast.member)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(FLOOR).status_code == 200
    assert captured.captured_queries == []


def test_the_person_is_read_from_the_cache_and_a_change_shows_at_once(cast):
    assert person_cached(cast.member.pk).full_name == cast.member.full_name
    with CaptureQueriesContext(connection) as captured:
        person_cached(cast.member.pk)
    assert captured.captured_queries == []
    cast.member.full_name = "Nyt Navn"
    cast.member.save()
    assert person_cached(cast.member.pk).full_name == "Nyt Navn"


def test_a_new_password_ends_the_other_sessions_at_once(cast):
    elsewhere = _signed_in(cast.member)
    cast.member.set_password("et-helt-nyt-kodeord-2026")
    cast.member.save()
    assert not _is_signed_in(elsewhere)


def test_deactivation_ends_the_session_at_once(cast):
    client = _signed_in(cast.member)
    cast.member.is_active = False
    cast.member.save()
    assert not _is_signed_in(client)


def test_a_deleted_person_is_signed_out_at_once(cast):
    client = _signed_in(cast.outsider)
    cast.outsider.delete()
    assert not _is_signed_in(client)


def test_logout_ends_the_session_in_the_cache_too(cast):
    client = _signed_in(cast.member)
    cookie = client.cookies["sessionid"].value
    assert cache.get(sessions.SessionStore.cache_key_prefix + cookie) is not None
    client.post(reverse("account_logout"))
    assert cache.get(sessions.SessionStore.cache_key_prefix + cookie) is None
    stolen = Client()
    stolen.cookies["sessionid"] = cookie  # the old cookie, replayed
    assert not _is_signed_in(stolen)


def test_erasure_ends_the_cached_sessions_at_once(cast):
    client = _signed_in(cast.outsider)
    cookie = client.cookies["sessionid"].value
    person_erase(person=cast.outsider, actor=cast.administrator)
    assert cache.get(sessions.SessionStore.cache_key_prefix + cookie) is None
    assert not Session.objects.filter(pk=cookie).exists()
    assert not _is_signed_in(client)


def test_the_cached_copy_of_a_session_lives_at_most_five_minutes(cast, monkeypatch):
    """A lost delete (the cache unreachable at logout) cannot keep a session alive for the whole session age."""
    stored = {}
    monkeypatch.setattr(cache, "set", lambda key, value, timeout=None, **kw: stored.update({key: timeout}))
    store = sessions.SessionStore()
    store["x"] = 1
    store.save(must_create=True)
    assert stored[store.cache_key] == sessions.CACHED_SESSION_SECONDS == 300


def test_a_new_seat_shows_on_the_next_request(cast):
    client = _signed_in(cast.outsider)
    factories.MembershipFactory(user=cast.outsider, committee=cast.committee)
    response = client.get(reverse("home"))
    assert response.wsgi_request.user.roles.is_politician


def test_the_two_factor_gate_sees_a_new_and_a_removed_totp_at_once(cast, settings):
    settings.DIALOG_REQUIRE_MFA = True
    client = Client()
    client.force_login(cast.chair)
    page = reverse("meetings:committee-list")
    assert client.get(page).url == reverse("mfa_activate_totp")
    totp = Authenticator.objects.create(user=cast.chair, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DP"})
    assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(FLOOR)
    assert not [q for q in captured.captured_queries if "mfa_authenticator" in q["sql"]]  # cached
    totp.delete()
    assert client.get(page).url == reverse("mfa_activate_totp")


def test_the_two_factor_gate_stays_on_every_request(cast, settings):
    settings.DIALOG_REQUIRE_MFA = True
    client = Client()
    client.force_login(cast.chair)
    for _ in range(3):
        assert client.get(FLOOR).url == reverse("mfa_activate_totp")


def _session_engine(redis_url: str | None) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    if redis_url:
        clean["REDIS_URL"] = redis_url
    code = "import django;django.setup();from django.conf import settings as s;print(s.SESSION_ENGINE)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "dialog_portal.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip()


@pytest.mark.django_db(databases=[])
def test_sessions_are_cached_only_in_a_cache_every_process_shares():
    """Without Redis the cache is per process: a session logged out in one process would live on in the others."""
    assert _session_engine(None) == "django.contrib.sessions.backends.db"
    assert _session_engine("redis://127.0.0.1:6379/15") == "core.sessions"
