"""An in-memory bitmap index of the catalogue, one per worker process.

Why: counting eleven facets with SQL costs one grouped query each, and at
100,000 tools each of those takes tens of milliseconds. Here every facet
option is a compressed bitmap of tool ids (pyroaring), so a filter is a few
unions and intersections and a count is one intersection cardinality, all
in microseconds. Sort orders are precomputed rank arrays (numpy).

The index is rebuilt when the catalogue version stamp changes (see
catalog.versioning), so an editor's change shows on the next request.
`tests/test_facet_engine.py` proves it gives exactly the SQL engine's counts.
"""

from __future__ import annotations

import array
import dataclasses
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Value
from pyroaring import BitMap

from catalog.filters import CHOICE_FACETS, FLAG_FACETS, RELATION_FACETS, SCORE_CHOICES
from catalog.models import AIModel, CommercialUse, ModelFamily, Platform, PricingPlan, Tool
from catalog.taxonomy import Taxonomy, Term, load_taxonomy
from catalog.versioning import current_version

# Extra per-value bitmaps (not facets) the wizard reads: name -> Tool column.
EXTRA_COLUMNS = {
    "period": "price_period",
    "training": "trains_on_user_data",
    "indemnity": "ip_indemnity",
}
FREE_PLAN_FORBIDS_COMMERCIAL = "free_plan_forbids_commercial"


@dataclass(frozen=True)
class ModelNote:
    """An underlying model as a tool page names it: "GPT-4o (OpenAI, open weights)"."""

    name: str
    developer: str | None
    open_weights: bool


@dataclass(frozen=True)
class Texts:
    """One text column by tool id, packed as one UTF-8 blob and offsets.

    No string object per tool: a million tools cost their bytes rather than
    ~50 bytes of object overhead each, and workers forked after the build
    share the pages instead of copying them as reference counts change.
    """

    blob: bytes
    offsets: array.array  # "q", size + 1 entries: tool i is blob[offsets[i]:offsets[i + 1]]

    def __getitem__(self, tool_id: int) -> str:
        return self.blob[self.offsets[tool_id] : self.offsets[tool_id + 1]].decode()


@dataclass(frozen=True)
class Codes:
    """A column with few distinct values, by tool id: a code each (-1: no value)."""

    codes: array.array  # "i"
    values: list[Any]

    def __getitem__(self, tool_id: int) -> Any:
        code = self.codes[tool_id]
        return None if code < 0 else self.values[code]


@dataclass(frozen=True)
class CardColumns:
    """What a tool card shows that the facets do not hold (catalog.cards renders it),
    so a grid of cards needs no query; prices and the free tier come from the index."""

    names: Texts
    slugs: Texts
    pitches: Texts
    conditions: Texts  # the commercial-use condition
    statuses: Codes
    pricing_models: Codes
    currencies: Codes
    periods: Codes
    commercial_uses: Codes
    vendor_names: Codes
    review_scores: array.array  # "i", -1: not reviewed

    def has(self, tool_id: int) -> bool:
        return 0 <= tool_id < len(self.statuses.codes) and self.statuses.codes[tool_id] >= 0


@dataclass(frozen=True)
class FacetIndex:
    stamp: str
    taxonomy: Taxonomy
    statuses: dict[str, BitMap]
    # filter name -> value -> tool ids; covers every facet plus "vendor".
    bitmaps: dict[str, dict[str, BitMap]]
    # sort key -> rank of each tool id (index = id); lower ranks come first.
    ranks: dict[str, np.ndarray]
    # relation facet -> (offsets by tool id, term numbers, term slugs): each tool's terms.
    terms: dict[str, tuple[np.ndarray, np.ndarray, list[str]]]
    # For the wizard (catalog/recommend.py): starting price in cents by tool id (-1: none),
    # the language model families and the integration platforms (slugs).
    prices: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    language_families: frozenset[str] = frozenset()
    integrations: frozenset[str] = frozenset()
    # Tools an editor has checked at least once (the home page's "recently checked").
    verified: BitMap = dataclasses.field(default_factory=BitMap)
    # Each tool's underlying models (the tool page shows them without a query):
    # offsets and numbers as in `terms`, numbers pointing into `model_notes`.
    models_by_tool: tuple[np.ndarray, np.ndarray, list[ModelNote]] = (
        np.zeros(1, dtype=np.int64),
        np.zeros(0, dtype=np.int32),
        [],
    )
    cards: CardColumns | None = None
    # Made on first use and kept: option bitmaps as numpy id arrays (catalog.similar
    # scores on them) and each vocabulary's order and names (cards).
    _arrays: dict[tuple[str, str], Any] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def size(self) -> int:
        return len(self.ranks["name"])

    def slugs_of(self, facet: str, tool_id: int) -> list[str]:
        offsets, numbers, slugs = self.terms[facet]
        if tool_id + 1 >= len(offsets):
            return []
        return [slugs[n] for n in numbers[offsets[tool_id] : offsets[tool_id + 1]]]

    def terms_in(self, facet: str, tool_id: int) -> list[Term]:
        """A tool's terms of one relation facet, in vocabulary order, with names.
        Each vocabulary's order is looked up once per index (cards ask 48 times a page)."""
        slugs = self.slugs_of(facet, tool_id)
        if not slugs:
            return []
        key = ("terms", facet)
        order = self._arrays.get(key)
        if order is None:
            _relation, vocabulary, _label = RELATION_FACETS[facet]
            terms = getattr(self.taxonomy, vocabulary)
            order = self._arrays[key] = {t.slug: (n, t) for n, t in enumerate(terms)}
        return [term for _n, term in sorted(order[s] for s in slugs if s in order)]

    def models_of(self, tool_id: int) -> list[ModelNote]:
        offsets, numbers, notes = self.models_by_tool
        if tool_id + 1 >= len(offsets):
            return []
        return [notes[n] for n in numbers[offsets[tool_id] : offsets[tool_id + 1]]]

    def terms_of(self, tool_id: int) -> dict[str, list[Term]]:
        """A tool's tags by facet (output, input, family, use, platform, work):
        what pages show instead of prefetching."""
        return {facet: self.terms_in(facet, tool_id) for facet in RELATION_FACETS}

    def as_array(self, ids: BitMap) -> np.ndarray:
        return np.frombuffer(ids.to_array(), dtype=np.uint32)

    def option_ids(self, name: str, value: str) -> np.ndarray:
        """The ids carrying one option, as an array for numpy indexing; kept for reuse."""
        ids = self._arrays.get((name, value))
        if ids is None:
            ids = self.as_array(self.bitmaps.get(name, {}).get(value, BitMap())).astype(np.intp)
            self._arrays[(name, value)] = ids
        return ids

    def bitmap_of(self, ids: np.ndarray) -> BitMap:
        return _bitmap(ids)

    def universe(self, statuses: Iterable[str]) -> BitMap:
        return BitMap.union(*(self.statuses.get(s, BitMap()) for s in statuses))

    def selection(self, name: str, values: Sequence[str]) -> BitMap:
        """OR within a filter: tools having any of `values`."""
        options = self.bitmaps.get(name, {})
        return BitMap.union(*(options.get(v, BitMap()) for v in values)) if values else BitMap()

    def page(self, ids: BitMap, *, sort: str, offset: int, limit: int) -> list[int]:
        """The ids at [offset, offset + limit) of `ids` in `sort` order."""
        if offset >= len(ids) or limit <= 0:
            return []
        members = self.as_array(ids)
        ranks = self.ranks[sort][members]
        stop = min(offset + limit, len(members))
        if stop < len(members):
            window = np.argpartition(ranks, stop - 1)[:stop]
        else:
            window = np.arange(len(members))
        ordered = window[np.argsort(ranks[window], kind="stable")]
        return [int(i) for i in members[ordered[offset:stop]]]


def _bitmap(ids: np.ndarray) -> BitMap:
    """A bitmap from an array of ids (through array.array: pyroaring's fast path)."""
    values = array.array("I")
    values.frombytes(np.ascontiguousarray(ids, dtype=np.uint32).tobytes())
    return BitMap(values)


def _bitmaps_by(ids: np.ndarray, values: Sequence[Any]) -> dict[str, BitMap]:
    """One bitmap per distinct value (as text): the ids whose value it is."""
    codes = {value: n for n, value in enumerate(dict.fromkeys(values))}
    numbered = np.fromiter(map(codes.__getitem__, values), dtype=np.int64, count=len(ids))
    order = np.argsort(numbered, kind="stable")
    bounds = np.searchsorted(numbered[order], np.arange(len(codes) + 1))
    grouped = ids[order]
    return {str(value): _bitmap(grouped[bounds[c] : bounds[c + 1]]) for value, c in codes.items()}


def _ranks(size: int, pks: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Each id's position when sorted by `keys` (the first one first)."""
    order = np.lexsort(keys[::-1])
    rank = np.zeros(size, dtype=np.int64)
    rank[pks[order]] = np.arange(len(order))
    return rank


def build_index(stamp: str) -> FacetIndex:
    """Read the catalogue in 1 + 6 + 2 + 2 + 5 queries and index it.

    Column-wise with numpy: at 1,000,000 tools a row-by-row build took about
    30 s, and every worker runs one whenever an editor changes the catalogue.
    """
    columns = ["pk", "status", "vendor__slug", "name", "created", "last_checked", "review_score"]
    columns += ["starting_price"] + [c for c, _choices, _label in CHOICE_FACETS.values()]
    columns += list(EXTRA_COLUMNS.values())
    columns += [c for c, _label in FLAG_FACETS.values()]
    columns += [c for c in CARD_COLUMNS if c not in columns]
    rows = list(Tool.objects.values_list(*columns).order_by("pk"))
    column = dict(zip(columns, zip(*rows, strict=True), strict=True)) if rows else {}
    column = {name: column.get(name, ()) for name in columns}
    pks = np.array(column["pk"], dtype=np.int64)
    size = int(pks[-1]) + 1 if len(pks) else 1

    vendors = column["vendor__slug"]
    has_vendor = np.array([v is not None for v in vendors], dtype=bool)
    bitmaps: dict[str, dict[str, BitMap]] = {
        "vendor": _bitmaps_by(pks[has_vendor], [v for v in vendors if v is not None])
    }
    for name, (field_name, _choices, _label) in CHOICE_FACETS.items():
        bitmaps[name] = _bitmaps_by(pks, column[field_name])
    for name, (field_name, _label) in FLAG_FACETS.items():
        flags = np.array(column[field_name], dtype=bool)
        bitmaps[name] = {"1": _bitmap(pks[flags])}
    for name, field_name in EXTRA_COLUMNS.items():
        bitmaps[name] = _bitmaps_by(pks, column[field_name])
    # Free-only plus commercial use: tools whose free plan forbids commercial use.
    forbids = PricingPlan.objects.filter(price=0, commercial_use=CommercialUse.NOT_ALLOWED)
    bitmaps[FREE_PLAN_FORBIDS_COMMERCIAL] = {
        "1": BitMap(forbids.values_list("tool_id", flat=True).order_by())
    }
    scores = np.array([-1 if v is None else v for v in column["review_score"]], dtype=np.int64)
    bitmaps["score"] = {
        value: _bitmap(pks[scores >= int(value)]) for value, _label in SCORE_CHOICES
    }
    terms = {}
    for name, (relation, _vocabulary, _label) in RELATION_FACETS.items():
        through = getattr(Tool, relation).through
        target = getattr(Tool, relation).field.m2m_reverse_field_name()
        pairs = list(through.objects.values_list("tool_id", f"{target}__slug").order_by())
        tool_ids = np.array([t for t, _slug in pairs], dtype=np.int64)
        bitmaps[name] = _bitmaps_by(tool_ids, [slug for _t, slug in pairs])
        terms[name] = _terms_by_tool(pairs, size)
    models_by_tool = _models_by_tool(size)

    # Sort orders. Ties on a sort key fall back to (name, id), as the SQL engine orders.
    names = column["name"]
    by_name = sorted(range(len(names)), key=names.__getitem__)  # stable: ids ascend
    exact = np.empty(len(names), dtype=np.int64)
    exact[by_name] = np.arange(len(names))
    folded = [n.casefold() for n in names]
    by_folded = sorted(by_name, key=folded.__getitem__)
    folded_rank = np.empty(len(names), dtype=np.int64)
    folded_rank[by_folded] = np.arange(len(names))
    created = np.array([c.timestamp() for c in column["created"]], dtype=np.float64)
    verified = column["last_checked"]
    never = np.array([d is None for d in verified], dtype=bool)
    verified_day = np.array([d.toordinal() if d else 0 for d in verified], dtype=np.int64)
    cents = np.array(
        [-1 if p is None else int(p * 100) for p in column["starting_price"]], dtype=np.int64
    )
    ranks = {
        "name": _ranks(size, pks, folded_rank),
        "newest": _ranks(size, pks, -created, exact),
        "verified": _ranks(size, pks, never, -verified_day, exact),
        "score": _ranks(size, pks, scores < 0, -np.maximum(scores, 0), exact),
        "price": _ranks(size, pks, cents < 0, np.maximum(cents, 0), exact),
    }
    prices = np.full(size, -1, dtype=np.int64)
    prices[pks] = cents
    language_families, integrations = _wizard_vocabulary()
    cards = _card_columns(size, pks, column, scores)
    return FacetIndex(
        stamp=stamp,
        taxonomy=load_taxonomy(),
        statuses=_bitmaps_by(pks, column["status"]),
        bitmaps=bitmaps,
        ranks=ranks,
        terms=terms,
        prices=prices,
        language_families=language_families,
        integrations=integrations,
        verified=_bitmap(pks[~never]),
        models_by_tool=models_by_tool,
        cards=cards,
    )


# Tool columns a card shows (CardColumns); the build reads them with the facets' columns.
CARD_COLUMNS = (
    "name",
    "slug",
    "pitch",
    "commercial_use_condition",
    "status",
    "pricing_model",
    "currency",
    "price_period",
    "commercial_use",
    "vendor__name",
)


def _card_columns(
    size: int, pks: np.ndarray, column: dict[str, Sequence[Any]], scores: np.ndarray
) -> CardColumns:
    review_scores = np.full(size, -1, dtype=np.int32)
    review_scores[pks] = scores
    return CardColumns(
        names=_texts(size, pks, column["name"]),
        slugs=_texts(size, pks, column["slug"]),
        pitches=_texts(size, pks, column["pitch"]),
        conditions=_texts(size, pks, column["commercial_use_condition"]),
        statuses=_codes(size, pks, column["status"]),
        pricing_models=_codes(size, pks, column["pricing_model"]),
        currencies=_codes(size, pks, column["currency"]),
        periods=_codes(size, pks, column["price_period"]),
        commercial_uses=_codes(size, pks, column["commercial_use"]),
        vendor_names=_codes(size, pks, column["vendor__name"]),
        review_scores=array.array("i", review_scores.tobytes()),
    )


def _texts(size: int, pks: np.ndarray, values: Sequence[str]) -> Texts:
    """`values` (one per id in `pks`, ascending) packed by tool id."""
    encoded = [value.encode() for value in values]
    lengths = np.zeros(size + 1, dtype=np.int64)
    lengths[pks + 1] = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    return Texts(b"".join(encoded), array.array("q", np.cumsum(lengths).tobytes()))


def _codes(size: int, pks: np.ndarray, values: Sequence[Any]) -> Codes:
    """`values` (one per id in `pks`) as codes by tool id; None stays "no value"."""
    distinct = [value for value in dict.fromkeys(values) if value is not None]
    number = {value: n for n, value in enumerate(distinct)}
    number[None] = -1
    codes = np.full(size, -1, dtype=np.int32)
    codes[pks] = np.fromiter(map(number.__getitem__, values), dtype=np.int32, count=len(pks))
    return Codes(array.array("i", codes.tobytes()), distinct)


def _wizard_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """One query: language model families and integration platforms, by slug."""
    families = ModelFamily.objects.filter(is_language=True).order_by()
    platforms = Platform.objects.filter(kind=Platform.Kind.INTEGRATION).order_by()
    rows = (
        families.annotate(_kind=Value("family"))
        .values_list("slug", "_kind")
        .union(platforms.annotate(_kind=Value("platform")).values_list("slug", "_kind"), all=True)
        .order_by()
    )
    kinds: dict[str, set[str]] = {"family": set(), "platform": set()}
    for slug, kind in rows:
        kinds[kind].add(slug)
    return frozenset(kinds["family"]), frozenset(kinds["platform"])


def _models_by_tool(size: int) -> tuple[np.ndarray, np.ndarray, list[ModelNote]]:
    """Two queries: every model (a short list) and the tool-model pairs."""
    models = AIModel.objects.order_by("name", "pk").values_list(
        "pk", "name", "developer__name", "open_weights"
    )
    notes, number = [], {}
    for n, (pk, name, developer, open_weights) in enumerate(models):
        notes.append(ModelNote(name, developer, open_weights))
        number[pk] = n
    pairs = Tool.ai_models.through.objects.values_list("tool_id", "aimodel_id").order_by()
    # Numbered in name order, so each tool's models come out sorted by name.
    offsets, numbers = _rows_by_tool(
        [(tool, number[model]) for tool, model in pairs if model in number], size
    )
    return offsets, numbers, notes


def _rows_by_tool(pairs: list[tuple[int, int]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Compressed rows: tool i's numbers are numbers[offsets[i]:offsets[i + 1]], ascending."""
    tools = np.array([t for t, _n in pairs], dtype=np.int64)
    numbers = np.array([n for _t, n in pairs], dtype=np.int32)
    keep = tools < size
    tools, numbers = tools[keep], numbers[keep]
    order = np.lexsort((numbers, tools))
    counts = np.bincount(tools, minlength=size)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    return offsets, numbers[order]


def _terms_by_tool(
    pairs: list[tuple[int, str]], size: int
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Compressed rows: tool i's term numbers are numbers[offsets[i]:offsets[i + 1]]."""
    slugs = sorted({slug for _tool, slug in pairs})
    number = {slug: n for n, slug in enumerate(slugs)}
    offsets, numbers = _rows_by_tool([(tool, number[slug]) for tool, slug in pairs], size)
    return offsets, numbers, slugs


_lock = threading.Lock()
_index: FacetIndex | None = None


def get_index() -> FacetIndex:
    """The current index: one query to check the stamp, a rebuild when it moved."""
    global _index
    stamp = current_version().stamp
    index = _index
    if index is not None and index.stamp == stamp:
        return index
    with _lock:
        if _index is None or _index.stamp != stamp:
            _index = build_index(stamp)
        return _index
