"""A Redis cache that degrades to "no cache" when Redis is unreachable, slow or hung.

Pages cache fragments (tool cards) and the rate limiter counts in the cache;
neither should turn a Redis outage into errors or waits for visitors. Reads
miss, writes are dropped, and the failure is logged at most once a minute.

Socket timeouts (settings: REDIS_CONNECT_TIMEOUT, REDIS_TIMEOUT) bound what one
command can cost. After a failure the process skips Redis for `SKIP_SECONDS`,
so a request that makes several cache calls pays for at most one timeout, and
the requests after it pay nothing until Redis is tried again.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long a worker serves without Redis after a failed call before trying again.
SKIP_SECONDS = 5.0
_last_warning = 0.0
_skip_until = 0.0


def _forgiving(default: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
            if skipping():
                return default(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError):
                _failed()
                return default(*args, **kwargs)

        return call

    return wrap


def skipping() -> bool:
    """True while this process is serving without Redis after a recent failure."""
    return time.monotonic() < _skip_until


def _failed() -> None:
    global _last_warning, _skip_until
    now = time.monotonic()
    _skip_until = now + SKIP_SECONDS
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning(
            "Cache unreachable: serving without it, retrying every %.0f s",
            SKIP_SECONDS,
            exc_info=True,
        )


def _recovered() -> None:
    global _skip_until
    _skip_until = 0.0


class ResilientRedisCache(RedisCache):
    get = _forgiving(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _forgiving(lambda keys, version=None: {})(RedisCache.get_many)
    has_key = _forgiving(lambda key, version=None: False)(RedisCache.has_key)
    set = _forgiving(lambda *a, **k: None)(RedisCache.set)
    set_many = _forgiving(lambda data, *a, **k: list(data))(RedisCache.set_many)
    add = _forgiving(lambda *a, **k: False)(RedisCache.add)
    touch = _forgiving(lambda *a, **k: False)(RedisCache.touch)
    delete = _forgiving(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _forgiving(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _forgiving(lambda *a, **k: None)(RedisCache.clear)
    # 0: "not counted", which the rate limiter treats as "let it through".
    incr = _forgiving(lambda *a, **k: 0)(RedisCache.incr)
    decr = _forgiving(lambda *a, **k: 0)(RedisCache.decr)

    def ping(self) -> None:
        """One round trip to Redis, even while skipping it; raises on failure.

        For the health checks: success ends the skip early, failure starts it.
        """
        try:
            self._cache.get_client(write=True).ping()
        except (RedisError, OSError):
            _failed()
            raise
        _recovered()
