"""The link checker against a local HTTP server started here; never the internet."""

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from editorial.linkcheck import check_many, check_url
from editorial.models import LinkCheck
from tests.editorial_factories import LinkCheckFactory
from tests.factories import ToolFactory, UserFactory

SLOW_SECONDS = 1.0


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def do_GET(self) -> None:
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        if self.path == "/ok":
            self._answer(200)
        elif self.path == "/missing":
            self._answer(404)
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._answer(200)
        elif self.path == "/flaky":
            self._answer(503 if Handler.hits[self.path] == 1 else 200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._answer(500)

    def _answer(self, status: int) -> None:
        body = b"hello"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Handler.hits = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def refused_url() -> str:
    # A port that was just free: nothing listens there, so connecting is refused.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def no_sleep(seconds: float) -> None:
    pass


def test_a_200_is_ok(server: str):
    result = check_url(f"{server}/ok", timeout=2, retries=0)

    assert result.ok
    assert result.status_code == 200


def test_a_redirect_to_a_working_page_is_ok(server: str):
    assert check_url(f"{server}/moved", timeout=2, retries=0).ok


def test_a_404_is_broken_and_not_retried(server: str):
    result = check_url(f"{server}/missing", timeout=2, retries=2, sleep=no_sleep)

    assert not result.ok
    assert result.status_code == 404
    assert result.attempts == 1


def test_a_redirect_loop_is_broken(server: str):
    result = check_url(f"{server}/loop", timeout=2, retries=2, sleep=no_sleep)

    assert not result.ok
    assert result.error == "redirect loop"


def test_a_slow_response_times_out_after_its_retries(server: str):
    started = time.monotonic()

    result = check_url(f"{server}/slow", timeout=0.3, retries=1, sleep=no_sleep)

    assert not result.ok
    assert result.error == "timed out"
    assert result.attempts == 2
    assert time.monotonic() - started < SLOW_SECONDS


def test_a_refused_connection_is_broken(refused_url: str):
    result = check_url(refused_url, timeout=1, retries=1, sleep=no_sleep)

    assert not result.ok
    assert result.error == "connection refused"
    assert result.attempts == 2


def test_a_server_error_is_retried_and_can_recover(server: str):
    result = check_url(f"{server}/flaky", timeout=2, retries=2, sleep=no_sleep)

    assert result.ok
    assert result.attempts == 2


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "gopher://x/"])
def test_other_schemes_are_never_fetched(url: str):
    result = check_url(url)

    assert not result.ok
    assert "http" in result.error


def test_many_urls_are_checked_concurrently(server: str):
    urls = [f"{server}/slow", f"{server}/ok", f"{server}/missing", f"{server}/slow?2"]
    started = time.monotonic()

    results = {r.url: r for r in check_many(urls, workers=4, timeout=5, retries=0)}

    assert set(results) == set(urls)
    # Two slow pages in parallel take one slow page's time, not two.
    assert time.monotonic() - started < SLOW_SECONDS * 1.8


@pytest.mark.django_db
def test_the_command_records_results_and_shows_progress(server: str, refused_url: str):
    good = ToolFactory(website=f"{server}/ok", source_url=f"{server}/missing")
    looping = ToolFactory(website=f"{server}/loop")
    gone = ToolFactory(website=refused_url)
    LinkCheckFactory(tool=good, url="https://old.example.com/", ok=False)
    out = StringIO()

    call_command("check_links", "--timeout=1", "--retries=0", "--workers=3", stdout=out)

    checks = {c.url: c for c in LinkCheck.objects.all()}
    assert set(checks) == {f"{server}/ok", f"{server}/missing", f"{server}/loop", refused_url}
    assert checks[f"{server}/ok"].ok
    assert checks[f"{server}/missing"].status_code == 404
    assert checks[f"{server}/loop"].tool == looping
    assert checks[refused_url].error == "connection refused"
    assert checks[refused_url].tool == gone
    output = out.getvalue()
    assert "[4/4]" in output
    assert "1 ok, 3 broken" in output


@pytest.mark.django_db
def test_the_command_can_check_one_tool(server: str):
    ToolFactory(slug="one", website=f"{server}/ok")
    ToolFactory(slug="two", website=f"{server}/missing")

    call_command("check_links", "--tool=one", "--retries=0", stdout=StringIO())

    assert list(LinkCheck.objects.values_list("url", flat=True)) == [f"{server}/ok"]


# Broken links in the admin, and the freshness dashboard.


@pytest.mark.django_db
def test_editors_filter_broken_links(editor_client: Client):
    broken = LinkCheckFactory(ok=False, status_code=404, error="HTTP 404")
    LinkCheckFactory()

    response = editor_client.get(reverse("admin:editorial_linkcheck_changelist"), {"broken": "yes"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [broken]


@pytest.mark.django_db
def test_link_checks_are_read_only_and_hidden_from_visitors(client: Client, editor_client: Client):
    check = LinkCheckFactory()

    assert client.get(reverse("admin:editorial_linkcheck_changelist")).status_code == 302
    assert editor_client.get(reverse("admin:editorial_linkcheck_add")).status_code == 403
    change = editor_client.get(reverse("admin:editorial_linkcheck_change", args=[check.pk]))
    assert change.context["has_change_permission"] is False


@pytest.mark.django_db
def test_the_freshness_dashboard_lists_tools_to_re_verify(editor_client: Client):
    import datetime

    fresh = ToolFactory(checked_on=datetime.date.today(), source_url="https://a.example/")
    stale = ToolFactory(checked_on=datetime.date(2020, 1, 1), source_url="https://b.example/")
    never = ToolFactory(source_url="https://c.example/")
    unsourced = ToolFactory(checked_on=datetime.date.today(), source_url="")
    ToolFactory(status="draft")
    LinkCheckFactory(tool=stale, ok=False)

    response = editor_client.get(reverse("admin:editorial_tooltoverify_changelist"))

    assert response.status_code == 200
    listed = set(response.context["cl"].result_list)
    assert {t.pk for t in listed} == {stale.pk, never.pk, unsourced.pk}
    assert fresh.pk not in {t.pk for t in listed}
    assert next(t for t in listed if t.pk == stale.pk).n_broken == 1


@pytest.mark.django_db
def test_the_freshness_dashboard_is_for_staff_with_catalogue_access(client: Client):
    url = reverse("admin:editorial_tooltoverify_changelist")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403
