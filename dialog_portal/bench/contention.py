"""Contention: many politicians try to book the same few visit times at once, through the web server.

``prepare`` (inside Django, on the benchmark database) makes the times and the people; ``storm`` (plain HTTP, no
Django) fires the bookings from threads that start together; ``verify`` counts what the database holds.
"""

from __future__ import annotations

import datetime as dt
import http.client
import random
import re
import threading
import time
import urllib.parse

from django.db import transaction
from django.db.models import F
from django.test import Client
from django.utils import timezone

from codex import selectors as codex_selectors
from codex import services as codex_services
from meetings.models import Committee, CommitteeMembership, User, Visit, VisitOffer, VisitSlot, Workplace
from meetings.workdays import is_working_day

from .bulk import aware

POLITICIANS = 50
SLOTS = 10


def prepare(*, politicians: int = POLITICIANS, slots: int = SLOTS) -> dict:
    """Ten times at ten workplaces of one committee, one place each, all at the same hour (so nobody can hold two),
    and fifty signed-in politicians of that committee who have signed the codex in force."""

    committee = Committee.objects.order_by("pk").first()
    workplaces = list(Workplace.objects.filter(committees=committee).order_by("pk")[:slots])
    day = timezone.localdate() + dt.timedelta(days=45)
    while not is_working_day(day):  # a closed day cannot be booked
        day += dt.timedelta(days=1)
    starts = aware(day, dt.time(10))
    version = codex_selectors.current_version()
    people = []
    with transaction.atomic():
        slot_ids = []
        for workplace in workplaces:
            leader = workplace.roles.filter(role="leader").first().user
            offer = VisitOffer.objects.create(
                workplace=workplace,
                kind="single",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1),
                max_politicians=1,
                created_by=leader,
            )
            slot = VisitSlot.objects.create(
                workplace=workplace,
                offer=offer,
                day=day,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1),
                capacity=1,
            )
            slot_ids.append(slot.pk)
        for n in range(politicians):
            person, _created = User.objects.get_or_create(
                email=f"kapløb{n:02d}@skala.example", defaults={"full_name": f"Kapløb Politiker {n:02d}"}
            )
            CommitteeMembership.objects.get_or_create(user=person, committee=committee, defaults={"role": "member"})
            people.append(person)
    for person in people:
        if version is not None and not codex_selectors.has_signed(person, version):
            codex_services.codex_sign(person=person, version=version, typed_name=person.full_name, has_read=True)
    cookies = []
    for person in people:
        client = Client()
        client.force_login(person)
        cookies.append(client.cookies["sessionid"].value)
    return {"slots": slot_ids, "sessions": cookies}


def storm(base_url: str | list[str], *, slots: list[int], sessions: list[str], seed: int = 7) -> dict:
    """Every politician tries every slot, in their own random order, all starting at the same moment. Given several
    web servers (sharing one database), the politicians are spread over them in turn."""
    servers = [urllib.parse.urlsplit(url) for url in ([base_url] if isinstance(base_url, str) else base_url)]
    barrier = threading.Barrier(len(sessions))
    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def politician(session: str, order: list[int], host) -> None:
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        cookie = f"sessionid={session}"
        prepared = []
        for slot in order:  # fetch each form first: the CSRF token, as a browser would
            connection.request("GET", f"/besoeg/tid/{slot}/book/", headers={"Cookie": cookie})
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            csrf_cookie = _cookie(response, "csrftoken") or _cookie_value(cookie, "csrftoken")
            if csrf_cookie:
                cookie = f"sessionid={session}; csrftoken={csrf_cookie}"
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            prepared.append((slot, token.group(1) if token else ""))
        barrier.wait()
        for slot, token in prepared:
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "purpose": "Se arbejdspladsen i praksis.", "colleague": ""}
            )
            started = time.perf_counter()
            connection.request(
                "POST",
                f"/besoeg/tid/{slot}/book/",
                body=body,
                headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            )
            response = connection.getresponse()
            response.read()
            with lock:
                results.append((response.status, (time.perf_counter() - started) * 1000))
        connection.close()

    rng = random.Random(seed)
    threads = []
    for n, session in enumerate(sessions):
        order = list(slots)
        rng.shuffle(order)
        threads.append(threading.Thread(target=politician, args=(session, order, servers[n % len(servers)])))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    booked = [ms for status, ms in results if status == 302]
    refused = sorted(ms for status, ms in results if status == 200)
    return {
        "politicians": len(sessions),
        "places": len(slots),
        "attempts": len(results),
        "answered_booked": len(booked),
        "answered_refused": len(refused),
        "server_errors": sum(1 for status, _ms in results if status >= 500),
        "other": sum(1 for status, _ms in results if status not in (200, 302) and status < 500),
        "refused_p95_ms": round(refused[int(len(refused) * 0.95) - 1], 1) if refused else None,
    }


def verify(*, slots: list[int]) -> dict:

    bookers = list(Visit.objects.active().filter(slot_id__in=slots).values_list("booked_by", flat=True))
    return {
        "bookings_in_database": len(bookers),
        "politicians_with_two": len(bookers) - len(set(bookers)),
        "slots_over_capacity": VisitSlot.objects.filter(pk__in=slots, booked_count__gt=F("capacity")).count(),
    }


def _cookie(response, name: str) -> str:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return ""


def _cookie_value(cookie: str, name: str) -> str:
    for part in cookie.split("; "):
        if part.startswith(f"{name}="):
            return part.split("=", 1)[1]
    return ""
