"""Guards that apply to every request before any view sees it."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotModified,
)
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, quote_etag

from catalog import versioning
from catalog.versioning import current_version


class RejectNulBytesMiddleware:
    """Answer 400 to query strings or form posts that carry NUL bytes.

    PostgreSQL refuses NUL characters in text, so one `%00` would otherwise
    surface as a 500 from whatever query used the value.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(
                "Bad request: the address or form contains a NUL character.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)


class CatalogueConditionalGetMiddleware:
    """HTTP validators for anonymous visitors, derived from the catalogue version.

    Every public page depends only on the catalogue and the URL, so one stamp
    read answers If-None-Match with a 304 before any view runs. The version
    read here is shared with the view (see `versioning.request_version`).
    Editors and other signed-in users always get fresh, private pages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = self.get_response(request)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True, no_store=True)
            return response
        version = current_version()
        # htmx requests get a fragment at the same URL (see ToolListView), so they
        # need their own validator.
        variant = "|".join(
            request.headers.get(h, "") for h in ("HX-Request", "HX-History-Restore-Request")
        )
        etag = quote_etag(
            hashlib.blake2b(
                f"{version.stamp}|{variant}|{request.get_full_path()}".encode(), digest_size=12
            ).hexdigest()
        )
        with versioning.request_version(version):
            if etag in parse_etags(request.headers.get("If-None-Match", "")):
                response = HttpResponseNotModified()
                response["ETag"] = etag
                return response
            response = self.get_response(request)
        cacheable = (
            response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.has_header("Cache-Control")
        )
        if cacheable:
            response["ETag"] = etag
            response["Last-Modified"] = http_date(version.changed_at.timestamp())
            patch_cache_control(response, public=True, max_age=settings.CATALOG_PUBLIC_MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
        return response
