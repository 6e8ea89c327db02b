"""Celery under load: publish a plan of 1,000 meetings, then queue 10,000 notices and let a real worker send them.

``prepare`` and ``queue`` run inside Django on the benchmark database (``manage.py benchmark --part …``); ``drain``
starts a real worker process (``celery -A dialog_portal worker``) and waits until every notice is delivered,
sampling the worker's memory (resident set of the main process and its pool) while it works.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
from django.db import transaction

from core.mail import send_templated_mail
from core.models import OutboxMessage
from core.outbox import outbox_dispatch
from meetings.models import Committee, MeetingDate, MeetingInvitation, PlannedMeeting, User, Workplace
from meetings.rotation import services

MEETINGS = 1_000
NOTICES = 10_000


def one_mail(*, person_id: int, number: int) -> None:
    """An outbox handler for the benchmark: one templated e-mail to one person, like a reminder."""

    person = User.objects.get(pk=person_id)
    send_templated_mail(
        "meetings/email/meeting_notice",
        to=[person.email],
        context={"person": person, "subject": f"Påmindelse {number}", "lines": ["Udvalget mødes hos jer."], "link": ""},
    )


def publish(*, meetings: int = MEETINGS) -> dict:
    """A committee with ``meetings`` dates in one plan (about three years of weekdays), planned and published."""

    admin = User.objects.filter(is_staff=True).order_by("pk").first()
    committee = Committee.objects.create(slug="benchmark-celery", name="Benchmarkudvalget")
    workplaces = list(Workplace.objects.order_by("pk")[:300])
    committee.workplaces.add(*workplaces)
    day, rows = dt.date(2040, 1, 2), []
    while len(rows) < meetings:
        if day.weekday() < 5:
            rows.append(MeetingDate(committee=committee, date=day, start=dt.time(16)))
        day += dt.timedelta(days=1)
    # One plan a year keeps 1,000 dates in one draft: the benchmark's plan spans the year 2040 and on.
    MeetingDate.objects.bulk_create(rows)
    started = time.perf_counter()
    plan = services.rotation_plan_draft(committee=committee, year=2040, actor=admin)
    planned = time.perf_counter() - started
    # The plan holds 2040's dates only; add the later years' dates to it so one publish writes 1,000 meetings.

    later = [r for r in rows if r.date.year > 2040]
    extra = PlannedMeeting.objects.bulk_create(
        PlannedMeeting(plan=plan, date=r.date, start=r.start, host=workplaces[n % len(workplaces)], why="")
        for n, r in enumerate(later)
    )
    # Five guests a meeting, as a committee of a few hundred workplaces would have.
    through = PlannedMeeting.guests.through
    through.objects.bulk_create(
        through(plannedmeeting_id=p.pk, workplace_id=workplaces[(n + k + 1) % len(workplaces)].pk)
        for n, p in enumerate(extra)
        for k in range(min(5, len(workplaces) - 1))
    )
    started = time.perf_counter()
    with transaction.atomic():
        published = services.rotation_plan_publish(plan=plan, actor=admin)
    seconds = time.perf_counter() - started
    return {
        "meetings": len(published),
        "invitations": MeetingInvitation.objects.filter(meeting__committee=committee).count(),
        "plan_seconds": round(planned, 3),
        "publish_seconds": round(seconds, 3),
        "publish_ms_per_meeting": round(1000 * seconds / max(len(published), 1), 3),
    }


def queue(*, notices: int = NOTICES) -> dict:
    """Queue ``notices`` outbox messages and hand them to the broker, as services do after commit."""

    people = list(User.objects.order_by("pk").values_list("pk", flat=True)[:500])
    started = time.perf_counter()
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            handler="dialog_portal.bench.celery_bench.one_mail",
            kwargs={"person_id": people[n % len(people)], "number": n},
        )
        for n in range(notices)
    )
    written = time.perf_counter() - started
    started = time.perf_counter()
    handed = sum(1 for m in messages if outbox_dispatch(m.pk))
    dispatched = time.perf_counter() - started
    return {
        "notices": notices,
        "handed_to_broker": handed,
        "write_seconds": round(written, 3),
        "queue_seconds": round(dispatched, 3),
        "queue_ms_per_notice": round(1000 * dispatched / max(notices, 1), 3),
        "first_id": messages[0].pk,
        "last_id": messages[-1].pk,
    }


def pending(first_id: int, last_id: int) -> int:

    return OutboxMessage.objects.filter(pk__gte=first_id, pk__lte=last_id, delivered_at__isnull=True).count()


def _pending_direct(database_url: str, first_id: int, last_id: int) -> int:
    """Count undelivered notices with a plain connection: cheap enough to poll without disturbing the worker."""
    sql = "SELECT COUNT(*) FROM meetings_outboxmessage WHERE id BETWEEN %s AND %s AND delivered_at IS NULL"
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30) as connection:
            return connection.execute(sql.replace("%s", "?"), (first_id, last_id)).fetchone()[0]

    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(sql, (first_id, last_id))
        return cursor.fetchone()[0]


def _rss_kb(pid: int) -> int:
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        pids += [int(p) for p in children.split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def drain(env: dict, *, first_id: int, last_id: int, notices: int, timeout: float = 900, concurrency: int = 2) -> dict:
    """Start a real worker and wait until every queued notice is delivered; report time per notice and memory."""
    root = Path(__file__).resolve().parents[2]
    command = [
        str(Path(sys.executable).with_name("celery")),
        "-A",
        "dialog_portal",
        "worker",
        f"--concurrency={concurrency}",
        "--loglevel=WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    worker = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    started = time.perf_counter()
    peak = 0
    left = notices
    try:
        while time.perf_counter() - started < timeout:
            time.sleep(0.5)
            peak = max(peak, _rss_kb(worker.pid))
            left = _pending_direct(env["DATABASE_URL"], first_id, last_id)
            if left == 0:
                break
        seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    return {
        "delivered": notices - left,
        "seconds": round(seconds, 1),
        "ms_per_notice": round(1000 * seconds / max(notices - left, 1), 2),
        "worker_peak_rss_mb": round(peak / 1024, 1),
        "worker_concurrency": concurrency,
        "cpus": os.cpu_count(),
    }
