"""Faults the site must survive: a lost database, a lost cache, a request that never ends.

Stopping the real PostgreSQL under load is scripts/fault_postgres.sh; here the
database "goes away" by making every query fail the way a dropped connection does.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from editorial.models import Submission
from tests.factories import ToolFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
REDIS_NOWHERE = {
    "default": {
        # The backend production uses whenever REDIS_URL is set.
        "BACKEND": "directory.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1",  # nothing listens on port 1
    }
}


@pytest.fixture
def visitor() -> Client:
    return Client(raise_request_exception=False)


def _refuse(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as if the server had gone."""
    monkeypatch.setattr(CursorWrapper, "_execute", _refuse)


@pytest.mark.parametrize("path", ["/", "/tools/", "/tools/some-tool/", "/reviews/", "/submit/"])
def test_a_lost_database_gives_the_503_page(visitor, database_down, path):
    response = visitor.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.text
    assert "Back in a moment" in html
    assert "OperationalError" not in html
    assert "server closed the connection" not in html
    assert response["X-Request-ID"] in html


@pytest.mark.urls("tests.fault_urls")
def test_a_dropped_connection_inside_a_view_gives_the_503_page(visitor):
    assert visitor.get("/test-database-gone/").status_code == 503


def test_an_unusable_connection_gives_the_503_page(visitor, monkeypatch):
    def closed(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(CursorWrapper, "_execute", closed)

    assert visitor.get("/").status_code == 503


def test_the_site_recovers_when_the_database_is_back(visitor, monkeypatch):
    ToolFactory(slug="back-again")
    monkeypatch.setattr(CursorWrapper, "_execute", _refuse)
    assert visitor.get("/tools/back-again/").status_code == 503

    monkeypatch.undo()

    assert visitor.get("/tools/back-again/").status_code == 200


def test_a_lost_cache_leaves_pages_working(client, settings):
    settings.CACHES = REDIS_NOWHERE
    ToolFactory(slug="still-here")

    assert client.get("/").status_code == 200
    assert client.get("/tools/still-here/").status_code == 200


def test_a_lost_cache_still_accepts_submissions(client, settings):
    settings.CACHES = REDIS_NOWHERE
    data = {
        "name": "Notewise",
        "website": "https://notewise.example.org/",
        "pitch": "Turns meeting recordings into action lists.",
        "pricing_model": "subscription",
    }

    response = client.post("/submit/", data)

    assert response.status_code == 302
    assert Submission.objects.filter(name="Notewise").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, timeout: float) -> int:
    # A POST skips the catalogue's conditional GET, so the scratch database needs no tables.
    with urllib.request.urlopen(url, data=b"", timeout=timeout) as response:
        return response.status


def test_the_server_cuts_off_a_request_that_overruns_its_time(tmp_path):
    """gunicorn.conf.py's timeout kills the stuck worker and starts a fresh one."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.fault_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_TIMEOUT": "2",
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert _post(f"{base}/test-slow/?seconds=0", timeout=2) == 200
                break
            except (OSError, urllib.error.URLError):
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)

        started = time.monotonic()
        with pytest.raises((OSError, urllib.error.URLError)):
            _post(f"{base}/test-slow/?seconds=20", timeout=15)
        elapsed = time.monotonic() - started

        assert elapsed < 10, f"the request was left hanging for {elapsed:.1f}s"
        deadline = time.monotonic() + 15
        while True:  # a new worker takes over without a restart
            try:
                assert _post(f"{base}/test-slow/?seconds=0", timeout=2) == 200
                break
            except (OSError, urllib.error.URLError):
                assert time.monotonic() < deadline, "no worker came back"
                time.sleep(0.2)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert b"WORKER TIMEOUT" in stderr
