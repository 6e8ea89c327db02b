"""Project-level views that belong to no app: liveness, readiness and the error pages."""

import sys

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from .site_pages import site_context

# Errors that mean "the database cannot be reached", not "the code is wrong".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


@never_cache
def liveness(request):
    """For load balancers: the process answers. Touches neither the database nor templates, so the benchmark also
    uses it as the framework's own floor (the fastest page Django can serve in this configuration)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readiness(request):
    """For load balancers and monitoring: can this process serve pages? Checks the database and the cache.
    Answers 503 (and names the failing part) so a balancer takes the process out of rotation."""
    checks = {"database": _check_database(), "cache": _check_cache()}
    ready = all(checks.values())
    return JsonResponse(
        {"ready": ready, "checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()}},
        status=200 if ready else 503,
    )


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def _check_cache() -> bool:
    try:
        cache.set("readiness-probe", "ok", 5)
        return cache.get("readiness-probe") == "ok"
    except Exception:  # the cache backend's own errors (redis.ConnectionError) share no base class
        return False


@requires_csrf_token
def server_error(request):
    """The 500 handler. A database that cannot be reached gets its own answer (503, "try again shortly").
    Both pages render without the request's context, so they never touch the database themselves."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, DATABASE_UNAVAILABLE)
    template = "errors/503_database.html" if unavailable else "500.html"
    html = render_to_string(template, site_context())
    response = HttpResponse(html, status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = "60"
    return response


def csrf_failure(request, reason=""):
    """A translated page instead of Django's English one when a form's CSRF check fails (e.g. an old tab)."""
    html = render_to_string("403_csrf.html", site_context())
    return HttpResponse(html, status=403)


def bad_request(request, exception=None):
    html = render_to_string("400.html", site_context())
    return HttpResponse(html, status=400)
