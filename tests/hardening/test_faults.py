"""Fault drills against real services: the broker goes down, a task is delivered twice, the database goes away,
and two web servers share one database. Each drill records its figures for the README (tests/hardening/figures.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import OperationalError, connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from core.models import OutboxMessage
from core.outbox import outbox_flush
from core.tasks import deliver_outbox_message
from dialog_portal.bench.load import free_port, gunicorn
from dialog_portal.celery import app
from meetings.models import RotationPlan, Visit, VisitSlot
from meetings.rotation import services as rotation_services
from meetings.rotation.services import RotationError
from tests import factories
from tests.agreements.conftest import make_agreement, sign
from tests.conftest import IN_CI
from tests.hardening.figures import record

ROOT = Path(__file__).resolve().parents[2]


class SpareRedis:
    """A real Redis of the drill's own on a free port, so it can be stopped and started while the shared one
    (the CI's broker and cache) stays up."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process = None

    def start(self):
        binary = shutil.which("redis-server")
        assert binary, "the fault drills need redis-server (scripts/services installs it)"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return
            time.sleep(0.05)
        raise RuntimeError("the spare Redis did not start")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@contextlib.contextmanager
def celery_on(broker_url: str):
    """Point the Celery app's producer at another broker for the drill, and back afterwards."""
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = {}
    app.conf.task_always_eager = False
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager = saved
        reset_pools()


def _wait_until(condition, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the worker")


# --- Broker down ----------------------------------------------------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_booking_signing_and_publishing_succeed_and_every_notice_arrives_once(
    cast, rotation, settings, tmp_path
):
    redis = SpareRedis(tmp_path)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {
        "default": {"BACKEND": "dialog_portal.cache.ResilientRedisCache", "LOCATION": redis.url},
    }
    with celery_on(redis.url):
        # Nothing listens on the broker's port: Redis (broker and cache) is down.
        slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
        client = Client()
        client.force_login(cast.member)
        booked = client.post(reverse("meetings:visit-create", args=[slot.pk]), {"purpose": "Se sprogarbejdet"})
        assert booked.status_code == 302, "booking must succeed with the broker down"
        agreement = make_agreement(cast, Agreement.Status.APPROVED)
        sign(agreement, cast.leader, "workplace")
        sign(agreement, cast.chair, "committee")
        agreement.refresh_from_db()
        assert agreement.status in (Agreement.Status.SIGNED, Agreement.Status.ACTIVE)
        plan = rotation_services.rotation_plan_draft(
            committee=cast.committee, year=rotation.year, actor=cast.administrator
        )
        meetings = rotation_services.rotation_plan_publish(plan=plan, actor=cast.administrator)
        assert meetings and RotationPlan.objects.get(pk=plan.pk).status == RotationPlan.Status.PUBLISHED

        kept = list(OutboxMessage.objects.order_by("pk"))
        assert len(kept) >= 4
        assert all(m.delivered_at is None and m.dispatched_at is None and m.last_error for m in kept)
        assert mail.outbox == []
        handlers = {m.handler.rsplit(".", 1)[-1] for m in kept}
        assert {"visit_mail_send", "plan_published_send"} <= handlers

        # The broker comes back: the flush hands every kept notice over, a real worker delivers them.
        redis.start()
        try:
            assert outbox_flush() == len(kept)
            with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
                _wait_until(lambda: not OutboxMessage.objects.filter(delivered_at__isnull=True).exists())
                sent = len(mail.outbox)
                # Every message handed over again (a retry, a redelivery): nothing is sent twice.
                results = [deliver_outbox_message.delay(m.pk) for m in kept]
                _wait_until(lambda: all(r.ready() for r in results))
                assert [r.get(timeout=10) for r in results] == [False] * len(kept)
        finally:
            redis.stop()
    assert sent > 0
    assert len(mail.outbox) == sent
    assert list(OutboxMessage.objects.values_list("attempts", flat=True)) == [1] * len(kept)
    record("broker_down", notices_kept=len(kept), notices_delivered=len(kept), mails_sent=sent, sent_twice=0)


@pytest.mark.django_db
def test_an_unreachable_cache_is_a_miss_not_an_error(cast, client_for, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "dialog_portal.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    from django.core.cache import cache

    assert cache.get("anything", "fallback") == "fallback"
    assert cache.add("key", 1) is False
    cache.set("key", 1)
    assert client_for(cast.member).get(reverse("home")).status_code == 200
    assert Client().get(reverse("readiness")).status_code == 503


# --- A task delivered twice ------------------------------------------------------------------------------------


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    for name, task in app.tasks.items():
        if name.startswith(("core.", "meetings.", "codex.", "agreements.")):
            assert task.acks_late, f"{name} must be acknowledged late"


@pytest.mark.django_db
def test_a_planning_run_delivered_twice_plans_once(cast, rotation):
    run = rotation_services.planning_run_start(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    message = OutboxMessage.objects.get(handler__endswith=".planning_run_execute", kwargs__run_id=run.pk)
    assert deliver_outbox_message(message.pk) is True
    first = RotationPlan.objects.get(committee=cast.committee, year=rotation.year)
    rows = list(first.meetings.values_list("date", "host_id"))
    # The worker died before acknowledging: the broker hands the message out again, and the handler runs again.
    assert deliver_outbox_message(message.pk) is False
    rotation_services.planning_run_execute(run_id=run.pk)
    assert RotationPlan.objects.filter(committee=cast.committee, year=rotation.year).count() == 1
    assert list(RotationPlan.objects.get(pk=first.pk).meetings.values_list("date", "host_id")) == rows


@pytest.mark.django_db
def test_publishing_delivered_twice_creates_the_meetings_once(cast, rotation, django_capture_on_commit_callbacks):
    plan = rotation_services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        meetings = rotation_services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    sent = len(mail.outbox)
    message = OutboxMessage.objects.get(handler__endswith="plan_published_send")
    assert deliver_outbox_message(message.pk) is False  # redelivered after a crash: already done
    assert len(mail.outbox) == sent
    with pytest.raises(RotationError):
        rotation_services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    assert plan.meetings.count() == len(meetings)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_loses_nothing_and_sends_nothing_twice(cast, tmp_path):
    """A real worker process is killed (SIGKILL) while it delivers a notice. The message was acknowledged late,
    so the broker hands it to the next worker, which delivers it once."""
    _needs_a_database_server()
    redis = SpareRedis(tmp_path)
    redis.start()
    mails = tmp_path / "mails"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": redis.url,
        "CELERY_RESULT_BACKEND": redis.url,
        "CELERY_VISIBILITY_TIMEOUT": "2",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "EMAIL_URL": f"filemail:///{mails}",  # an absolute path after the scheme
        "DIALOG_TEST_SLOW_HANDLER_SECONDS": "30",
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "dialog_portal.settings",
    }
    from core.outbox import outbox_dispatch

    message = OutboxMessage.objects.create(
        handler="tests.hardening.handlers.slow_mail", kwargs={"to": cast.leader.email}
    )
    try:
        with celery_on(redis.url):
            assert outbox_dispatch(message.pk) is True
        first = _worker(env, tmp_path / "first.log")
        _wait_until(lambda: OutboxMessage.objects.get(pk=message.pk).attempts == 0 and _started(tmp_path), timeout=60)
        first.kill()  # mid-task, before the acknowledgement
        first.wait(timeout=10)
        assert not mails.exists() or not any(mails.iterdir())
        env["DIALOG_TEST_SLOW_HANDLER_SECONDS"] = "0"
        second = _worker(env, tmp_path / "second.log")
        try:
            _wait_until(lambda: OutboxMessage.objects.get(pk=message.pk).delivered_at is not None, timeout=90)
            time.sleep(1)  # a second delivery, were there one, would land now
        finally:
            second.terminate()
            second.wait(timeout=20)
    finally:
        redis.stop()
    assert len(list(mails.iterdir())) == 1
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1
    record("worker_killed", tasks_killed_mid_run=1, redelivered=1, mails_sent=1)


def _needs_a_database_server():
    """Drills with several processes need a database they can all reach: PostgreSQL, as in CI and production.
    (The test database on SQLite lives in this process's memory.)"""
    if connection.vendor != "postgresql":
        assert not IN_CI, "CI runs the multi-process drills on PostgreSQL"
        pytest.skip("needs PostgreSQL: run with CI=true")


def _database_url() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    return f"sqlite:///{settings_dict['NAME']}"


def _started(tmp_path: Path) -> bool:
    return (tmp_path / "started").exists()


def _worker(env: dict, log_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "dialog_portal", "worker", "--pool", "solo", "--loglevel", "INFO"],
        cwd=ROOT,
        env={**env, "DIALOG_TEST_STARTED_FILE": str(log_path.parent / "started")},
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )


# --- The database goes away --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def collected_static():
    """gunicorn with DJANGO_DEBUG=false serves static files from the manifest that collectstatic writes; without it
    every page that links a stylesheet fails. Collect once, whichever test ran before (the benchmark does it too);
    the other test process (pytest-xdist) may be collecting into the same folder: wait for it under a lock."""
    manifest = Path(settings.BASE_DIR) / "staticfiles" / "staticfiles.json"
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    with (Path(settings.VAR_DIR) / "collectstatic.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not manifest.exists():
            _collectstatic()
    return manifest


def _collectstatic() -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "collect-" + "x" * 60,
            "DIALOG_MFA_KEY": "ZHJpbGwtb25seS1tZmEta2V5LTAxMjM0NTY3ODlhYmM=",
            "DIALOG_CHAIN_KEY": "drill-chain-" + "y" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        },
        check=True,
        timeout=300,
    )


def test_with_the_database_unreachable_people_get_a_translated_page_not_a_stack_trace(tmp_path, collected_static):
    """A real web server whose database does not answer: pages say so in Danish (503), the liveness probe still
    answers and the readiness probe takes the server out of the load balancer."""
    dead = f"postgres://postgres@127.0.0.1:{free_port()}/nowhere"
    env = {
        **os.environ,
        "DATABASE_URL": dead,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "drill-" + "x" * 60,
        "DIALOG_MFA_KEY": "ZHJpbGwtb25seS1tZmEta2V5LTAxMjM0NTY3ODlhYmM=",
        "DIALOG_CHAIN_KEY": "drill-chain-" + "y" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SETTINGS_MODULE": "dialog_portal.settings",
    }
    env.pop("REDIS_URL", None)
    with gunicorn(env, workers=2, log_path=tmp_path / "gunicorn.log") as base:
        status, body, headers = _get(base + "/plan/")
        assert status == 503
        assert "Portalen er midlertidigt utilgængelig" in body
        assert "Traceback" not in body and "OperationalError" not in body
        assert headers.get("Retry-After") == "60"
        assert _get(base + "/healthz")[0] == 200
        ready_status, ready_body, _headers = _get(base + "/readyz")
        assert ready_status == 503 and '"database": "unavailable"' in ready_body
    record("database_down", pages_answered_503=1, liveness_ok=True, readiness_503=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["booking", "signing", "publishing"])
def test_a_database_lost_mid_transaction_leaves_no_half_written_state(action, cast, rotation, monkeypatch):
    """The connection dies after the first rows are written and before the commit (on PostgreSQL the server
    really ends it); the person gets the translated 503 page and nothing of the change remains."""
    import core.audit

    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    agreement = make_agreement(cast, Agreement.Status.APPROVED)
    plan = rotation_services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    before = _state()
    original = core.audit.audit_record

    def connection_lost(**kwargs):
        original(**kwargs)  # the change's rows and its audit entry are written, then the database goes away
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, contextlib.suppress(OperationalError):
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        raise OperationalError("server closed the connection unexpectedly")

    for module in ("meetings.visits.services", "agreements.services", "meetings.rotation.services"):
        monkeypatch.setattr(f"{module}.audit_record", connection_lost)
    client = Client(raise_request_exception=False)
    if action == "booking":
        client.force_login(cast.member)
        response = client.post(reverse("meetings:visit-create", args=[slot.pk]), {"purpose": "Se sprogarbejdet"})
    elif action == "signing":
        client.force_login(cast.leader)
        response = client.post(
            reverse("agreements:agreement-sign", args=[agreement.pk]),
            {"side": "workplace", "typed_name": cast.leader.full_name, "has_read": "on"},
        )
    else:
        client.force_login(cast.administrator)
        response = client.post(reverse("meetings:rotation-publish", args=[plan.pk]), {"confirm": "on"})
    connection.close()  # the next query reconnects, as after the database returns
    monkeypatch.undo()
    assert response.status_code == 503, response.status_code
    assert "Portalen er midlertidigt utilgængelig" in response.content.decode()
    assert _state() == before
    record(f"database_lost_mid_{action}", half_written_rows=0)


def _state() -> dict:
    from agreements.models import AgreementSignature
    from core.models import AuditEntry
    from meetings.models import Meeting

    return {
        "visits": Visit.objects.count(),
        "booked_seats": sum(VisitSlot.objects.values_list("booked_count", flat=True)),
        "signatures": AgreementSignature.objects.count(),
        "meetings": Meeting.objects.count(),
        "published": RotationPlan.objects.filter(status=RotationPlan.Status.PUBLISHED).count(),
        "outbox": OutboxMessage.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


# --- Two web servers, one database --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_web_servers_sharing_the_database_never_book_beyond_capacity(cast, tmp_path, collected_static):
    _needs_a_database_server()
    from dialog_portal.bench import contention
    from meetings.models import CommitteeMembership, VisitOffer

    starts = factories.next_weekday_at(10, days_ahead=30)  # a working day: closed days cannot be booked
    day = timezone.localtime(starts).date()
    slots = []
    for n in range(5):
        workplace = factories.WorkplaceFactory(slug=f"drill-{n}", committees=[cast.committee])
        offer = VisitOffer.objects.create(
            workplace=workplace,
            kind="single",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            max_politicians=2,
            created_by=cast.leader,
        )
        slots.append(
            VisitSlot.objects.create(
                workplace=workplace, offer=offer, day=day, starts_at=starts, ends_at=offer.ends_at, capacity=2
            ).pk
        )
    sessions = []
    for n in range(24):
        person = factories.UserFactory(email=f"drill{n}@dalby.example")
        factories.MembershipFactory(user=person, committee=cast.committee, role=CommitteeMembership.Role.MEMBER)
        client = Client()
        client.force_login(person)
        sessions.append(client.cookies["sessionid"].value)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "dialog_portal.settings",
    }
    with (
        gunicorn(env, workers=2, log_path=tmp_path / "a.log") as first,
        gunicorn(env, workers=2, log_path=tmp_path / "b.log") as second,
    ):
        storm = contention.storm([first, second], slots=slots, sessions=sessions)
    held = contention.verify(slots=slots)
    assert storm["server_errors"] == 0
    assert held["slots_over_capacity"] == 0
    assert held["politicians_with_two"] == 0  # all the times are at the same hour
    assert held["bookings_in_database"] == 10 == storm["answered_booked"]
    assert VisitSlot.objects.filter(pk__in=slots, booked_count=F("capacity")).count() == 5
    record(
        "two_web_servers",
        servers=2,
        politicians=len(sessions),
        places=10,
        attempts=storm["attempts"],
        bookings=held["bookings_in_database"],
        server_errors=storm["server_errors"],
    )


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (a local test server)
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_drill_page_texts_are_translated():
    """The texts the drills look for are the Danish catalogue's, not typed into the test by hand."""
    from django.utils import translation

    with translation.override("da"):
        assert translation.gettext("The portal is briefly unavailable") == "Portalen er midlertidigt utilgængelig"
    assert re.search("midlertidigt utilgængelig", (ROOT / "locale/da/LC_MESSAGES/django.po").read_text())
