"""Everything one catalogue page shows, computed from the query string.

Views stay thin: they hand the request's GET data and a base queryset to
`browse()` and render what comes back (tools, facets with toggle links,
removable chips, notes about ignored input).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote_plus, urlencode

from django.http import QueryDict
from pyroaring import BitMap

from catalog.cards import Card, cards
from catalog.facet_index import FacetIndex, get_index
from catalog.facets import Facet, FacetOption, count_facets, matching_ids
from catalog.filters import (
    CHOICE_FACETS,
    FLAG_FACETS,
    RELATION_FACETS,
    SCORE_CHOICES,
    SORTS,
    ParsedFilters,
    parse_filters,
)
from catalog.models import Tool
from catalog.search import search_ids
from catalog.taxonomy import Taxonomy

# Search results ranked by relevance at most; a term matching more tools ranks its
# name matches and lists the rest by name (catalog.search.search_ids).
RANKED = 2000


class OptionLink(NamedTuple):
    """A facet option with the link that toggles it (a page makes ~100: a tuple is cheap)."""

    option: FacetOption
    url: str

    @property
    def disabled(self) -> bool:
        return self.option.count == 0 and not self.option.selected


@dataclass(frozen=True)
class FacetView:
    facet: Facet
    links: list[OptionLink]


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


class IndexedResults:
    """A lazily loaded, sliceable result list for Django's Paginator.

    Only the requested page's cards are built (from the index, no query);
    its length comes from the bitmap for free.
    """

    def __init__(
        self,
        index: FacetIndex,
        ids: BitMap,
        *,
        sort: str,
        ranked: list[int] | None,
        query: str = "",
    ):
        # `ranked` may hold only the best matches; the rest of `ids` follows by name.
        self.index, self.ids, self.sort, self.ranked = index, ids, sort, ranked
        self.query = query  # cards highlight it, so it is part of their key

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, window: slice) -> list[Card]:
        offset = window.start or 0
        stop = len(self.ids) if window.stop is None else window.stop
        if self.ranked is not None:
            ranked = [i for i in self.ranked if i in self.ids]
            page_ids = ranked[offset:stop]
            if len(page_ids) < stop - offset and len(ranked) < len(self.ids):
                page_ids += self.index.page(
                    self.ids - BitMap(ranked),
                    sort="name",
                    offset=max(0, offset - len(ranked)),
                    limit=stop - offset - len(page_ids),
                )
        else:
            page_ids = self.index.page(self.ids, sort=self.sort, offset=offset, limit=stop - offset)
        return cards(page_ids, index=self.index, query=self.query)


@dataclass
class Browse:
    parsed: ParsedFilters
    tools: IndexedResults
    facets: list[FacetView] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    sort_links: list[tuple[str, str, bool]] = field(default_factory=list)

    @property
    def query(self) -> str:
        return self.parsed.state.get("q") or ""

    @property
    def clear_url(self) -> str:
        return "?"

    def url(self, **changes: str | None) -> str:
        return _url(self.parsed.params, sort=self.parsed.sort, **changes)


def browse(
    data: QueryDict,
    *,
    include_discontinued: bool = False,
    pinned: dict[str, str] | None = None,
) -> Browse:
    """Filter, count and order from the bitmap index; text search from the database.

    `pinned` filters are fixed by the page (a taxonomy page): applied, never linked.
    """
    index = get_index()
    taxonomy = index.taxonomy
    pinned = pinned or {}
    hidden_facets = frozenset(pinned)
    data = data.copy()
    for key, value in pinned.items():
        data.setlist(key, [value])
    query = (data.get("q") or "").strip()
    parsed = parse_filters(data, taxonomy=taxonomy, default_sort="relevance" if query else "name")
    for key in pinned:
        parsed.params.pop(key, None)
    state = parsed.state

    statuses = [Tool.Status.PUBLISHED]
    if include_discontinued:
        statuses.append(Tool.Status.DISCONTINUED)
    universe = index.universe(statuses)
    ranked = None
    if state.get("q"):
        top = RANKED if parsed.sort == "relevance" else 0
        found, ranked = search_ids(Tool.objects.filter(status__in=statuses), state["q"], top=top)
        universe &= found
    sort = parsed.sort if ranked is not None else _no_relevance(parsed)
    ids = matching_ids(index, state, universe=universe)
    result = Browse(
        parsed=parsed,
        tools=IndexedResults(
            index,
            ids,
            sort=sort,
            ranked=ranked if sort == "relevance" else None,
            query=state.get("q") or "",
        ),
    )
    # The editorial score facet and sort mean nothing until a published review exists,
    # nor "recently checked" until an editor has checked a published tool.
    published = index.universe([Tool.Status.PUBLISHED])
    unscored = frozenset() if published & index.selection("score", ["1"]) else {"score"}
    idle_sorts = unscored | (frozenset() if published & index.verified else {"verified"})
    facets = count_facets(
        index=index, state=state, universe=universe, exclude=hidden_facets | unscored
    )
    toggle = Toggles(parsed.params, parsed.sort)
    result.facets = [
        FacetView(
            facet=facet,
            links=[OptionLink(o, toggle(facet.name, o.value)) for o in facet.options],
        )
        for facet in facets
    ]
    result.chips = _chips(parsed, taxonomy, hidden_facets, toggle)
    sorts = [("relevance", "Relevance")] if query else []
    sorts += [(key, label) for key, (label, _order) in SORTS.items() if key not in idle_sorts]
    result.sort_links = [
        (label, _url(parsed.params, sort=key), key == parsed.sort) for key, label in sorts
    ]
    return result


def _no_relevance(parsed: ParsedFilters) -> str:
    return "name" if parsed.sort == "relevance" else parsed.sort


def _url(params: QueryDict, *, sort: str, **changes: str | None) -> str:
    query = {key: params.getlist(key) for key in params}
    return _encode(query, sort=sort, changes=changes)


class Toggles:
    """Links that add or remove one filter value and keep the rest of the query (in
    its order) and the sort. A page has ~100 (facet options and chips), most for a
    key the query lacks, so the text around each link's own part is worked out once
    per page and a link encodes only its own key."""

    def __init__(self, params: QueryDict, sort: str):
        self.query = {key: params.getlist(key) for key in params}
        encoded = {key: _pairs(key, vs) for key, vs in self.query.items()}
        sort_pair = _pair("sort", sort) if sort not in ("", "name", "relevance") else ""
        keys = list(encoded)
        # key -> (the query's parts before it, its parts after it plus the sort)
        self.around = {
            key: (
                _joined(encoded[k] for k in keys[:i]),
                _joined([*(encoded[k] for k in keys[i + 1 :]), sort_pair]),
            )
            for i, key in enumerate(keys)
        }
        # A key the query lacks goes last, before the sort.
        everything = _joined(encoded.values())
        self.new_prefix = f"?{everything}&" if everything else "?"
        self.new_suffix = f"&{sort_pair}" if sort_pair else ""

    def __call__(self, key: str, value: str) -> str:
        values = self.query.get(key)
        if values is None:
            return f"{self.new_prefix}{_pair(key, value)}{self.new_suffix}"
        changed = [v for v in values if v != value] if value in values else [*values, value]
        before, after = self.around[key]
        encoded = _joined((before, _pairs(key, changed), after))
        return f"?{encoded}" if encoded else "?"


def _joined(parts: Iterable[str]) -> str:
    return "&".join(part for part in parts if part)


def _pairs(key: str, values: list[str]) -> str:
    return "&".join(_pair(key, v) for v in values)


@lru_cache(maxsize=4096)
def _pair(key: str, value: str) -> str:
    """`key=value` exactly as urlencode writes it; the same few options recur on every page."""
    return f"{quote_plus(key)}={quote_plus(value)}"


def _encode(query: dict[str, list[str]], *, sort: str, changes: dict[str, str | None]) -> str:
    """`?a=1&b=2` from ordered keys, with the sort and `changes` applied."""
    if sort and sort not in ("name", "relevance"):
        query["sort"] = [sort]
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = [value]
    if query.get("sort") == ["name"]:
        query.pop("sort")
    encoded = urlencode([(k, v) for k, values in query.items() for v in values])
    return f"?{encoded}" if encoded else "?"


def _chips(
    parsed: ParsedFilters, taxonomy: Taxonomy, hidden: frozenset[str], toggle: Toggles
) -> list[Chip]:
    chips = []
    params = parsed.params
    if parsed.state.get("q"):
        chips.append(Chip(f"Search: {params['q']}", _url(params, sort=parsed.sort, q=None)))
    for key in params:
        if key in hidden or key == "q":
            continue
        for value in params.getlist(key):
            chips.append(Chip(_chip_label(key, value, taxonomy), toggle(key, value)))
    return chips


def _chip_label(key: str, value: str, taxonomy: Taxonomy) -> str:
    if key in RELATION_FACETS:
        _relation, vocabulary, label = RELATION_FACETS[key]
        return f"{label}: {taxonomy.name(vocabulary, value)}"
    if key in CHOICE_FACETS:
        _column, choices, label = CHOICE_FACETS[key]
        return f"{label}: {dict(choices).get(value, value)}"
    if key in FLAG_FACETS:
        return FLAG_FACETS[key][1]
    if key == "score":
        return f"Editorial score: {dict(SCORE_CHOICES).get(value, value)}"
    if key == "vendor":
        return f"Vendor: {value}"
    return f"{key}: {value}"
