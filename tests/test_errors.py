"""Error pages: in the site's style, free of internals, and each tied to a request id."""

import io
import logging

import pytest
from django.test import Client

from directory.errors import server_error
from directory.request_id import RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def crash_client() -> Client:
    # Return the error page instead of re-raising the view's exception.
    return Client(raise_request_exception=False)


def test_an_unknown_page_is_a_styled_404_with_a_search_box(client):
    response = client.get("/tools/no-such-tool-anywhere/")

    assert response.status_code == 404
    html = response.text
    assert "We could not find that page" in html
    assert 'name="q"' in html
    assert "/static/css/site.css" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


def test_a_bad_host_gets_the_400_page_without_touching_the_request(client):
    response = client.get("/", HTTP_HOST="evil.example.net")

    assert response.status_code == 400
    assert "We could not understand that request" in response.text
    assert "evil.example.net" not in response.text
    assert "/static/css/site.css" in response.text


def test_an_oversized_post_gets_the_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = client.post("/submit/", {"message": "x" * 4096})

    assert response.status_code == 400
    assert "We could not understand that request" in response.text


def test_a_form_without_its_csrf_token_gets_the_403_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/submit/", {"name": "Notewise"})

    assert response.status_code == 403
    assert "Your form has expired" in response.text
    assert "CSRF" not in response.text  # the reason goes to the log, not to the visitor


@pytest.mark.urls("tests.fault_urls")
def test_a_crash_shows_the_500_page_with_its_request_id_and_no_internals(crash_client):
    response = crash_client.get("/test-boom/")

    assert response.status_code == 500
    html = response.text
    assert "Something went wrong on our side" in html
    assert "hunter2" not in html
    assert "RuntimeError" not in html
    assert "Traceback" not in html
    assert response["X-Request-ID"] in html
    assert "/static/css/site.css" in html
    assert "no-store" in response["Cache-Control"]


def test_the_500_page_renders_without_the_database(rf, django_assert_num_queries):
    request = rf.get("/")
    request.request_id = "req-0001-abcd"
    with django_assert_num_queries(0):
        try:
            raise RuntimeError("anything")
        except RuntimeError:
            response = server_error(request)

    assert response.status_code == 500
    assert "req-0001-abcd" in response.text


@pytest.mark.urls("tests.fault_urls")
def test_a_crash_is_logged_with_the_request_id(crash_client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter("[%(request_id)s] %(message)s"))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        crash_client.get("/test-boom/", HTTP_X_REQUEST_ID="req-from-proxy-42")
    finally:
        logger.removeHandler(handler)

    assert "[req-from-proxy-42] Internal Server Error: /test-boom/" in stream.getvalue()


def test_every_response_carries_a_fresh_request_id(client):
    first = client.get("/robots.txt")["X-Request-ID"]
    second = client.get("/robots.txt")["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_a_well_formed_incoming_request_id_is_kept(client):
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID="lb-7f3a9c21.0001")

    assert response["X-Request-ID"] == "lb-7f3a9c21.0001"


@pytest.mark.parametrize(
    "bad", ["short", "has spaces in it", "<script>alert(1)</script>", "x" * 200]
)
def test_a_malformed_incoming_request_id_is_replaced(client, bad):
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID=bad)

    assert response["X-Request-ID"] != bad
    assert len(response["X-Request-ID"]) == 32


def test_log_lines_outside_a_request_say_so():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)

    RequestIdFilter().filter(record)

    assert record.request_id == "-"


def test_the_submissions_rate_limit_says_when_to_come_back(client):
    data = {
        "name": "Notewise",
        "pitch": "Turns meeting recordings into action lists.",
        "pricing_model": "subscription",
    }
    for n in range(5):
        client.post("/submit/", {**data, "website": f"https://t{n}.example.org/"})

    response = client.post("/submit/", {**data, "website": "https://t9.example.org/"})

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
