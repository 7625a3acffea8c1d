"""A request id on every request: in the X-Request-ID header, the logs and the 500 page.

An id arriving from a proxy or load balancer is reused when it looks like one
(so one id follows a request through every hop); otherwise a new uuid4 is made.
Log lines also name the client's address (directory/client.py), not the proxy's.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from directory.client import client_address

HEADER = "X-Request-ID"
# Letters, digits and a little punctuation only: the id is written into logs
# and pages, so nothing that could forge a log line or carry markup.
_VALID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

_current: ContextVar[str] = ContextVar("request_id", default="-")
_client: ContextVar[str] = ContextVar("client_address", default="-")


def current_request_id() -> str:
    return _current.get()


def request_id_for(request: HttpRequest) -> str:
    incoming = request.headers.get(HEADER, "")
    return incoming if _VALID.fullmatch(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)  # type: ignore[attr-defined]
        token = _current.set(request.request_id)  # type: ignore[attr-defined]
        client_token = _client.set(client_address(request) or "-")
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
            _client.reset(client_token)
        response[HEADER] = request.request_id  # type: ignore[attr-defined]
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` and `client_address` to every record ("-" outside a request).

    Django logs 4xx/5xx responses after the middleware has returned, passing
    the request along; both are taken from there.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id()
        if isinstance(request, HttpRequest):
            record.client_address = client_address(request) or "-"
        else:
            record.client_address = _client.get()
        return True
