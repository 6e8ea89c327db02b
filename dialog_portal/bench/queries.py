"""Query counts of the key pages, measured in process with Django's test client.

For each page: the status, the number of queries and how many of them ran while a template rendered (those are
lazy lookups a view should have done up front). Run on a database filled by ``seed_scale``.
"""

from __future__ import annotations

import contextlib
import threading

from django.db import connection
from django.template.backends.django import Template as BackendTemplate
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetings.models import User

from .pages import KEY_PAGES, KeyPage

_rendering = threading.local()


@contextlib.contextmanager
def _watch_rendering():
    """Mark when a template renders, so queries run during rendering can be counted."""
    original = BackendTemplate.render

    def render(self, context=None, request=None):
        depth = getattr(_rendering, "depth", 0)
        _rendering.depth = depth + 1
        try:
            return original(self, context, request)
        finally:
            _rendering.depth = depth

    BackendTemplate.render = render
    try:
        yield
    finally:
        BackendTemplate.render = original


def measure_page(page: KeyPage, client: Client | None = None) -> dict:

    client = client or Client()
    email = page.who()
    if email:
        client.force_login(User.objects.get(email=email))
    path = page.path()
    client.get(path, HTTP_HOST="localhost")  # warm up: measure the steady state (cached codex state, sessions)
    in_render = []

    def spy(execute, sql, params, many, context):
        if getattr(_rendering, "depth", 0):
            in_render.append(sql)
        return execute(sql, params, many, context)

    with _watch_rendering(), connection.execute_wrapper(spy), CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST="localhost")
    if email:
        client.logout()
    return {
        "page": page.name,
        "path": path,
        "status": response.status_code,
        "queries": len(captured.captured_queries),
        "queries_while_rendering": len(in_render),
        "bytes": len(response.content),
        # A calendar feed's size in events: its CPU figures are also given per 1,000 events (issue 19).
        "events": response.content.count(b"BEGIN:VEVENT")
        if response.get("Content-Type", "").startswith("text/calendar")
        else None,
    }


def measure_all(pages: list[KeyPage] | None = None) -> list[dict]:
    return [measure_page(page) for page in pages or KEY_PAGES]
