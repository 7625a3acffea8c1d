"""Workers forked by gunicorn start with the facet index built and no shared sockets."""

import gc

import pytest
from django.db import DatabaseError

from catalog import facet_index, warmup
from catalog.versioning import current_version
from tests.factories import ToolFactory


@pytest.fixture
def unfreeze():
    yield
    gc.unfreeze()


@pytest.mark.django_db(transaction=True)
def test_the_arbiter_builds_the_current_index_then_lets_go_of_its_connection(unfreeze):
    tool = ToolFactory()
    facet_index._index = None
    warmup.before_fork()
    assert facet_index._index is not None
    assert facet_index._index.stamp == current_version().stamp
    assert tool.pk in facet_index._index.statuses["published"]
    assert gc.get_freeze_count() > 0


@pytest.mark.django_db
def test_no_database_or_cache_connection_is_handed_down_to_workers(monkeypatch, unfreeze):
    closed = []
    for name in ("connections", "caches"):
        handler = getattr(warmup, name)
        monkeypatch.setattr(handler, "close_all", lambda name=name: closed.append(name))
    warmup.before_fork()
    assert sorted(closed) == ["caches", "connections"]


def test_without_a_database_the_workers_build_the_index_themselves(monkeypatch, unfreeze, caplog):
    def unavailable():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(warmup, "get_index", unavailable)
    warmup.before_fork()  # must not raise: gunicorn would not start at all
    assert "not preloaded" in caplog.text
