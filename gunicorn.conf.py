"""Gunicorn settings for `make serve` and production; every value can come from the environment.

Sync workers: the site is CPU- and database-bound with short requests, and a
sync worker that overruns `timeout` is killed and replaced by the arbiter, so
one slow request can never hold a worker for ever.
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

from directory.client import client_address_of
from directory.env import env_bool as _bool
from directory.env import env_int as _int
from directory.env import env_networks as _networks

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# The usual 2 x cores + 1, capped so a big machine does not exhaust the database's connections.
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 12))
worker_class = "sync"
# A request that runs longer than this is cut off: its worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak cannot grow without bound; jitter
# keeps them from all restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Load the site once in the arbiter and fork workers from it, so a new worker
# starts with the catalogue's facet index already built (catalog/warmup.py)
# instead of spending its first request, seconds at 100,000 tools, on it.
preload_app = _bool("GUNICORN_PRELOAD", True)
# Refuse absurd request lines and headers before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# %(h)s is the client's address, not the proxy's (ClientAddressLogger below); the
# request id matches the one in Django's log lines and on the 500 page.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
# TLS for local checks (the Observatory script); production terminates TLS at the proxy.
certfile = os.environ.get("GUNICORN_CERTFILE") or None
keyfile = os.environ.get("GUNICORN_KEYFILE") or None
# X-Forwarded-Proto (HTTPS or not) is believed only from the proxies Django trusts
# for X-Forwarded-For: one list, DJANGO_TRUSTED_PROXIES.
forwarded_allow_ips = ",".join(_networks("DJANGO_TRUSTED_PROXIES", ["127.0.0.1", "::1"]))
wsgi_app = "directory.wsgi:application"


class ClientAddressLogger(Logger):
    """The access log names the visitor (directory/client.py), as Django's log lines do."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = client_address_of(environ) or "-"
        return atoms


logger_class = ClientAddressLogger


def pre_fork(server, worker):
    """In the arbiter, before each worker is forked (at boot and on every replacement)."""
    if server.cfg.preload_app:
        from catalog.warmup import before_fork

        before_fork()
