"""Hostile values for the bad-input drills, and a check that a message comes from the Danish catalogue."""

import datetime as dt
import functools
import re

from django.utils.translation import trans_real
from hypothesis import strategies as st

# Markup that would run if a page put it out unescaped. Each is searched for raw in the pages.
RUNNABLE = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>")
PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7|add:7 }}{% debug %}",
    "%(name)s %s %d {0}",
    "'; DROP TABLE meetings_visit; --",
)
UNICODE = (
    "\u202eTXT.exe",  # right-to-left override
    "a\u200bb\u200c\u200d\ufeffc",  # zero-width characters and a byte-order mark
    "NUL\x00byte",
    "\x00",
    "😀 👩‍👩‍👧‍👦 🇩🇰",
    "Z\u0335\u0321\u0322\u031b\u0317\u0300\u0301",  # combining marks
    "ÆØÅ æøå",
    "   ",
    "\t\r\n",
    "𝕏\uffff\ufffd",
    "\u0085\u2028\u2029",  # line separators the csv module and JavaScript treat as line ends
    "Anne\x0bHansen\x1b[31m\x7f",  # control characters: they broke e-mail subjects (issue 14)
)
LONG = 10_000

_text_chars = st.characters(exclude_categories=("Cs",))  # lone surrogates cannot be posted
any_text = st.text(_text_chars, max_size=40)

text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.sampled_from(UNICODE),
    any_text,
    st.builds(lambda n, p: "x" * n + p, st.integers(LONG, LONG + 2_000), st.sampled_from(PAYLOADS)),
    st.builds(lambda a, p, b: a + p + b, any_text, st.sampled_from(PAYLOADS + UNICODE), any_text),
)
dates = st.one_of(
    st.sampled_from(
        [
            "0001-01-01",
            "1-01-01",
            "9999-12-31",
            "10000-01-01",
            "2026-02-30",
            "2026-13-01",
            "0000-00-00",
            "-2026-01-01",
            "31.12.2026",
            "2024-02-29",
            "2026-02-29",
        ]
    ),
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    text,
)
times = st.one_of(st.sampled_from(["24:00", "23:59:60", "-1:00", "99:99", "00:00", "23:59", "7", "noon"]), text)
datetimes = st.one_of(
    st.sampled_from(["0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", "2026-03-29T02:30"]),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M")
    ),
    text,
)
integers = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.sampled_from(["-1", "0", "1e400", "NaN", "inf", "1.5", "١٢", "0x10", " 7 ", "9" * 400, "-0"]),
    text,
)
choices = st.one_of(
    st.sampled_from(["", "-1", "0", "999999999999", "9" * 30, "null", "[]", "1.0"]),
    text,
)
booleans = st.one_of(st.sampled_from(["on", "off", "", "true", "false", "0", "1"]), text)
urls = st.one_of(
    st.sampled_from(
        [
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "http://",
            "https://" + "a" * 300 + ".dk",
            "http://[::1",
            "//evil.example/x",
            "https://xn--.example",
        ]
    ),
    text,
)
KINDS = {
    "text": text,
    # Not typed by a person: a slug picked from a list, a hidden token. Drilled with the same hostile text, but
    # a control character there is refused like any other malformed value, not explained field by field.
    "token": text,
    "date": dates,
    "time": times,
    "datetime": datetimes,
    "int": integers,
    "choice": choices,
    "bool": booleans,
    "url": urls,
}

OMIT = object()  # the field is not sent at all


def hostile(kind: str):
    """A value for a field of ``kind``: one hostile string, several values at once, or no value at all."""
    base = KINDS[kind]
    return st.one_of(base, base, base, st.lists(base, min_size=2, max_size=3), st.just(OMIT))


def runnable_in(content: str) -> list[str]:
    return [markup for markup in RUNNABLE if markup in content]


# --- Is it Danish? ---------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdfrib]|%[sdfri]|\{\w*\}")


def _pattern(template: str) -> re.Pattern | None:
    parts = _PLACEHOLDER.split(template)
    if len(parts) == 1:
        return None
    if sum(len(re.sub(r"\W", "", part)) for part in parts) < 4:
        return None  # "%(a)s: %(b)s" would match anything
    return re.compile("(?:.*?)".join(re.escape(part) for part in parts), re.DOTALL)


@functools.cache
def _catalogue() -> tuple[frozenset, tuple, frozenset]:
    exact, patterns, english = set(), [], set()
    for key, value in trans_real.translation("da")._catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or not isinstance(value, str) or value == msgid:
            continue
        english.add(msgid)
        pattern = _pattern(value)
        if pattern is None:
            exact.add(value)
        else:
            patterns.append(pattern)
    return frozenset(exact), tuple(patterns), frozenset(english)


def is_danish(message: str) -> bool:
    """The message is a translation from the Danish catalogue (placeholders filled in)."""
    exact, patterns, _english = _catalogue()
    message = str(message)
    return message in exact or any(p.fullmatch(message) for p in patterns)


def is_english_msgid(message: str) -> bool:
    return str(message) in _catalogue()[2]
