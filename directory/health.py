"""Health checks: `/healthz` for load balancers, `/healthz/deps` for monitoring.

`/healthz` answers "can this instance serve pages?". It needs the database;
the cache is optional (pages work without it, only the rate limit is off), so
a lost or hung cache reports "degraded" with 200 and keeps the instance in
rotation. Answering 503 for it would make a load balancer drop every server at
once over a shared Redis. 503 only when the database is unreachable.

`/healthz/deps` reports every dependency with its latency and answers 503 if any
is not fine (cache and pending migrations included): alert on it, never route on it.

Both are answered by a middleware placed right after SecurityMiddleware, so a
probe costs no session, user or catalogue lookup, and a database outage is
reported as JSON rather than as the 503 page. Hosts are still checked as for
any page. Every check is bounded by the database's and Redis's timeouts.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

PATH = "/healthz"
DEPS_PATH = "/healthz/deps"
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
    """A write and a read through the site's own cache calls (failing soft, bounded)."""
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        ok = cache.get(key) == "ok"
        cache.delete(key)
        return ok
    except Exception:
        logger.warning("Health check: the cache is unreachable", exc_info=True)
        return False


def probe_cache() -> bool:
    """Like `check_cache`, but asks Redis itself even while workers are skipping it."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return check_cache()
    try:
        ping()
    except Exception:
        return False
    return check_cache()


def pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def health() -> tuple[dict[str, str], int]:
    """The load balancer's answer: 200 while pages can be served."""
    database_ok, cache_ok = check_database(), check_cache()
    body = {"database": "ok" if database_ok else "error", "cache": "ok" if cache_ok else "degraded"}
    if not database_ok:
        return {"status": "unavailable", **body}, 503
    return {"status": "ok" if cache_ok else "degraded", **body}, 200


def dependencies() -> tuple[dict[str, Any], int]:
    """Every dependency, for monitoring: 200 only when all of them are fine."""
    checks: dict[str, dict[str, Any]] = {}
    database_ok = _timed(checks, "database", check_database)
    checks["database"]["vendor"] = connection.vendor
    _timed(checks, "cache", probe_cache)
    checks["cache"]["backend"] = type(cache).__name__
    if database_ok:
        try:
            pending = pending_migrations()
        except Exception:
            logger.warning("Health check: migrations could not be read", exc_info=True)
            checks["migrations"] = {"status": "error"}
        else:
            state = "pending" if pending else "ok"
            checks["migrations"] = {"status": state, "pending": pending}
    else:
        checks["migrations"] = {"status": "unknown"}
    fine = all(check["status"] == "ok" for check in checks.values())
    status = "ok" if fine else ("degraded" if database_ok else "unavailable")
    return {"status": status, "checks": checks}, 200 if fine else 503


def _timed(checks: dict[str, dict[str, Any]], name: str, check: Callable[[], bool]) -> bool:
    started = time.perf_counter()
    ok = check()
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    checks[name] = {"status": "ok" if ok else "error", "ms": elapsed}
    return ok


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in (PATH, DEPS_PATH):
            return self.get_response(request)
        request.get_host()  # DisallowedHost (a 400) for unknown hosts, as everywhere else
        if request.method not in ("GET", "HEAD"):
            response: HttpResponse = JsonResponse({"error": "method not allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
        else:
            body, status = health() if request.path == PATH else dependencies()
            response = JsonResponse(body, status=status)
        add_never_cache_headers(response)
        return response
