"""The site's settings with tests/fault_urls.py as the URLconf: for the server-timeout test,
which runs gunicorn in a subprocess and needs the slow page there."""

from directory.settings import *  # noqa: F403  (one override on top of the real settings)

ROOT_URLCONF = "tests.fault_urls"
