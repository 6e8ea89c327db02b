"""Every page's filters and addresses with numbers too big, negative or not numbers at all: never a 500.

For every page the permission matrix lets someone read, the drill opens it as that person, collects the names of
its query parameters (the GET forms' fields, the links' query strings, and those the views read), and sends each
with hostile values. Every number in an address is also tried far beyond any id.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest
from django.conf import settings
from django.urls import reverse

from .figures import record
from .test_permission_matrix import ALLOW, CASES, ROLES, url_patterns

pytestmark = pytest.mark.django_db

HOSTILE = ("9999999999999999999", "-9999999999999999999", "abc")
# Read by views from the query string directly (grep request.GET), whether or not a page links them.
KNOWN = {"page", "person", "arbejdsplads", "status", "fra", "udvalg", "vis", "kun", "year", "occasion", "next"}
RESULTS = {"pages": 0, "requests": 0, "parameters": 0}


class _Names(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._get_form and attrs.get("name"):
            self.names.add(attrs["name"])
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            self.names.update(name for name, _ in parse_qsl(urlparse(attrs["href"]).query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._get_form = False


def _readable_pages():
    """(name, item, role): each page with the first role the matrix lets read it."""
    for name, item in CASES:
        role = next((r for r in ROLES if item.get[r] == ALLOW), None)
        if role is not None:
            yield name, item, role


PAGES = list(_readable_pages())
PAGE_IDS = [f"{name}[{item.variant}]" if item.variant else name for name, item, _role in PAGES]


@pytest.fixture(scope="module", autouse=True)
def _record_figures():
    yield
    record("huge numbers", **RESULTS)


@pytest.mark.parametrize(
    ("name", "item", "role"), PAGES, ids=[f"{n}{'[' + i.variant + ']' if i.variant else ''}" for n, i, _ in PAGES]
)
def test_hostile_numbers_in_a_pages_filters_never_give_a_500(client, world, name, item, role):
    client.raise_request_exception = False  # a crash is an answer here: 500
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    url = reverse(name, kwargs=item.kwargs(world))
    page = client.get(url)
    # A public redirect (``/was``) is a readable page too: it must not send this role to the login page.
    redirected = page.status_code in (301, 302) and reverse("account_login") not in page["Location"]
    assert page.status_code == 200 or redirected, f"{url} as {role}: {page.status_code}"
    names = set(KNOWN)
    if page.get("Content-Type", "").startswith("text/html"):
        parser = _Names()
        parser.feed(page.content.decode())
        names |= parser.names - {"csrfmiddlewaretoken"}
    RESULTS["pages"] += 1
    RESULTS["parameters"] += len(names)
    failures = []
    for parameter in sorted(names):
        for value in HOSTILE:
            response = client.get(f"{url}?{urlencode({parameter: value})}")
            RESULTS["requests"] += 1
            if response.status_code >= 500:
                failures.append(f"?{parameter}={value}: {response.status_code}")
    assert not failures, f"{url} as {role}: " + "; ".join(failures)


INT_IN_ROUTE = re.compile(r"<int:(\w+)>")
SAMPLE_PARTS = {"month": "01"}


def test_numbers_far_beyond_any_id_in_an_address_give_404_not_500(client, world):
    client.raise_request_exception = False
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["administrator"]
    named, _unnamed, _excluded = url_patterns()
    failures = []
    for name, route in sorted(named.items()):
        ints = INT_IN_ROUTE.findall(route)
        if not ints:
            continue
        kwargs = {}
        for converter, key in re.findall(r"<(?:(\w+):)?(\w+)>", route):
            # Other parts of the address get a value their converter takes (a month is 01–12), so the number is tried.
            kwargs[key] = "9999999999999999999" if key in ints else SAMPLE_PARTS.get(converter, "x")
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            RESULTS["requests"] += 1
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
