"""The link checker against a local HTTP server started here; never the internet."""

import socket
import ssl
import threading
import time
import urllib.error
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from editorial import linkcheck
from editorial.linkcheck import Outcome, check_many, check_url
from editorial.models import LinkCheck, LinkCheckResult, LinkCheckRun
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

    assert result.outcome == Outcome.BROKEN
    assert result.status_code == 404
    assert result.attempts == 1


def test_a_redirect_loop_is_broken(server: str):
    result = check_url(f"{server}/loop", timeout=2, retries=2, sleep=no_sleep)

    assert result.outcome == Outcome.BROKEN
    assert result.error == "redirect loop"


def test_a_timeout_is_could_not_check_after_its_retries(server: str):
    started = time.monotonic()

    result = check_url(f"{server}/slow", timeout=0.3, retries=1, sleep=no_sleep)

    assert result.outcome == Outcome.UNREACHABLE
    assert result.error == "timed out"
    assert result.attempts == 2
    assert time.monotonic() - started < SLOW_SECONDS


def test_a_server_that_is_down_is_could_not_check_not_broken(refused_url: str):
    result = check_url(refused_url, timeout=1, retries=1, sleep=no_sleep)

    assert result.outcome == Outcome.UNREACHABLE
    assert result.error == "connection refused"
    assert result.attempts == 2


def test_a_server_error_is_retried_and_can_recover(server: str):
    result = check_url(f"{server}/flaky", timeout=2, retries=2, sleep=no_sleep)

    assert result.ok
    assert result.attempts == 2


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "gopher://x/"])
def test_other_schemes_are_never_fetched(url: str):
    result = check_url(url)

    assert result.outcome == Outcome.BROKEN
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
    LinkCheckFactory(tool=good, url="https://old.example.com/", state=LinkCheck.State.BROKEN)
    out = StringIO()

    call_command("check_links", "--timeout=1", "--retries=0", "--workers=3", stdout=out)

    checks = {c.url: c for c in LinkCheck.objects.all()}
    assert set(checks) == {f"{server}/ok", f"{server}/missing", f"{server}/loop", refused_url}
    assert checks[f"{server}/ok"].state == LinkCheck.State.OK
    assert checks[f"{server}/missing"].status_code == 404
    assert checks[f"{server}/missing"].state == LinkCheck.State.BROKEN
    assert checks[f"{server}/loop"].tool == looping
    assert checks[refused_url].state == LinkCheck.State.UNREACHABLE
    assert checks[refused_url].error == "connection refused"
    assert checks[refused_url].tool == gone
    output = out.getvalue()
    assert "[4/4]" in output
    assert "1 ok, 2 broken, 1 could not be checked" in output


@pytest.mark.django_db
def test_against_a_server_that_is_down_the_command_keeps_earlier_results_and_fails(
    refused_url: str,
):
    tools = ToolFactory.create_batch(3, website=refused_url)
    for tool in tools:
        LinkCheckFactory(tool=tool, url=refused_url, state=LinkCheck.State.OK)

    with pytest.raises(CommandError, match="Could not reach 1 of 1 links"):
        call_command("check_links", "--timeout=1", "--retries=0", stdout=StringIO())

    assert set(LinkCheck.objects.values_list("state", flat=True)) == {LinkCheck.State.OK}
    run = LinkCheckRun.objects.get()
    assert run.outcome == LinkCheckRun.Outcome.ABANDONED
    assert not LinkCheckResult.objects.exists()


@pytest.mark.django_db
def test_when_most_links_are_unreachable_nothing_is_marked_broken(server: str, refused_url: str):
    down = [ToolFactory(website=f"{refused_url}{n}") for n in range(3)]
    ToolFactory(website=f"{server}/missing")

    with pytest.raises(CommandError, match="previous results stand"):
        call_command("check_links", "--timeout=1", "--retries=0", stdout=StringIO())

    assert not LinkCheck.objects.exists()
    assert down


@pytest.mark.django_db
def test_pages_that_answer_404_are_broken_and_each_run_is_kept(server: str):
    tool = ToolFactory(website=f"{server}/missing", source_url=f"{server}/ok")

    call_command("check_links", "--retries=0", stdout=StringIO())
    call_command("check_links", "--retries=0", stdout=StringIO())

    latest = LinkCheck.objects.get(url=f"{server}/missing")
    assert (latest.state, latest.status_code) == (LinkCheck.State.BROKEN, 404)
    assert LinkCheckRun.objects.filter(outcome="completed").count() == 2
    history = LinkCheckResult.objects.filter(tool=tool, url=f"{server}/missing")
    assert list(history.values_list("state", flat=True)) == ["broken", "broken"]


def test_a_domain_that_does_not_exist_is_broken(monkeypatch):
    def no_such_name(*args, **kwargs):
        raise urllib.error.URLError(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))

    monkeypatch.setattr(linkcheck.urllib.request, "urlopen", no_such_name)

    result = check_url("https://gone.example/", retries=0)

    assert (result.outcome, result.error) == (Outcome.BROKEN, "no such domain")


@pytest.mark.parametrize(
    "reason",
    [
        socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"),
        ssl.SSLCertVerificationError("certificate verify failed"),
        OSError(101, "Network is unreachable"),
    ],
    ids=["dns server silent", "TLS failure", "no network"],
)
def test_no_network_dns_silence_and_tls_failures_are_could_not_check(monkeypatch, reason):
    def fail(*args, **kwargs):
        raise urllib.error.URLError(reason)

    monkeypatch.setattr(linkcheck.urllib.request, "urlopen", fail)

    result = check_url("https://example.org/", retries=1, sleep=no_sleep)

    assert result.outcome == Outcome.UNREACHABLE
    assert result.attempts == 2


@pytest.mark.django_db
def test_the_command_can_check_one_tool(server: str):
    ToolFactory(slug="one", website=f"{server}/ok")
    ToolFactory(slug="two", website=f"{server}/missing")

    call_command("check_links", "--tool=one", "--retries=0", stdout=StringIO())

    assert list(LinkCheck.objects.values_list("url", flat=True)) == [f"{server}/ok"]


# Broken links in the admin, and the freshness dashboard.


@pytest.mark.django_db
def test_editors_filter_broken_links(editor_client: Client):
    broken = LinkCheckFactory(state=LinkCheck.State.BROKEN, status_code=404, error="HTTP 404")
    LinkCheckFactory()
    LinkCheckFactory(state=LinkCheck.State.UNREACHABLE, error="timed out")

    response = editor_client.get(
        reverse("admin:editorial_linkcheck_changelist"), {"state__exact": "broken"}
    )

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
    LinkCheckFactory(tool=stale, state=LinkCheck.State.BROKEN)
    LinkCheckFactory(tool=stale, url="https://x.example/", state=LinkCheck.State.UNREACHABLE)

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


@pytest.mark.django_db
def test_editors_check_links_now_from_the_freshness_page(editor_client: Client, server: str):
    tool = ToolFactory(website=f"{server}/missing", source_url=f"{server}/ok")

    response = editor_client.post(
        reverse("admin:editorial_tooltoverify_changelist"),
        {"action": "check_links_now", "_selected_action": [tool.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Checked the links of 1 tool(s): 1 ok, 1 broken, 0 could not be checked."]
    assert LinkCheck.objects.get(url=f"{server}/missing").state == LinkCheck.State.BROKEN
    assert LinkCheckRun.objects.get().started_by is not None


@pytest.mark.django_db
def test_the_freshness_page_offers_no_draft_filter(editor_client: Client):
    ToolFactory()

    response = editor_client.get(reverse("admin:editorial_tooltoverify_changelist"))

    choices = [
        c["display"]
        for f in response.context["cl"].filter_specs
        for c in f.choices(response.context["cl"])
    ]
    assert "Draft" not in choices
    assert "Published" in choices
