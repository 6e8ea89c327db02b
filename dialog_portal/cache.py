"""A Redis cache that fails soft: when Redis cannot be reached the portal works on without it.

Nothing the portal caches is the only copy of anything (the codex's in-force state, allauth's rate-limit
counters), so an unreachable cache counts as a miss and a failed write is dropped, with a warning in the log.
Short socket timeouts keep a dead Redis from holding up page views.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# What each operation answers when Redis is down: what it would answer for a key it does not hold.
_FALLBACKS = {
    "add": False,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "set_many": [],
    "delete_many": None,
    "clear": False,
}


def _soft(name: str, method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _UNREACHABLE as error:
            log.warning("Cache unavailable (%s): %s", name, error)
            if name == "get":
                return kwargs.get("default", args[1] if len(args) > 1 else None)
            return _FALLBACKS[name]

    return wrapper


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new ``redis.Redis`` for every cache call, and building one (its table of response callbacks)
    costs more CPU than the round trip; a signed-in page makes several. One client per connection pool is kept
    instead: a client holds no state of its own between commands and is safe to share (issue 19)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, but a cache outage is a miss, not a server error."""

    def __init__(self, server, params):
        params = {**params}
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **params.get("OPTIONS", {})}
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient


for _name in ("get", *_FALLBACKS):
    setattr(ResilientRedisCache, _name, _soft(_name, getattr(RedisCache, _name)))
