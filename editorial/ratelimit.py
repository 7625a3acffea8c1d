"""Per-client rate limits on Django's cache, keyed on a hash of the client's address.

A fixed window: each client gets `limit` hits per `window` seconds, counted in
a cache key that names the window, so the count resets when the window turns.
The address is never stored, only a keyed hash of it.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_hash(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _key(scope: str, request: HttpRequest, window: int, now: float | None) -> str:
    bucket = int((time.time() if now is None else now) // window)
    return f"ratelimit:{scope}:{client_hash(request)}:{bucket}"


def is_limited(
    request: HttpRequest, *, scope: str, limit: int, window: int, now: float | None = None
) -> bool:
    """True once this client has used up its `limit` hits in the current window."""
    return cache.get(_key(scope, request, window, now), 0) >= limit


def record_hit(request: HttpRequest, *, scope: str, window: int, now: float | None = None) -> int:
    """Count one hit for this client in the current window; return the new count."""
    key = _key(scope, request, window, now)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): this hit opens a new window.
        cache.set(key, 1, timeout=window)
        return 1
