"""Tool cards for grids, as HTML cached per tool, catalogue stamp and search words.

A grid reads all its cards from the cache in one round trip. Only the missing
ones are loaded, in one query (the tool and its vendor; modalities come from
the facet index), rendered by catalog.fragments and stored for the next page.
The stamp in the key retires every card when an editor changes the catalogue.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.core.cache import cache
from django.db import connection
from django.utils.safestring import SafeString

from catalog import fragments
from catalog.facet_index import FacetIndex
from catalog.models import CardFace, Tool, Vendor

CARD_SECONDS = 3600
RECENT_CARDS = 5000  # per process: about 10 MB of HTML


@dataclass(frozen=True, slots=True)
class CardFacts(CardFace):
    """What a card shows: one row of `FIELDS`, read without building a model
    instance (a tenth of the cost for a page of 24), or taken from a tool."""

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

    FIELDS = (
        "pk",
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

    @classmethod
    def of(cls, tool: Tool) -> CardFacts:
        columns = [getattr(tool, name) for name in cls.FIELDS[:-1]]
        return cls(*columns, tool.vendor.name if tool.vendor_id else None)


def card_facts(ids: Sequence[int]) -> list[CardFacts]:
    """The rows of `ids`, in no particular order: one query written out by hand.

    Why not the ORM: for a page of 24 cards, building this query and its rows
    through values_list cost ~0.8 ms of Python, more than PostgreSQL took to
    answer it, on the catalogue's most frequent uncached path.
    """
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(_card_sql().format(ids=placeholders), list(ids))
        rows = cursor.fetchall()
    return [
        CardFacts(
            *row[:6],
            # SQLite hands back decimals as floats and booleans as integers.
            None if row[6] is None else Decimal(str(row[6])).quantize(CENTS),
            row[7],
            bool(row[8]),
            *row[9:],
        )
        for row in rows
    ]


CENTS = Decimal("0.01")


@lru_cache(maxsize=1)
def _card_sql() -> str:
    """SELECT CardFacts.FIELDS FROM the tool table joined to its vendor, quoted for this
    database, with `{ids}` left for the placeholders."""
    quote = connection.ops.quote_name
    tool, vendor = Tool._meta, Vendor._meta
    columns = [f"t.{quote(tool.get_field(name).column)}" for name in CardFacts.FIELDS[1:-1]]
    return (
        f"SELECT t.{quote(tool.pk.column)}, {', '.join(columns)}, v.{quote('name')} "
        f"FROM {quote(tool.db_table)} t "
        f"LEFT JOIN {quote(vendor.db_table)} v "
        f"ON v.{quote(vendor.pk.column)} = t.{quote(tool.get_field('vendor').column)} "
        f"WHERE t.{quote(tool.pk.column)} IN ({{ids}})"
    )


@dataclass(frozen=True)
class Card:
    pk: int
    html: SafeString

    def __html__(self) -> str:
        return self.html


def card_key(tool_id: int, *, stamp: str, query: str = "") -> str:
    return f"card:{stamp}:{tool_id}:{_words_key(query)}"


@lru_cache(maxsize=256)
def _words_key(query: str) -> str:
    """The search words as a short, cache-safe key part; hashed once, not once per card."""
    return hashlib.md5(query.encode(), usedforsecurity=False).hexdigest() if query else ""


def render_card(facts: CardFacts, index: FacetIndex, *, query: str = "") -> SafeString:
    return fragments.tool_card(
        facts,
        inputs=[t.name for t in index.terms_in("input", facts.pk)],
        outputs=[t.name for t in index.terms_in("output", facts.pk)],
        query=query,
    )


class _RecentCards:
    """The cards this process served last, in front of the shared cache.

    A card read from Django's cache is unpickled, and one stored is pickled,
    on every page (in Redis, also a round trip); cards a process has just shown
    are the likeliest to be shown again, so it keeps a few thousand as strings.
    Keys carry the catalogue stamp, so an edit retires them like the cache's.
    """

    def __init__(self, size: int):
        self.size = size
        self.cards: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
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

    def remember(self, cards: dict[str, str]) -> None:
        with self.lock:
            self.cards.update(cards)
            for key in cards:
                self.cards.move_to_end(key)
            while len(self.cards) > self.size:
                self.cards.popitem(last=False)


recent = _RecentCards(size=RECENT_CARDS)


def cards(ids: Sequence[int], *, index: FacetIndex, query: str = "") -> list[Card]:
    """The cards of `ids`, in order: from this process's recent cards, then one read
    of the shared cache, then at most one query for the rest."""
    keys = {i: card_key(i, stamp=index.stamp, query=query) for i in ids}
    known = recent.get_many(keys.values())
    unknown = [key for key in keys.values() if key not in known]
    shared = cache.get_many(unknown) if unknown else {}
    html = {i: known.get(key) or shared.get(key) for i, key in keys.items()}
    missing = [i for i, card in html.items() if card is None]
    fresh: dict[str, str] = {}
    if missing:
        for facts in card_facts(missing):
            html[facts.pk] = fresh[keys[facts.pk]] = render_card(facts, index, query=query)
        cache.set_many(fresh, CARD_SECONDS)
    if shared or fresh:
        recent.remember(shared | fresh)
    return [Card(i, SafeString(html[i])) for i in ids if html.get(i) is not None]
