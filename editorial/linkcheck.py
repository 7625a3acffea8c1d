"""Check URLs with the standard library: bounded threads, timeouts, retries.

Network work happens in worker threads; the database is written by the caller
in its own thread, so workers never touch a connection.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from urllib.parse import urlsplit

USER_AGENT = "ToolfinderLinkChecker/1.0 (checks that listed tools are still online)"
# Worth a second try: the server is busy or the network blinked.
RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status_code: int | None = None
    error: str = ""
    attempts: int = 1


def check_url(
    url: str,
    *,
    timeout: float = 10.0,
    retries: int = 2,
    backoff: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> LinkResult:
    """GET `url` following redirects; retry timeouts, connection errors and 5xx answers."""
    if urlsplit(url).scheme not in ("http", "https"):
        return LinkResult(url, ok=False, error="not an http(s) address")
    result = LinkResult(url, ok=False)
    for attempt in range(1, retries + 2):
        result, retryable = _fetch(url, timeout=timeout)
        result = LinkResult(url, result.ok, result.status_code, result.error, attempt)
        if result.ok or not retryable or attempt > retries:
            break
        sleep(backoff * 2 ** (attempt - 1))
    return result


def check_many(urls: Iterable[str], *, workers: int = 8, **options) -> Iterator[LinkResult]:
    """Check URLs with at most `workers` requests in flight; yield results as they finish."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(check_url, url, **options) for url in dict.fromkeys(urls)]
        for future in as_completed(futures):
            yield future.result()


def _fetch(url: str, *, timeout: float) -> tuple[LinkResult, bool]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return LinkResult(url, ok=True, status_code=response.status), False
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            return LinkResult(url, ok=False, status_code=exc.code, error="redirect loop"), False
        error = f"HTTP {exc.code}"
        return LinkResult(url, ok=False, status_code=exc.code, error=error), (
            exc.code in RETRY_STATUSES
        )
    except urllib.error.URLError as exc:
        return LinkResult(url, ok=False, error=_describe(exc.reason)), True
    except TimeoutError as exc:
        return LinkResult(url, ok=False, error=_describe(exc)), True
    except (OSError, ValueError) as exc:
        return LinkResult(url, ok=False, error=_describe(exc)[:300]), True


def _describe(reason: object) -> str:
    if isinstance(reason, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return str(reason)[:300] or reason.__class__.__name__
