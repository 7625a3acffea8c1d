"""Get a server process ready before gunicorn forks its workers from it.

Why: each worker keeps its own facet index, and building one takes seconds at
100,000 tools. Without this, every worker gunicorn starts (at boot, and again
whenever `max_requests` or a timeout replaces one) spent its first request
rebuilding it: the multi-second stalls seen over HTTP in the benchmark. With
`preload_app`, the arbiter builds the index once and each worker inherits it
through fork, sharing its memory until the catalogue changes.
"""

from __future__ import annotations

import gc
import logging

from django.core.cache import caches
from django.db import DatabaseError, connections

from catalog.facet_index import get_index

logger = logging.getLogger(__name__)


def before_fork() -> None:
    """Bring the index up to date, then drop what a child must not share."""
    try:
        get_index()  # rebuilt only if an editor changed the catalogue since the last fork
    except DatabaseError:
        logger.warning("facet index not preloaded (database unavailable); workers build it")
    finally:
        # A socket opened here would be shared by every worker: close them all.
        connections.close_all()
        caches.close_all()
    # What exists now lives as long as the process: keep it out of the cyclic
    # collector's sweeps (a full sweep of it took ~35 ms), in the arbiter and
    # in every worker forked from it.
    gc.freeze()
