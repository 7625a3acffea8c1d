"""Everything one catalogue page shows, computed from the query string.

Views stay thin: they hand the request's GET data and a base queryset to
`browse()` and render what comes back (tools, facets with toggle links,
removable chips, notes about ignored input).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.http import QueryDict

from catalog.facets import Facet, FacetOption, count_facets
from catalog.filters import (
    CHOICE_FACETS,
    FLAG_FACETS,
    RELATION_FACETS,
    SORTS,
    ParsedFilters,
    parse_filters,
)
from catalog.taxonomy import Taxonomy


@dataclass(frozen=True)
class OptionLink:
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


@dataclass
class Browse:
    parsed: ParsedFilters
    tools: QuerySet
    facets: list[FacetView] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    sort_links: list[tuple[str, str, bool]] = field(default_factory=list)

    @property
    def query(self) -> str:
        return self.parsed.filterset.form.cleaned_data.get("q") or ""

    @property
    def clear_url(self) -> str:
        return "?"

    def url(self, **changes: str | None) -> str:
        return _url(self.parsed.params, sort=self.parsed.sort, **changes)


def browse(
    data: QueryDict,
    *,
    base: QuerySet,
    taxonomy: Taxonomy,
    pinned: dict[str, str] | None = None,
) -> Browse:
    """`pinned` filters are fixed by the page (a taxonomy page): applied, never linked."""
    pinned = pinned or {}
    hidden_facets = frozenset(pinned)
    data = data.copy()
    for key, value in pinned.items():
        data.setlist(key, [value])
    query = (data.get("q") or "").strip()
    parsed = parse_filters(data, taxonomy=taxonomy, default_sort="relevance" if query else "name")
    for key in pinned:
        parsed.params.pop(key, None)
    tools = _ordered(parsed.filterset.apply(base), parsed.sort if query else _no_relevance(parsed))
    result = Browse(parsed=parsed, tools=tools)
    facets = count_facets(base=base, filterset=parsed.filterset, exclude=hidden_facets)
    result.facets = [
        FacetView(
            facet=facet,
            links=[
                OptionLink(o, _toggle(parsed.params, parsed.sort, facet.name, o.value))
                for o in facet.options
            ],
        )
        for facet in facets
    ]
    result.chips = _chips(parsed, taxonomy, hidden_facets)
    sorts = [("relevance", "Relevance")] if query else []
    sorts += [(key, label) for key, (label, _order) in SORTS.items()]
    result.sort_links = [
        (label, _url(parsed.params, sort=key), key == parsed.sort) for key, label in sorts
    ]
    return result


def _no_relevance(parsed: ParsedFilters) -> str:
    return "name" if parsed.sort == "relevance" else parsed.sort


def _ordered(tools: QuerySet, sort: str) -> QuerySet:
    if sort == "relevance":
        return tools.order_by("-relevance", "name")
    if sort == "price":
        return tools.order_by(F("starting_price").asc(nulls_last=True), "name")
    if sort == "verified":
        return tools.order_by(F("last_verified").desc(nulls_last=True), "name")
    return tools.order_by(*SORTS[sort][1])


def _url(params: QueryDict, *, sort: str, **changes: str | None) -> str:
    query = params.copy()
    if sort and sort not in ("name", "relevance"):
        query["sort"] = sort
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    if query.get("sort") in ("name",):
        query.pop("sort")
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _toggle(params: QueryDict, sort: str, key: str, value: str) -> str:
    query = params.copy()
    values = query.getlist(key)
    query.setlist(key, [v for v in values if v != value] if value in values else [*values, value])
    return _url(query, sort=sort)


def _chips(parsed: ParsedFilters, taxonomy: Taxonomy, hidden: frozenset[str]) -> list[Chip]:
    chips = []
    params = parsed.params
    if parsed.filterset.form.cleaned_data.get("q"):
        chips.append(Chip(f"Search: {params['q']}", _url(params, sort=parsed.sort, q=None)))
    for key in params:
        if key in hidden or key == "q":
            continue
        for value in params.getlist(key):
            chips.append(
                Chip(_chip_label(key, value, taxonomy), _toggle(params, parsed.sort, key, value))
            )
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
    return f"{key}: {value}"
