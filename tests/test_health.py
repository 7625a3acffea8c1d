"""/healthz: one database query and one cache round trip, never cached, 503 when either fails."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db

REDIS_NOWHERE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1",  # nothing listens on port 1
    }
}


def test_a_healthy_site_answers_200_with_each_check(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_it_is_never_cached(client):
    response = client.get("/healthz")

    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "max-age=0" in cache_control
    assert "ETag" not in response


def test_it_reports_a_lost_database_as_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "_execute", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok"}


def test_it_reports_a_lost_cache_as_503(client, settings):
    settings.CACHES = REDIS_NOWHERE

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}


def test_unknown_hosts_are_refused_as_everywhere_else(client):
    assert client.get("/healthz", HTTP_HOST="evil.example.net").status_code == 400


def test_it_only_answers_reads(client):
    response = client.post("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_it_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/robots.txt").status_code == 301
