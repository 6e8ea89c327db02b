"""Why a page misses its CPU target: a cProfile of a few requests, broken down into buckets anyone can read.

After the measured rounds (never inside them) the benchmark asks, in a subprocess with the worker's settings and
database (``manage.py benchmark --part profile``), for each key page whose CPU is above ``cpu_x_floor`` times the
anonymous floor, and for each feed whose CPU built anew is above its target per 1,000 events (its kept parts let go
before each request, outside the profiler): it calls the WSGI handler itself, as gunicorn would, ``requests`` times
under ``cProfile``.

Every function's own time goes to one bucket (``BUCKETS``). A function of Django, of a library or of the project is
classified by its file (and a C function by its name: a cursor's ``execute`` is a database round trip); one that
says nothing by itself (the standard library, a built-in such as ``len`` or ``re``'s matching) takes the buckets of
its callers, in proportion to the time spent on behalf of each, so ``re`` called by the template engine counts as
template rendering and a socket read under the Redis client as a cache round trip. What no classified caller claims
is "other".

The profiler uses the wall clock (cProfile's default; a CPU clock would cost far more a call), so "database round
trips" include the time the database takes to answer; and it slows call-heavy code more than the rest, so the
milliseconds are larger than the measured CPU figures: the shares are what to read.
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# (key, label for the table, the cause in words)
BUCKETS = (
    ("middleware", "middleware, session, auth", "the middleware, session and authentication"),
    ("view", "view (project code)", "the view's own Python (the project's code)"),
    ("sql", "ORM: building SQL", "building and compiling SQL in the ORM"),
    ("orm", "ORM: querysets, rows to objects", "the ORM's querysets, model instances and fields"),
    ("database", "database round trips", "database round trips"),
    ("template", "templates", "template rendering"),
    ("i18n", "translation, formatting", "translation and formatting"),
    ("cache", "cache round trips", "cache round trips"),
    ("urls", "URL reversing, routing", "reversing and resolving URLs"),
    ("other", "other", "other Python (request handling, the standard library, libraries)"),
)
BUCKET_KEYS = tuple(key for key, _label, _words in BUCKETS)
TOP_FUNCTIONS = 5

# C functions (cProfile names them "<method 'execute' of 'psycopg2.extensions.cursor' objects>") by a part of the
# name; the first match wins.
_BUILTINS = (
    ("psycopg", "database"),
    ("sqlite3", "database"),
    ("_pickle", None),  # pickling is whoever's: cache or session, decided by the caller
)
# Files by a part of their path; the first match wins. Paths use "/" (also on Windows, below).
_FILES = (
    ("middleware", "middleware"),
    ("/django/contrib/sessions/", "middleware"),
    ("/django/contrib/auth/", "middleware"),
    ("/django/contrib/messages/", "middleware"),
    ("/django/core/handlers/", "middleware"),
    ("/allauth/", "middleware"),
    ("/django/core/cache/", "cache"),
    ("/django_redis/", "cache"),
    ("/redis/", "cache"),
    ("/django/db/backends/", "database"),
    ("/psycopg", "database"),
    ("/django/db/models/sql/", "sql"),
    ("/django/db/models/expressions.py", "sql"),
    ("/django/db/models/lookups.py", "sql"),
    ("/django/db/models/", "orm"),
    ("/django/db/", "orm"),
    ("/django/template/", "template"),
    ("/templatetags/", "template"),  # Django's and the project's template tags and filters
    ("/django/forms/", "template"),  # forms render through templates in the pages measured
    ("/django/utils/translation/", "i18n"),
    ("/django/utils/formats.py", "i18n"),
    ("/django/utils/dateformat.py", "i18n"),
    ("/django/utils/numberformat.py", "i18n"),
    ("/django/utils/timezone.py", "i18n"),
    ("/gettext.py", "i18n"),
    ("/babel/", "i18n"),
    ("/django/urls/", "urls"),
    ("/django/utils/html.py", "template"),  # escaping, as the templates ask for it
    ("/django/utils/safestring.py", "template"),
    # Helpers that say nothing by themselves (lazy objects, context-local storage): their callers decide.
    ("/django/utils/functional.py", None),
    ("/django/utils/connection.py", None),
    ("/django/utils/datastructures.py", None),
    ("/django/utils/encoding.py", None),
    ("/asgiref/", None),
    ("/django/", "other"),
)


def classify(function: tuple[str, int, str]) -> str | None:
    """The bucket of one pstats function key (file, line, name) by itself, or None when its callers decide."""
    filename, _line, name = function
    if filename == "~":  # a C function
        for part, bucket in _BUILTINS:
            if part in name:
                return bucket
        return None
    path = filename.replace("\\", "/")
    for part, bucket in _FILES:
        if part in path:
            return bucket
    if path.startswith(str(ROOT).replace("\\", "/") + "/") and "-packages/" not in path:
        return "view"
    return None


def _shares(function, raw: dict, memo: dict, active: set) -> dict[str, float]:
    """The buckets of ``function`` as fractions that add up to 1: its own, or its callers' (recursively)."""
    if function in memo:
        return memo[function]
    bucket = classify(function)
    if bucket is not None:
        memo[function] = {bucket: 1.0}
        return memo[function]
    if function in active:  # a cycle (a function that calls itself through others): the other callers decide
        return {}
    callers = raw.get(function, (0, 0, 0, 0, {}))[4]
    if not callers:
        return {"other": 1.0}
    active.add(function)
    # Each caller's weight: the own time of ``function`` spent when called from it (its call count if all are 0).
    weights = {caller: figures[2] for caller, figures in callers.items()}
    if not any(weights.values()):
        weights = {caller: figures[1] for caller, figures in callers.items()}
    out: dict[str, float] = {}
    for caller, weight in weights.items():
        for bucket, share in _shares(caller, raw, memo, active).items():
            out[bucket] = out.get(bucket, 0.0) + share * weight
    active.discard(function)
    total = sum(out.values())
    out = {bucket: value / total for bucket, value in out.items()} if total else {"other": 1.0}
    memo[function] = out
    return out


def _label(function: tuple[str, int, str]) -> str:
    """A short name: ``meetings/views.py:12(dashboard)``, ``redis/connection.py:80(read)`` or the C function's."""
    filename, line, name = function
    if filename == "~":
        return name
    path = filename.replace("\\", "/")
    for marker in ("-packages/", str(ROOT).replace("\\", "/") + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    else:
        path = re.split(r"/lib/python\d+\.\d+/", path)[-1]  # the standard library: re/__init__.py
    return f"{path}:{line}({name})"


def _djangos(filename: str) -> bool:
    """Django's own code, or asgiref's (the context-local storage Django reads its language and connections from)."""
    path = filename.replace("\\", "/")
    return "/django/" in path or "/asgiref/" in path


def breakdown(stats: pstats.Stats, requests: int) -> dict:
    """The buckets (ms a request and % of the profiled time) and the top functions outside Django by own time."""
    raw = stats.stats  # {(file, line, name): (primitive calls, calls, own time, cumulative time, callers)}
    memo: dict = {}
    seconds = dict.fromkeys(BUCKET_KEYS, 0.0)
    for function, figures in raw.items():
        for bucket, share in _shares(function, raw, memo, set()).items():
            seconds[bucket] += figures[2] * share
    total = sum(seconds.values())
    requests = max(requests, 1)
    buckets = {
        key: {
            "ms": round(seconds[key] * 1000 / requests, 2),
            "percent": round(100 * seconds[key] / total, 1) if total else 0.0,
        }
        for key in BUCKET_KEYS
    }
    outside = sorted(
        (item for item in raw.items() if item[0][0] != "~" and not _djangos(item[0][0])),
        key=lambda item: item[1][2],
        reverse=True,
    )[:TOP_FUNCTIONS]
    top = [
        {
            "function": _label(function),
            "own_ms": round(figures[2] * 1000 / requests, 2),
            "calls": round(figures[1] / requests, 1),
        }
        for function, figures in outside
    ]
    return {"requests": requests, "ms": round(total * 1000 / requests, 2), "buckets": buckets, "top": top}


def dominant(result: dict) -> str:
    """The dominant cause in words: the largest bucket, and the second when it is at least half as large."""
    words = {key: text for key, _label, text in BUCKETS}
    ranked = sorted(result["buckets"].items(), key=lambda item: item[1]["ms"], reverse=True)
    (first, a), (second, b) = ranked[0], ranked[1]
    text = f"{words[first]} ({a['percent']:.0f} %)"
    if b["ms"] >= a["ms"] / 2:
        text += f", then {words[second]} ({b['percent']:.0f} %)"
    return text[0].upper() + text[1:]


def _environ(path: str, cookie: str) -> dict:
    """A WSGI request as gunicorn hands it to Django (HTTPS behind the proxy, on loopback)."""
    path_info, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_COOKIE": cookie,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _request(handler, path: str, cookie: str) -> int:
    status = []
    response = handler(_environ(path, cookie), lambda code, headers, exc_info=None: status.append(code))
    try:
        for _chunk in response:
            pass
    finally:
        if hasattr(response, "close"):
            response.close()
    return int(status[0].split()[0])


def profile_pages(
    targets: list[dict], *, requests: int = 10, warm: int = 3, let_go: Callable[[], None] | None = None
) -> list[dict]:
    """Profile ``requests`` requests of each target ({"page", "path", "cookie"}, and "anew": true for a page to be
    built anew) after ``warm`` unprofiled ones. Before each request of a target built anew, ``let_go`` empties the
    kept pages (outside the profiler), as the measured rounds do."""
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    # As a gunicorn worker does once it has loaded the portal (gunicorn.conf.py): what is loaded is left out of the
    # garbage collector's full collections, which would otherwise land, 100 ms at a time, on whatever function
    # happens to allocate when one is due.
    gc.collect()
    gc.freeze()
    try:
        return _profile(handler, targets, requests=requests, warm=warm, let_go=let_go)
    finally:
        gc.unfreeze()


def _profile(handler, targets: list[dict], *, requests: int, warm: int, let_go) -> list[dict]:
    results = []
    for target in targets:
        anew = bool(target.get("anew")) and let_go is not None
        before = let_go if anew else _nothing
        for _ in range(warm):
            before()
            _request(handler, target["path"], target["cookie"])
        profiler = cProfile.Profile()
        statuses = []
        for _ in range(requests):
            before()
            profiler.enable()
            statuses.append(_request(handler, target["path"], target["cookie"]))
            profiler.disable()
        result = breakdown(pstats.Stats(profiler), requests)
        result["dominant"] = dominant(result)
        page = f"{target['page']} (built anew)" if anew else target["page"]
        results.append({"page": page, "non_200": sum(s != 200 for s in statuses), **result})
    return results


def _nothing() -> None:
    return None


def feeds_over_target(events: dict[str, int], cpu_figures: dict, *, per_1000: float, least_events: int) -> list[str]:
    """The feeds (pages with their number of ``events``) of at least ``least_events`` events whose median CPU built
    anew is above ``per_1000`` ms per 1,000 events, in the report's order."""
    missing = []
    for page in cpu_figures.get("pages", []):
        count = events.get(page["page"]) or 0
        built = ((page.get("anew") or {}).get("cpu_ms") or {}).get("p50")
        if count >= least_events and built is not None and built * 1000 / count > per_1000:
            missing.append(page["page"])
    return missing


def over_target(cpu_figures: dict, target: float) -> list[str]:
    """The pages whose median multiple of the anonymous floor is above ``target``, in the report's order."""
    return [
        page["page"]
        for page in cpu_figures.get("pages", [])
        if (page.get("x_floor", {}).get("anonymous") or {}).get("p50") is not None
        and page["x_floor"]["anonymous"]["p50"] > target
    ]


def section(profiles: dict, target: float) -> list[str]:
    """The README's "Why these pages miss the target" section for one backend: one row a page, then their top
    functions outside Django."""
    pages = profiles.get("pages") or []
    if not pages:
        return []
    lines = [
        f"Why these pages miss the target (server CPU above {target}× the anonymous floor at {profiles['scale']}, or, "
        "for a feed built anew, above its target per 1,000 events, with the multiple it costs built anew): "
        f"a cProfile of {profiles['requests']} requests a page after the measured rounds, in a process with the "
        "worker's settings and database. Each function's own time goes to a bucket (the standard library and "
        "built-ins to their caller's); milliseconds a request under the profiler (wall clock: database round trips "
        "include the database's answer; the profiler inflates call-heavy code), with the share of the total.",
        "",
        "| page | × anonymous floor | profiled ms | "
        + " | ".join(label for _key, label, _words in BUCKETS)
        + " | dominant cause |",
        "|" + "---|" * (len(BUCKETS) + 4),
    ]
    for page in pages:
        cells = [f"{page['buckets'][key]['ms']:.1f} ({page['buckets'][key]['percent']:.0f} %)" for key in BUCKET_KEYS]
        multiple = page.get("x_floor")
        lines.append(
            f"| {page['page']} | {'–' if multiple is None else f'{multiple:.1f}'} | {page['ms']:.1f} | "
            + " | ".join(cells)
            + f" | {page['dominant']} |"
        )
    lines += [
        "",
        "Top Python functions by own time outside Django (ms a request under the profiler, calls a request; "
        "built-ins such as `getattr` are left out, their time is in their callers' buckets above):",
        "",
    ]
    for page in pages:
        top = "; ".join(f"`{f['function']}` {f['own_ms']:.1f} ms ×{f['calls']:g}" for f in page["top"])
        lines.append(f"- {page['page']}: {top}")
    return [*lines, ""]
