"""The visitor's address: X-Forwarded-For believed only from trusted proxies."""

import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from gunicorn.config import Config

from directory.client import client_address, parse_address, resolve, trusted_networks
from directory.env import env_networks
from directory.request_id import RequestIdFilter

ROOT = Path(__file__).resolve().parent.parent
PROXIES = trusted_networks(("127.0.0.1", "10.0.0.0/8", "fd00::/8"))


def who(remote_addr: str, forwarded_for: str = "") -> str:
    return resolve(remote_addr=remote_addr, forwarded_for=forwarded_for, trusted=PROXIES)


def test_a_direct_visitor_is_its_connection_address():
    assert who("203.0.113.7") == "203.0.113.7"


def test_a_trusted_proxy_names_the_visitor():
    assert who("127.0.0.1", "203.0.113.7") == "203.0.113.7"


def test_a_visitor_forging_the_header_without_a_proxy_changes_nothing():
    assert who("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_a_forged_entry_in_front_of_the_proxys_own_is_ignored():
    # The visitor sent "X-Forwarded-For: 198.51.100.1"; the proxy appended the real address.
    assert who("127.0.0.1", "198.51.100.1, 203.0.113.7") == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_first_untrusted_hop():
    # CDN edge 198.51.100.9 -> load balancer 10.0.0.5 -> nginx 127.0.0.1
    assert who("127.0.0.1", "203.0.113.7, 198.51.100.9, 10.0.0.5") == "198.51.100.9"


def test_when_every_hop_is_trusted_the_leftmost_is_the_client():
    assert who("127.0.0.1", "10.1.2.3, 10.0.0.5") == "10.1.2.3"


def test_a_trusted_proxy_without_the_header_is_the_client_itself():
    assert who("127.0.0.1") == "127.0.0.1"


def test_a_malformed_entry_stops_the_walk_at_the_last_trusted_address():
    assert who("127.0.0.1", "203.0.113.7, not-an-address, 10.0.0.5") == "10.0.0.5"
    assert who("127.0.0.1", "<script>") == "127.0.0.1"


def test_ipv6_and_ipv4_mapped_addresses_are_understood():
    assert who("fd00::1", "2001:db8::7") == "2001:db8::7"
    assert who("::ffff:127.0.0.1", "203.0.113.7") == "203.0.113.7"
    assert who("::ffff:203.0.113.7") == "203.0.113.7"


def test_ports_added_by_other_proxies_are_dropped():
    assert parse_address("203.0.113.7:51234") == parse_address("203.0.113.7")
    assert str(parse_address("[2001:db8::1]:443")) == "2001:db8::1"


def test_a_connection_without_an_ip_address_is_passed_through():
    assert who("") == ""
    assert who("unix:/run/gunicorn.sock", "203.0.113.7") == "unix:/run/gunicorn.sock"


def test_requests_use_the_trusted_proxies_setting(rf, settings):
    settings.TRUSTED_PROXIES = ["192.0.2.10"]
    via_proxy = rf.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.7")
    direct = rf.get("/", REMOTE_ADDR="192.0.2.11", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert client_address(via_proxy) == "203.0.113.7"
    assert client_address(direct) == "192.0.2.11"


def test_nobody_is_trusted_when_the_setting_is_empty(rf, settings):
    settings.TRUSTED_PROXIES = []
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert client_address(request) == "127.0.0.1"


def test_the_setting_refuses_what_is_not_an_address_or_network(monkeypatch):
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "127.0.0.1, proxy.internal")
    with pytest.raises(ImproperlyConfigured, match=r"proxy\.internal"):
        env_networks("DJANGO_TRUSTED_PROXIES", [])
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "10.0.0.5/8")
    with pytest.raises(ImproperlyConfigured):
        env_networks("DJANGO_TRUSTED_PROXIES", [])
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "10.0.0.0/8, ::1")
    assert env_networks("DJANGO_TRUSTED_PROXIES", []) == ["10.0.0.0/8", "::1"]


def test_log_lines_name_the_visitor_not_the_proxy(rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "hi", None, None)
    record.request = request

    RequestIdFilter().filter(record)

    assert record.client_address == "203.0.113.7"


def gunicorn_config(monkeypatch, **env: str) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_the_access_log_names_the_visitor_not_the_proxy(monkeypatch):
    config = gunicorn_config(monkeypatch)
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": "203.0.113.7",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)

    logger = config["logger_class"](Config())
    atoms = logger.atoms(response, {}, environ, timedelta(milliseconds=5))

    assert atoms["h"] == "203.0.113.7"


def test_gunicorn_believes_https_from_the_same_proxies(monkeypatch):
    config = gunicorn_config(monkeypatch, DJANGO_TRUSTED_PROXIES="10.0.0.0/8,127.0.0.1")

    assert config["forwarded_allow_ips"] == "10.0.0.0/8,127.0.0.1"


# What the address decides: rate limits and login lockouts.

SUBMIT = "/submit/"


def suggestion(n: int) -> dict:
    return {
        "name": f"Notewise {n}",
        "website": f"https://t{n}.example.org/",
        "pitch": "Turns meeting recordings into action lists.",
        "pricing_model": "subscription",
    }


def submit_via_proxy(client, n: int, visitor: str, proxy: str = "127.0.0.1"):
    return client.post(SUBMIT, suggestion(n), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=visitor)


@pytest.fixture
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("_empty_cache")
def test_visitors_behind_the_proxy_each_get_their_own_allowance(client):
    for n in range(5):
        assert submit_via_proxy(client, n, "203.0.113.1").status_code == 302

    assert submit_via_proxy(client, 5, "203.0.113.1").status_code == 429
    assert submit_via_proxy(client, 6, "203.0.113.2").status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("_empty_cache")
def test_a_direct_client_cannot_win_a_fresh_allowance_by_forging_the_header(client):
    for n in range(5):
        response = submit_via_proxy(client, n, f"198.51.100.{n}", proxy="203.0.113.9")
        assert response.status_code == 302

    assert submit_via_proxy(client, 5, "198.51.100.77", proxy="203.0.113.9").status_code == 429


def login(client, username: str, visitor: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": "wrong-password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=visitor,
    )


@pytest.mark.django_db
def test_a_lockout_behind_the_proxy_locks_out_one_visitor_not_everyone(client, editor):
    for _ in range(5):
        login(client, editor.username, "203.0.113.66")

    assert AccessAttempt.objects.get().ip_address == "203.0.113.66"
    response = client.post(
        reverse("admin:login"),
        {"username": editor.username, "password": "a-long-test-password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert response.status_code == 302
