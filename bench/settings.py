"""The project's own settings, plus the benchmark's minimal view (`/_bench/limit/`).

Everything else (middleware, templates, caches, database) is the project's, so the
limit and the real pages are measured on the same stack. Two deliberate differences,
both what a production deployment does: DEBUG is off, and database connections are
kept between requests (DATABASE_CONN_MAX_AGE, 600 s unless set) rather than opened
per request.
"""

import os
import warnings

from directory.env import env_int
from directory.settings import *  # noqa: F403
from directory.settings import ALLOWED_HOSTS, DATABASES

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1", "localhost", "testserver"]
# The benchmark speaks plain HTTP on loopback.
SECURE_SSL_REDIRECT = False
if "DATABASE_CONN_MAX_AGE" not in os.environ:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("BENCH_CONN_MAX_AGE", 600)
# Static files are served from the source folders; there is no collectstatic output.
warnings.filterwarnings("ignore", "No directory at", UserWarning)
