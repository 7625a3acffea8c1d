"""/healthz keeps an instance in rotation while it can serve pages; /healthz/deps tells all."""

import time

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from directory import cache as resilient
from directory import health
from tests.fakes import closed_port, silent_server

pytestmark = pytest.mark.django_db


def redis_at(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "directory.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


@pytest.fixture(autouse=True)
def _redis_not_skipped():
    resilient._recovered()
    yield
    resilient._recovered()


@pytest.fixture
def lost_database(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "_execute", refuse)


def test_a_healthy_site_answers_200_with_each_check(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_it_is_never_cached(client):
    for path in ("/healthz", "/healthz/deps"):
        response = client.get(path)

        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control
        assert "max-age=0" in cache_control
        assert "ETag" not in response


def test_a_lost_database_takes_the_instance_out_of_rotation(client, lost_database):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error", "cache": "ok"}


def test_a_lost_cache_keeps_the_instance_in_rotation_and_says_so(client, settings):
    settings.CACHES = redis_at(closed_port())

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "degraded"}


def test_a_hung_cache_keeps_the_instance_in_rotation_without_a_long_wait(client, settings):
    with silent_server() as port:
        settings.CACHES = redis_at(port)
        started = time.monotonic()
        first = client.get("/healthz")
        first_took = time.monotonic() - started
        started = time.monotonic()
        second = client.get("/healthz")
        second_took = time.monotonic() - started

    assert first.status_code == second.status_code == 200
    assert first.json()["cache"] == "degraded"
    assert first_took < 1.0
    # The worker now skips Redis for a while instead of waiting on it again.
    assert second_took < 0.1


def test_the_detailed_status_reports_every_dependency(client):
    response = client.get("/healthz/deps")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"database", "cache", "migrations"}
    assert checks["database"]["status"] == "ok"
    assert checks["database"]["ms"] >= 0
    assert checks["cache"]["status"] == "ok"
    assert checks["migrations"] == {"status": "ok", "pending": 0}


def test_the_detailed_status_alerts_on_a_lost_cache(client, settings):
    settings.CACHES = redis_at(closed_port())

    response = client.get("/healthz/deps")

    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"]["status"] == "error"


def test_the_detailed_status_alerts_on_pending_migrations(client, monkeypatch):
    monkeypatch.setattr(health, "pending_migrations", lambda: 2)

    response = client.get("/healthz/deps")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"status": "pending", "pending": 2}


def test_the_detailed_status_of_a_lost_database(client, lost_database):
    response = client.get("/healthz/deps")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["migrations"] == {"status": "unknown"}


def test_unknown_hosts_are_refused_as_everywhere_else(client):
    assert client.get("/healthz", HTTP_HOST="evil.example.net").status_code == 400
    assert client.get("/healthz/deps", HTTP_HOST="evil.example.net").status_code == 400


def test_it_only_answers_reads(client):
    response = client.post("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_it_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/deps").status_code == 200
    assert client.get("/robots.txt").status_code == 301
