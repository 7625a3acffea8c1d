"""Error pages that never show internals and never need the database to render.

The 500 handler also turns a lost database into a 503 "back soon" page: Django
calls it while the exception is still being handled, wherever it was raised
(a view, a middleware, a template), so one place covers every code path.
"""

from __future__ import annotations

import sys

from axes.helpers import get_cool_off
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import requires_csrf_token

from directory.request_id import current_request_id

# Seconds a client (or a crawler) is asked to wait before trying again.
RETRY_AFTER = 30
# Lost connections, refused connections, a server shutting down: transient.
UNAVAILABLE = (OperationalError, InterfaceError)


def _render_standalone(template_name: str, request: HttpRequest, status: int) -> HttpResponse:
    # No RequestContext: context processors may touch the session, the user or
    # the database, which may be exactly what failed.
    request_id = getattr(request, "request_id", None) or current_request_id()
    body = loader.get_template(template_name).render({"request_id": request_id})
    response = HttpResponse(body, status=status)
    add_never_cache_headers(response)
    return response


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    if isinstance(sys.exception(), UNAVAILABLE):
        return service_unavailable(request)
    return _render_standalone("500.html", request, 500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    response = _render_standalone("503.html", request, 503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The site's 403 page; the reason goes to the log (Django logs it), not to the page."""
    body = loader.get_template("403.html").render({"csrf_failure": True}, request)
    return HttpResponse(body, status=403)


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out login: the 429 page, saying when to come back.

    Attempts during a lockout do not extend it (settings), so the cool-off
    is the longest wait: exact for the attempt that locked, an upper bound after.
    """
    cool_off = get_cool_off(request)
    response = render(request, "429.html", {"cooloff_timedelta": cool_off}, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()) if cool_off else RETRY_AFTER)
    return response
