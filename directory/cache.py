"""A Redis cache that degrades to "no cache" when Redis is unreachable.

Pages cache fragments (tool cards) and the rate limiter counts in the cache;
neither should turn a Redis outage into errors for visitors. Reads miss,
writes are dropped, and the failure is logged at most once a minute.
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
_last_warning = 0.0


def _forgiving(default: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError):
                _warn()
                return default(*args, **kwargs)

        return call

    return wrap


def _warn() -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("Cache unreachable: serving without it", exc_info=True)


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
