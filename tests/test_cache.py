"""The production Redis cache backend degrades to 'no cache' instead of raising or waiting."""

import time

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from directory import cache as resilient
from directory.cache import ResilientRedisCache
from tests.fakes import closed_port, silent_server

TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}


@pytest.fixture(autouse=True)
def _redis_not_skipped():
    resilient._recovered()
    yield
    resilient._recovered()


def redis_at(port: int) -> ResilientRedisCache:
    return ResilientRedisCache(f"redis://127.0.0.1:{port}", {"OPTIONS": TIMEOUTS})


def test_reads_miss_and_writes_are_dropped_when_redis_is_down():
    cache = redis_at(closed_port())
    cache.set("card", "<li>…</li>", 60)
    assert cache.get("card") is None
    assert cache.get("card", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("counter", 0) is False
    assert cache.incr("counter") == 0
    assert cache.delete("card") is False


def test_a_hung_redis_costs_one_timeout_then_nothing_for_a_while():
    with silent_server() as port:
        cache = redis_at(port)
        started = time.monotonic()
        assert cache.get("card") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(10):
            cache.set("card", "x", 60)
            assert cache.get("card") is None
        next_ten = time.monotonic() - started

    assert 0.2 <= first < 1.0
    assert next_ten < 0.05


def test_redis_is_tried_again_after_the_pause(monkeypatch):
    with silent_server() as port:
        cache = redis_at(port)
        cache.get("card")
        assert resilient.skipping()
        monkeypatch.setattr(resilient, "_skip_until", time.monotonic() - 1)
        assert not resilient.skipping()
        started = time.monotonic()
        cache.get("card")
        # It did wait on Redis again (and is skipping it again).
        assert time.monotonic() - started >= 0.2
        assert resilient.skipping()


def test_a_ping_asks_redis_even_while_skipping_it():
    cache = redis_at(closed_port())
    cache.get("card")
    assert resilient.skipping()

    with pytest.raises(RedisConnectionError):
        cache.ping()
