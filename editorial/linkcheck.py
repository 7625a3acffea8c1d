"""Check URLs with the standard library: bounded threads, timeouts, retries.

Each answer is one of three outcomes. "ok": the page answered. "broken": the
web said no (an HTTP 4xx or 5xx, a redirect loop, a domain that does not
exist). "unreachable": we could not ask (no network, refused connection,
timeout, TLS failure, a DNS server that did not answer): that says nothing
about the link, so it must never be reported as broken.

Network work happens in worker threads; the database is written by the caller
in its own thread, so workers never touch a connection.
"""

from __future__ import annotations

import enum
import socket
import ssl
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


# getaddrinfo's answers meaning "this name does not exist" (rather than "no answer").
NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


class Outcome(enum.StrEnum):
    OK = "ok"
    BROKEN = "broken"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class LinkResult:
    url: str
    outcome: Outcome
    status_code: int | None = None
    error: str = ""
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK


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
        return LinkResult(url, Outcome.BROKEN, error="not an http(s) address")
    result = LinkResult(url, Outcome.UNREACHABLE)
    for attempt in range(1, retries + 2):
        result, retryable = _fetch(url, timeout=timeout)
        result = LinkResult(url, result.outcome, result.status_code, result.error, attempt)
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
    """One GET: the result, and whether another try could change it."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return LinkResult(url, Outcome.OK, status_code=response.status), False
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            return LinkResult(url, Outcome.BROKEN, exc.code, "redirect loop"), False
        result = LinkResult(url, Outcome.BROKEN, exc.code, f"HTTP {exc.code}")
        return result, exc.code in RETRY_STATUSES
    except urllib.error.URLError as exc:
        return _no_answer(url, exc.reason)
    except (OSError, ValueError) as exc:
        return _no_answer(url, exc)


def _no_answer(url: str, reason: object) -> tuple[LinkResult, bool]:
    """No HTTP answer: broken only when DNS says the name does not exist."""
    if isinstance(reason, socket.gaierror) and reason.errno in NO_SUCH_NAME:
        return LinkResult(url, Outcome.BROKEN, error="no such domain"), False
    return LinkResult(url, Outcome.UNREACHABLE, error=_describe(reason)), True


def _describe(reason: object) -> str:
    if isinstance(reason, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return f"TLS failure: {reason}"[:300]
    if isinstance(reason, socket.gaierror):
        return f"DNS lookup failed: {reason}"[:300]
    return str(reason)[:300] or reason.__class__.__name__
