"""Per-client rate limits on Django's cache, keyed on a hash of the client's address.

The address is the visitor's, not a proxy's (directory/client.py).

A fixed window: each client gets `limit` hits per `window` seconds, counted in
a cache key that names the window, so the count resets when the window turns.
The address is never stored, only a keyed hash of it.

When the cache is down the limiter fails open (and logs it): a visitor's
suggestion is worth more than a perfect count, and the honeypot still works.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from directory.client import client_address

logger = logging.getLogger(__name__)


def client_hash(request: HttpRequest) -> str:
    address = client_address(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _key(scope: str, request: HttpRequest, window: int, now: float | None) -> str:
    bucket = int((time.time() if now is None else now) // window)
    return f"ratelimit:{scope}:{client_hash(request)}:{bucket}"


def is_limited(
    request: HttpRequest, *, scope: str, limit: int, window: int, now: float | None = None
) -> bool:
    """True once this client has used up its `limit` hits in the current window."""
    try:
        return cache.get(_key(scope, request, window, now), 0) >= limit
    except Exception:
        logger.warning("Rate limit %r not checked: the cache is unreachable", scope, exc_info=True)
        return False


def record_hit(request: HttpRequest, *, scope: str, window: int, now: float | None = None) -> int:
    """Count one hit for this client in the current window; return the new count (0: uncounted)."""
    key = _key(scope, request, window, now)
    try:
        cache.add(key, 0, timeout=window)
        try:
            return cache.incr(key)
        except ValueError:
            # The key expired between add() and incr(): this hit opens a new window.
            cache.set(key, 1, timeout=window)
            return 1
    except Exception:
        logger.warning("Rate limit %r not counted: the cache is unreachable", scope, exc_info=True)
        return 0
