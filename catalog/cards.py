"""Tool cards for grids, as HTML cached per tool, catalogue stamp and search words.

A grid reads all its cards from the cache in one round trip. Only the missing
ones are loaded, in one query (the tool and its vendor; modalities come from
the facet index), rendered by catalog.fragments and stored for the next page.
The stamp in the key retires every card when an editor changes the catalogue.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.safestring import SafeString

from catalog import fragments
from catalog.facet_index import FacetIndex
from catalog.models import Tool

CARD_SECONDS = 3600

# What a card shows; everything else on the row stays in the database.
CARD_FIELDS = (
    "name",
    "slug",
    "pitch",
    "status",
    "pricing_model",
    "starting_price",
    "currency",
    "has_free_tier",
    "price_period",
    "review_score",
    "commercial_use",
    "commercial_use_condition",
    "vendor__name",
)


@dataclass(frozen=True)
class Card:
    pk: int
    html: SafeString

    def __html__(self) -> str:
        return self.html


def card_key(tool_id: int, *, stamp: str, query: str = "") -> str:
    words = hashlib.md5(query.encode(), usedforsecurity=False).hexdigest() if query else ""
    return f"card:{stamp}:{tool_id}:{words}"


def render_card(tool: Tool, index: FacetIndex, *, query: str = "") -> SafeString:
    return fragments.tool_card(
        tool,
        inputs=[t.name for t in index.terms_in("input", tool.pk)],
        outputs=[t.name for t in index.terms_in("output", tool.pk)],
        query=query,
    )


def cards(ids: Sequence[int], *, index: FacetIndex, query: str = "") -> list[Card]:
    """The cards of `ids`, in order; one cache read plus at most one query."""
    keys = {i: card_key(i, stamp=index.stamp, query=query) for i in ids}
    cached = cache.get_many(list(keys.values()))
    html = {i: cached[key] for i, key in keys.items() if key in cached}
    missing = [i for i in ids if i not in html]
    if missing:
        fresh = {
            tool.pk: render_card(tool, index, query=query)
            for tool in Tool.objects.filter(pk__in=missing)
            .select_related("vendor")
            .only(*CARD_FIELDS)
        }
        cache.set_many({keys[i]: card for i, card in fresh.items()}, CARD_SECONDS)
        html |= fresh
    return [Card(i, SafeString(html[i])) for i in ids if i in html]
