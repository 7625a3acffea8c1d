"""The project's URLs plus the benchmark's limit: a tiny response through every middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

LIMIT_BODY = b"<!doctype html><title>limit</title><p>The smallest page this stack serves.</p>\n"


def limit(request: HttpRequest) -> HttpResponse:
    return HttpResponse(LIMIT_BODY)


urlpatterns = [
    path("_bench/limit/", limit, name="bench_limit"),
    path("", include("directory.urls")),
]
