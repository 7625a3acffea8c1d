"""The site's URLs plus pages that fail on purpose, for the error and fault tests only."""

import time

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from directory.urls import handler500
from directory.urls import urlpatterns as site_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: the database password is hunter2")


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


@csrf_exempt
def slow(request: HttpRequest) -> HttpResponse:
    time.sleep(min(float(request.GET.get("seconds", "0")), 30))
    return HttpResponse("done", content_type="text/plain")


urlpatterns = [
    path("test-boom/", boom),
    path("test-database-gone/", database_gone),
    path("test-slow/", slow),
    *site_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
