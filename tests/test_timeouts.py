"""Every wait on a dependency is bounded: database connect and statements, Redis, gunicorn."""

import os
import time

import pytest
from django.db import connection

from directory import cache as resilient
from tests.fakes import silent_server
from tests.settings_env import PRODUCTION_ENV, settings_under

POSTGRES = {"DATABASE_URL": "postgres://root@127.0.0.1:5432/anything"}


def database_options(env: dict[str, str]) -> dict:
    return settings_under(env, "DATABASES")["DATABASES"]["default"]["OPTIONS"]


def test_production_bounds_postgres_connects_and_statements():
    options = database_options({**PRODUCTION_ENV, **POSTGRES})

    assert options["connect_timeout"] == 5
    assert options["options"] == "-c statement_timeout=15s"


def test_the_bounds_come_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://root@127.0.0.1:5432/anything?options=-c%20work_mem%3D8MB",
        "DATABASE_CONNECT_TIMEOUT": "3",
        "DATABASE_STATEMENT_TIMEOUT": "8",
    }
    options = database_options(env)

    assert options["connect_timeout"] == 3
    assert options["options"] == "-c work_mem=8MB -c statement_timeout=8s"


def test_development_has_no_statement_timeout_but_a_connect_timeout():
    options = database_options(POSTGRES)

    assert options == {"connect_timeout": 5}


def test_redis_waits_well_under_a_second():
    cache = settings_under({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "CACHES")["CACHES"]

    assert cache["default"]["BACKEND"] == "directory.cache.ResilientRedisCache"
    assert cache["default"]["OPTIONS"] == {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_applies_the_statement_timeout():
    import psycopg

    options = database_options({**PRODUCTION_ENV, "DATABASE_URL": os.environ["DATABASE_URL"]})
    with psycopg.connect(**{**connection.get_connection_params(), **options}) as conn:
        assert conn.execute("SHOW statement_timeout").fetchone() == ("15s",)


@pytest.mark.django_db
def test_a_hung_redis_costs_a_form_post_well_under_two_seconds(client, settings):
    resilient._recovered()
    data = {
        "name": "Notewise",
        "website": "https://notewise.example.org/",
        "pitch": "Turns meeting recordings into action lists.",
        "pricing_model": "subscription",
    }
    with silent_server() as port:
        settings.CACHES = {
            "default": {
                "BACKEND": "directory.cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}",
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
            }
        }
        started = time.monotonic()
        response = client.post("/submit/", data)
        took = time.monotonic() - started
    resilient._recovered()

    assert response.status_code == 302
    assert took < 2.0, took
