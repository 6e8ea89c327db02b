"""Sessions read from the shared cache, written to the database as well (issue 19).

Django's ``cached_db`` engine with one change: the cached copy lives at most ``CACHED_SESSION_SECONDS``. Logging out,
erasure and ``SessionStore.delete`` drop the copy at once; but a copy whose delete was lost (the cache was
unreachable at that moment, see ``dialog_portal/cache.py``) must not keep a logged-out session alive for the whole
session age. Only for a cache every process shares (Redis): settings choose the plain database engine otherwise.
"""

from django.contrib.sessions.backends import cached_db

CACHED_SESSION_SECONDS = 5 * 60


class _ShortLived:
    """The session cache, with every write's lifetime capped."""

    def __init__(self, cache):
        self._wrapped = cache

    def set(self, key, value, timeout=None, **kwargs):
        capped = CACHED_SESSION_SECONDS if timeout is None else min(timeout, CACHED_SESSION_SECONDS)
        return self._wrapped.set(key, value, capped, **kwargs)

    def __getattr__(self, name):
        return getattr(self._wrapped, name)

    def __contains__(self, key):
        return key in self._wrapped


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _ShortLived(self._cache)
