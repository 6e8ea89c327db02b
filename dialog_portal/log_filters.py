"""Secrets that travel in addresses stay out of the logs.

The personal calendar feed (``/kalender/feed/<token>.ics``) and the set-password links
(``/konto/password/reset/key/<uid>-<key>/``) carry their secret in the path, and every access log and "Not Found"
line would copy it to wherever logs go. :class:`MaskSecretPaths` replaces those parts with ``********`` in Django's
loggers (``LOGGING`` in settings: ``django.request``, ``django.server`` and the console), and
:class:`GunicornLogger` does the same for gunicorn's access log (``gunicorn.conf.py`` names it).

Kept free of Django imports: gunicorn loads it before Django starts.
"""

from __future__ import annotations

import logging
import re

MASK = "********"
# The secret part of each address; the rest of the address stays readable.
_SECRET_PATHS = re.compile(
    r"(?P<prefix>/kalender/feed/)[^/\s?\"'.]+(?=\.ics)"
    r"|(?P<prefix2>/password/reset/key/)[^/\s?\"']+"
    r"|(?P<prefix3>/confirm-email/)[^/\s?\"']+"
)


def mask_secrets(text: str) -> str:
    """``/kalender/feed/abc123.ics`` → ``/kalender/feed/********.ics``; other text is returned as it was."""
    if "/kalender/feed/" not in text and "/key/" not in text and "/confirm-email/" not in text:
        return text
    return _SECRET_PATHS.sub(lambda m: (m["prefix"] or m["prefix2"] or m["prefix3"]) + MASK, text)


class MaskSecretPaths(logging.Filter):
    """A logging filter (on a logger or a handler) that masks secret addresses in the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the formatter's problem, not ours
            return True
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a runtime dependency, but Django does not need it
    _GunicornLogger = object


class GunicornLogger(_GunicornLogger):
    """gunicorn's logger with the secret parts of addresses masked in the access log (request line, path, query,
    referrer) and in its error log."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_secrets(value) if isinstance(value, str) else value for key, value in atoms.items()}

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(MaskSecretPaths())
