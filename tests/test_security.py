"""Security settings and headers, the admin's brute-force lockout, and private staff pages."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.settings_env import PRODUCTION_ENV, settings_under

pytestmark = pytest.mark.django_db


def test_production_hardens_https_and_cookies():
    values = settings_under(
        PRODUCTION_ENV,
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_DOMAIN",
        "SESSION_COOKIE_PATH",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_DOMAIN",
        "CSRF_COOKIE_PATH",
        "DEBUG",
    )

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["DEBUG"] is False
    # The __Host- prefix only holds for Secure cookies on path "/" with no domain.
    for cookie in ("SESSION", "CSRF"):
        assert values[f"{cookie}_COOKIE_NAME"].startswith("__Host-")
        assert values[f"{cookie}_COOKIE_SECURE"] is True
        assert values[f"{cookie}_COOKIE_PATH"] == "/"
        assert values[f"{cookie}_COOKIE_DOMAIN"] is None
    assert values["SESSION_COOKIE_HTTPONLY"] is True


def test_plain_http_development_keeps_cookies_browsers_accept():
    values = settings_under({}, "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME")

    assert values == {"SESSION_COOKIE_NAME": "sessionid", "CSRF_COOKIE_NAME": "csrftoken"}


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    with pytest.raises(AssertionError, match="DJANGO_SECRET_KEY must be set"):
        settings_under(env, "DEBUG")


def test_the_admin_url_comes_from_the_environment():
    values = settings_under({"DJANGO_ADMIN_URL": "backstage-7f3a/"}, "ADMIN_URL")

    assert values["ADMIN_URL"] == "backstage-7f3a/"


def test_a_malformed_admin_url_is_refused():
    with pytest.raises(AssertionError, match="DJANGO_ADMIN_URL"):
        settings_under({"DJANGO_ADMIN_URL": "/admin"}, "ADMIN_URL")


def test_every_page_sends_the_protective_headers(client):
    response = client.get("/submit/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_csp_is_strict(client):
    csp = client.get("/submit/")["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}

    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_https_is_enforced_with_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000

    insecure = client.get("/robots.txt")
    secure = client.get("/robots.txt", secure=True)

    assert insecure.status_code == 301
    assert insecure["Location"].startswith("https://")
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_host_prefixed_cookies_are_sent_as_browsers_require(settings, editor):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()

    client.get(reverse("admin:login"), secure=True)
    response = client.post(
        reverse("admin:login"),
        {"username": editor.username, "password": "a-long-test-password"},
        secure=True,
    )

    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["path"] == "/"
    assert not session["domain"]
    assert client.cookies["__Host-csrftoken"]["secure"]


# Admin brute force.


def login(client: Client, username: str, password: str, address: str = "10.1.1.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_account_out_from_that_address(client, editor):
    for _ in range(4):
        assert login(client, editor.username, "wrong-password").status_code == 200

    fifth = login(client, editor.username, "wrong-password")
    even_the_right_one = login(client, editor.username, "a-long-test-password")

    assert fifth.status_code == 429
    assert "Too many attempts" in fifth.text
    assert "15 minutes" in fifth.text
    assert even_the_right_one.status_code == 429


def test_four_wrong_passwords_do_not_lock_out(client, editor):
    for _ in range(4):
        login(client, editor.username, "wrong-password")

    assert login(client, editor.username, "a-long-test-password").status_code == 302


def test_the_lockout_is_per_username_and_address(editor, superuser):
    attacker = Client()
    for _ in range(5):
        login(attacker, editor.username, "wrong-password", address="10.6.6.6")

    # The same editor from their usual address, and another user from the attacker's, get in.
    assert login(Client(), editor.username, "a-long-test-password").status_code == 302
    other = login(Client(), superuser.username, "a-long-test-password", address="10.6.6.6")
    assert other.status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, editor):
    for _ in range(5):
        login(client, editor.username, "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert login(client, editor.username, "a-long-test-password").status_code == 302


def test_attempts_during_a_lockout_do_not_extend_it(client, editor):
    for _ in range(5):
        login(client, editor.username, "wrong-password")
    locked_at = timezone.now() - timedelta(minutes=14)
    AccessAttempt.objects.update(attempt_time=locked_at)

    # An attacker keeps guessing through the cool-off...
    for _ in range(3):
        assert login(client, editor.username, "wrong-password").status_code == 429
    # ...and still the lockout ends 15 minutes after it began.
    assert AccessAttempt.objects.get().attempt_time == locked_at
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, editor.username, "a-long-test-password").status_code == 302


def test_a_lockout_says_when_to_come_back(client, editor):
    for _ in range(4):
        login(client, editor.username, "wrong-password")

    locking = login(client, editor.username, "wrong-password")
    later = login(client, editor.username, "a-long-test-password")

    assert locking.status_code == later.status_code == 429
    assert locking["Retry-After"] == later["Retry-After"] == str(15 * 60)


# Staff pages.


@pytest.mark.parametrize("name", ["admin:index", "admin:catalog_tool_changelist"])
def test_staff_pages_are_never_stored_by_caches(editor_client, name):
    response = editor_client.get(reverse(name))

    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control
    assert "public" not in cache_control


def test_public_pages_seen_by_an_editor_are_private(editor_client):
    cache_control = editor_client.get("/reviews/")["Cache-Control"]

    assert "private" in cache_control
    assert "no-store" in cache_control
