"""The production Redis cache backend degrades to 'no cache' instead of raising."""

from directory.cache import ResilientRedisCache


def unreachable() -> ResilientRedisCache:
    return ResilientRedisCache("redis://127.0.0.1:1", {})  # nothing listens on port 1


def test_reads_miss_and_writes_are_dropped_when_redis_is_down():
    cache = unreachable()
    cache.set("card", "<li>…</li>", 60)
    assert cache.get("card") is None
    assert cache.get("card", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("counter", 0) is False
    assert cache.delete("card") is False
