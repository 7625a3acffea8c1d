"""`/healthz`: is this instance able to serve? One `SELECT 1` and one cache round trip.

Answered by a middleware placed right after SecurityMiddleware, so a probe
costs no session, user or catalogue lookup, and a database outage is reported
as JSON rather than as the 503 page. Hosts are still checked as for any page.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

PATH = "/healthz"
logger = logging.getLogger(__name__)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database is unreachable")
        return False


def check_cache() -> bool:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        ok = cache.get(key) == "ok"
        cache.delete(key)
        return ok
    except Exception:
        logger.exception("Health check: the cache is unreachable")
        return False


def health() -> tuple[dict[str, str], int]:
    checks = {"database": check_database(), "cache": check_cache()}
    body = {name: "ok" if ok else "error" for name, ok in checks.items()}
    return body, 200 if all(checks.values()) else 503


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != PATH:
            return self.get_response(request)
        request.get_host()  # DisallowedHost (a 400) for unknown hosts, as everywhere else
        if request.method not in ("GET", "HEAD"):
            response: HttpResponse = JsonResponse({"error": "method not allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
        else:
            body, status = health()
            response = JsonResponse(body, status=status)
        add_never_cache_headers(response)
        return response
