"""Tools for card grids, skipping the database for cards already rendered.

`includes/tool_grid.html` caches each card's HTML under (tool id, catalogue
stamp, search words). When a page's cards are all cached, the grid only
needs their ids, so loading the tools (three queries) is wasted work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

from catalog.models import Tool

# The fragment name used by {% cache %} in includes/tool_grid.html.
CARD_FRAGMENT = "tool_card"


class CachedCard:
    """Stands in for a tool whose card is cached: the grid reads only `pk`.

    Should the entry be evicted between the check and the render, any other
    attribute loads the real tool, so the card is still right, just slower.
    """

    def __init__(self, pk: int) -> None:
        self.pk = pk
        self._tool: Tool | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self._tool is None:
            self._tool = Tool.objects.for_cards().get(pk=self.pk)
        return getattr(self._tool, name)


def card_key(tool_id: int, *, stamp: str, query: str = "") -> str:
    return make_template_fragment_key(CARD_FRAGMENT, [tool_id, stamp, query])


def card_tools(ids: Sequence[int], *, stamp: str, query: str = "") -> list[Tool | CachedCard]:
    """`ids` in order, as tools or stand-ins; one cache read plus at most one load."""
    keys = {card_key(i, stamp=stamp, query=query): i for i in ids}
    cached = {keys[key] for key in cache.get_many(list(keys))}
    missing = [i for i in ids if i not in cached]
    loaded = {t.pk: t for t in Tool.objects.filter(pk__in=missing).for_cards()} if missing else {}
    return [CachedCard(i) if i in cached else loaded[i] for i in ids if i in cached or i in loaded]
