"""Tool cards for grids: HTML built from the facet index, kept per process.

Everything a card shows lives in the facet index (catalog.facet_index:
the card columns, prices, modalities), so a grid costs no query. Cards a
process rendered last are kept as HTML under the index stamp and the search
words; a new stamp (an editor's change) retires them all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from django.template import engines
from django.utils.safestring import SafeString

from catalog.facet_index import FacetIndex
from catalog.jinja import route
from catalog.models import CardFace, Tool

RECENT_CARDS = 10_000  # per process: about 15 MB of HTML


@dataclass(frozen=True, slots=True)
class CardFacts(CardFace):
    """What a card shows: read from the facet index, or taken from a tool."""

    pk: int
    name: str
    slug: str
    pitch: str
    status: str
    pricing_model: str
    starting_price: Decimal | None
    currency: str
    has_free_tier: bool
    price_period: str
    review_score: int | None
    commercial_use: str
    commercial_use_condition: str
    vendor_name: str | None

    @classmethod
    def of(cls, tool: Tool) -> CardFacts:
        columns = [getattr(tool, field.name) for field in fields(cls)[:-1]]
        return cls(*columns, tool.vendor.name if tool.vendor_id else None)


def card_facts(index: FacetIndex, ids: Iterable[int]) -> list[CardFacts]:
    """The facts of `ids` the index holds, in order; ids it lacks are left out."""
    columns = index.cards
    if columns is None:
        return []
    free = index.bitmaps.get("free", {}).get("1")
    facts = []
    for i in ids:
        if not columns.has(i):
            continue
        cents = int(index.prices[i])
        score = columns.review_scores[i]
        facts.append(
            CardFacts(
                i,
                columns.names[i],
                columns.slugs[i],
                columns.pitches[i],
                columns.statuses[i],
                columns.pricing_models[i],
                None if cents < 0 else Decimal(cents).scaleb(-2),
                columns.currencies[i],
                free is not None and i in free,
                columns.periods[i],
                None if score < 0 else score,
                columns.commercial_uses[i],
                columns.conditions[i],
                columns.vendor_names[i],
            )
        )
    return facts


@dataclass(frozen=True)
class Card:
    pk: int
    html: SafeString

    def __html__(self) -> str:
        return self.html


def render_card(facts: CardFacts, index: FacetIndex, *, query: str = "") -> SafeString:
    """One card through the Jinja2 fragment `fragments/card.html` (see catalog.jinja)."""
    template = engines["jinja2"].env.get_template("fragments/card.html")
    return SafeString(
        template.render(
            card=facts,
            inputs=[t.name for t in index.terms_in("input", facts.pk)],
            outputs=[t.name for t in index.terms_in("output", facts.pk)],
            query=query,
            # A tool page's URL from one cached reverse(), not one per card.
            tool_url=route("catalog:tool_detail", "SLUG").replace("SLUG", facts.slug),
            compare_url=route("catalog:compare"),
        )
    )


class _RecentCards:
    """The cards this process served last.

    Rendering a card costs ~25 µs, a page of them ~0.6 ms; cards a process has
    just shown are the likeliest to be shown again, so it keeps thousands as
    strings. Keys carry the index stamp, so an edit retires them.
    """

    def __init__(self, size: int):
        self.size = size
        self.cards: OrderedDict[Hashable, str] = OrderedDict()
        self.lock = threading.Lock()

    def get_many(self, keys: Iterable[Hashable]) -> dict[Hashable, str]:
        found = {}
        with self.lock:
            for key in keys:
                html = self.cards.get(key)
                if html is not None:
                    self.cards.move_to_end(key)
                    found[key] = html
        return found

    def clear(self) -> None:
        with self.lock:
            self.cards.clear()

    def remember(self, cards: dict[Hashable, str]) -> None:
        with self.lock:
            self.cards.update(cards)
            for key in cards:
                self.cards.move_to_end(key)
            while len(self.cards) > self.size:
                self.cards.popitem(last=False)


recent = _RecentCards(size=RECENT_CARDS)


def cards(ids: Sequence[int], *, index: FacetIndex, query: str = "") -> list[Card]:
    """The cards of `ids`, in order: this process's recent ones, the rest rendered
    from the index. `query` marks search words, so it is part of the key."""
    keys = {i: (index.stamp, i, query) for i in ids}
    html = recent.get_many(keys.values())
    missing = [i for i, key in keys.items() if key not in html]
    if missing:
        fresh = {
            keys[facts.pk]: render_card(facts, index, query=query)
            for facts in card_facts(index, missing)
        }
        recent.remember(fresh)
        html |= fresh
    return [Card(i, SafeString(html[key])) for i, key in keys.items() if key in html]
