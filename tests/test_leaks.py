"""Smaller leaks: feed tokens and set-password keys stay out of the logs, signed-in pages and downloads are not
cached, `make run` serves only this machine unless told, and a huge number in a filter is not a 500."""

import contextlib
import io
import logging
import os
import stat
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from dialog_portal.bench.load import free_port, gunicorn
from dialog_portal.log_filters import mask_secrets
from meetings.models import CalendarFeedToken

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "Hemmelig-Kalender-Token-123"


# --- Tokens in logs ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_not_found_line_for_a_feed_masks_its_token(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/kalender/feed/{TOKEN}.ics")

    assert response.status_code == 404
    assert "Not Found: /kalender/feed/********.ics" in caplog.text
    assert TOKEN not in caplog.text


@pytest.mark.django_db
def test_a_known_token_is_masked_too_while_the_feed_still_answers(client, cast, caplog):
    feed = CalendarFeedToken.objects.create(person=cast.chair)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("django.request").warning("Slow: %s", f"/kalender/feed/{feed.token}.ics")
        response = client.get(reverse("meetings:calendar-feed", args=[feed.token]))

    assert response.status_code == 200
    assert feed.token not in caplog.text


def test_runservers_access_log_masks_tokens_and_set_password_keys():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    server_log = logging.getLogger("django.server")
    server_log.addHandler(handler)
    try:
        server_log.info('"%s" %s %s', f"GET /kalender/feed/{TOKEN}.ics HTTP/1.1", "200", "512")
        server_log.info('"%s" %s %s', "GET /konto/password/reset/key/4-cbm1z0-0a1b2c3d4e5f/ HTTP/1.1", "302", "0")
    finally:
        server_log.removeHandler(handler)

    written = stream.getvalue()
    assert '"GET /kalender/feed/********.ics HTTP/1.1" 200 512' in written
    assert '"GET /konto/password/reset/key/********/ HTTP/1.1" 302 0' in written
    assert TOKEN not in written and "0a1b2c3d4e5f" not in written


def test_masking_leaves_other_addresses_alone():
    assert mask_secrets("GET /kalender/ HTTP/1.1") == "GET /kalender/ HTTP/1.1"
    assert mask_secrets("GET /plan/boern-og-unge.ics") == "GET /plan/boern-og-unge.ics"


def test_gunicorns_access_log_masks_the_feed_token(tmp_path):
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        # No database is needed to write the access line: the page answers 503, the line is still written.
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nowhere",
        "GUNICORN_CMD_ARGS": f"--access-logfile {access_log}",
        "DJANGO_SETTINGS_MODULE": "dialog_portal.settings",
    }
    env.pop("REDIS_URL", None)
    # The page answers 503 or 404 (an OSError here): only the log line matters.
    with gunicorn(env, workers=1, log_path=tmp_path / "gunicorn.log") as base, contextlib.suppress(OSError):
        urllib.request.urlopen(f"{base}/kalender/feed/{TOKEN}.ics", timeout=30)  # noqa: S310

    written = access_log.read_text()
    assert "/kalender/feed/********.ics" in written
    assert TOKEN not in written


# --- Cache-Control --------------------------------------------------------------------------------------------------


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.django_db
def test_signed_in_pages_are_private_and_not_stored(client_for, cast):
    response = client_for(cast.chair).get(reverse("home"))

    assert {"private", "no-store"} <= _cache_control(response)
    assert "public" not in _cache_control(response)


@pytest.mark.django_db
def test_a_signed_in_person_on_a_public_page_gets_it_private(client_for, cast):
    response = client_for(cast.chair).get(reverse("meetings:public-plan-index"))

    assert {"private", "no-store"} <= _cache_control(response)


@pytest.mark.django_db
def test_csv_exports_and_calendar_downloads_are_private(client_for, cast):
    client = client_for(cast.administrator)

    export = client.get(reverse("meetings:visit-export"))

    assert export["Content-Type"].startswith("text/csv")
    assert {"private", "no-store"} <= _cache_control(export)


@pytest.mark.django_db
def test_public_pages_and_the_public_feed_keep_their_caching_for_visitors(client, cast):
    page = client.get(reverse("meetings:public-plan-index"))
    feed = client.get(reverse("meetings:public-feed", args=[cast.committee.slug]))

    assert "no-store" not in _cache_control(page) and "private" not in _cache_control(page)
    assert _cache_control(feed) == {"public", "max-age=900"}


@pytest.mark.django_db
def test_the_personal_feed_keeps_its_own_private_policy_for_calendar_apps(client, cast):
    feed = CalendarFeedToken.objects.create(person=cast.chair)

    response = client.get(reverse("meetings:calendar-feed", args=[feed.token]))

    assert _cache_control(response) == {"private", "max-age=300"}


@pytest.mark.django_db
def test_a_download_without_a_policy_of_its_own_is_made_private(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from dialog_portal.middleware import PrivateCacheMiddleware

    request = rf.get("/x.ics")
    request.user = AnonymousUser()

    response = PrivateCacheMiddleware(lambda r: HttpResponse("BEGIN:VCALENDAR", content_type="text/calendar"))(request)

    assert {"private", "no-store"} <= _cache_control(response)


# --- make run ----------------------------------------------------------------------------------------------------


def _run_script(tmp_path, **env) -> list[str]:
    """scripts/run in a copy of the project where python, celery and the bootstrap are stand-ins that note how they
    were called; returns the arguments the stand-in python got for runserver."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run").write_text((ROOT / "scripts" / "run").read_text())
    calls = tmp_path / "calls.txt"
    stand_in = f'#!/bin/sh\necho "$@" >> {calls}\n'
    for path in ("scripts/bootstrap", ".venv/bin/python", ".venv/bin/celery"):
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(stand_in)
        target.chmod(target.stat().st_mode | stat.S_IEXEC)
    clean = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT"}}
    subprocess.run(["bash", str(tmp_path / "scripts" / "run")], env={**clean, **env}, check=True, timeout=60)
    return next(line.split() for line in calls.read_text().splitlines() if line.startswith("manage.py runserver"))


def test_make_run_serves_only_this_machine_by_default(tmp_path):
    assert _run_script(tmp_path) == ["manage.py", "runserver", "127.0.0.1:8000"]


def test_make_run_serves_the_network_when_host_is_given(tmp_path):
    assert _run_script(tmp_path, HOST="0.0.0.0", PORT="8080") == ["manage.py", "runserver", "0.0.0.0:8080"]  # noqa: S104


# --- Huge numbers in filters ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_huge_person_number_in_the_visit_filter_is_ignored_not_a_500(client_for, cast):
    from tests import factories
    from tests.meetings.visits.conftest import book

    book(factories.VisitSlotFactory(workplace=cast.workplace), cast.member)
    client = client_for(cast.administrator)

    page = client.get(reverse("meetings:visit-admin-list"), {"person": "9999999999999999999"})
    export = client.get(reverse("meetings:visit-export"), {"person": "9999999999999999999", "status": "nonsense"})

    assert page.status_code == export.status_code == 200
    assert cast.member.full_name in page.content.decode()  # the filter is left out, not matched against nobody
    assert export.content == client.get(reverse("meetings:visit-export")).content


def test_with_the_database_down_a_session_cookie_is_enough_to_keep_the_page_private(rf):
    from django.db import OperationalError
    from django.http import HttpResponse
    from django.utils.functional import SimpleLazyObject

    from dialog_portal.middleware import PrivateCacheMiddleware

    def unreachable():
        raise OperationalError("the database does not answer")

    request = rf.get("/")
    request.COOKIES["sessionid"] = "abc"
    request.user = SimpleLazyObject(unreachable)

    response = PrivateCacheMiddleware(lambda r: HttpResponse("503", status=503))(request)

    assert {"private", "no-store"} <= _cache_control(response)
