"""Facet counting: how many tools each option would give, given the other filters.

Standard faceted search: a facet's counts honour every active filter except
its own, so choosing "image" still shows how many tools make audio.

Two engines share one result shape. `count_facets` answers from the
in-memory bitmap index (catalog.facet_index) with no queries at all;
`count_facets_sql` is the straightforward one-grouped-query-per-facet
version, kept as the reference the fast engine is tested against.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet
from pyroaring import BitMap

from catalog.facet_index import FacetIndex
from catalog.filters import (
    CHOICE_FACETS,
    FACET_ORDER,
    FLAG_FACET_LABELS,
    FLAG_FACETS,
    RELATION_FACETS,
    SCORE_CHOICES,
    ToolFilter,
)
from catalog.models import Tool
from catalog.taxonomy import Taxonomy

# Filters the index can answer; "q" (text search) comes from the database.
INDEXED_FILTERS = (*FACET_ORDER, "vendor")


class FacetOption(NamedTuple):
    """One option's count (a page has ~100, so a tuple rather than a dataclass)."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]

    @property
    def active(self) -> bool:
        return any(o.selected for o in self.options)


def _values(state: Mapping[str, Any], name: str) -> list[str]:
    value = state.get(name)
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def matching_ids(
    index: FacetIndex, state: Mapping[str, Any], *, universe: BitMap, skip: str | None = None
) -> BitMap:
    """Tools in `universe` passing every active indexed filter except `skip`."""
    return _within(universe, _selections(index, state), skip=skip)


def _selections(index: FacetIndex, state: Mapping[str, Any]) -> dict[str, BitMap]:
    """Each active indexed filter's tools (OR within a filter)."""
    selections = {}
    for name in INDEXED_FILTERS:
        values = _values(state, name)
        if values:
            selections[name] = index.selection(name, values)
    return selections


def _within(universe: BitMap, selections: dict[str, BitMap], skip: str | None = None) -> BitMap:
    """`universe` narrowed by every selection but `skip`'s."""
    chosen = [ids for name, ids in selections.items() if name != skip]
    return BitMap.intersection(universe, *chosen) if chosen else BitMap(universe)


def count_facets(
    *,
    index: FacetIndex,
    state: Mapping[str, Any],
    universe: BitMap,
    exclude: frozenset[str] = frozenset(),
) -> list[Facet]:
    """Counts from the bitmap index; `universe` already holds status and text search.

    About 90 options on a page: each is one intersection count, made as its option
    is built (this loop is the hottest of a catalogue page).
    """
    selections = _selections(index, state)
    everything = _within(universe, selections)
    facets = []
    for name in FACET_ORDER:
        if name in exclude:
            continue
        selected = _values(state, name)
        others = _within(universe, selections, skip=name) if name in selections else everything
        choices, label = _choices_and_label(name, index.taxonomy)
        count = _counter(others, index.bitmaps.get(name, {}))
        facets.append(_facet(name, label, choices, count, selected))
    return facets


def count_facets_sql(
    *, base: QuerySet, filterset: ToolFilter, exclude: frozenset[str] = frozenset()
) -> list[Facet]:
    """The reference engine: one grouped query per facet."""
    state = filterset.form.cleaned_data
    facets = []
    for name in FACET_ORDER:
        if name in exclude:
            continue
        others = filterset.apply(base, skip=name).order_by()
        choices, label = _choices_and_label(name, filterset.taxonomy)
        if name in RELATION_FACETS:
            counts = _relation_counts(others, RELATION_FACETS[name][0])
        elif name in CHOICE_FACETS:
            column = CHOICE_FACETS[name][0]
            counts = dict(others.values_list(column).annotate(n=Count("pk")).order_by())
        elif name == "score":
            counts = others.aggregate(
                **{v: Count("pk", filter=Q(review_score__gte=int(v))) for v, _ in SCORE_CHOICES}
            )
        else:
            column = FLAG_FACETS[name][0]
            counts = {"1": others.aggregate(n=Count("pk", filter=Q(**{column: True})))["n"]}
        facets.append(_facet(name, label, choices, counts.get, _values(state, name)))
    return facets


def _choices_and_label(name: str, taxonomy: Taxonomy) -> tuple[Sequence[tuple[str, str]], str]:
    if name in RELATION_FACETS:
        _relation, vocabulary, label = RELATION_FACETS[name]
        return taxonomy.choices(vocabulary), label
    if name in CHOICE_FACETS:
        _column, choices, label = CHOICE_FACETS[name]
        return choices, label
    if name == "score":
        return SCORE_CHOICES, "Editorial score"
    return [("1", FLAG_FACETS[name][1])], FLAG_FACET_LABELS[name]


def _facet(
    name: str,
    label: str,
    choices: Sequence[tuple[str, str]],
    count: Callable[[str], int | None],
    selected: list[str],
) -> Facet:
    """`count(value)` is an option's count; None or no answer means none."""
    return Facet(
        name=name,
        label=label,
        options=[
            FacetOption(value, text, count(value) or 0, value in selected)
            for value, text in choices
        ],
    )


def _counter(ids: BitMap, options: Mapping[str, BitMap]) -> Callable[[str], int]:
    """How many of `ids` carry each option: one intersection count."""
    cardinality = ids.intersection_cardinality
    return lambda value: cardinality(options[value]) if value in options else 0


def _relation_counts(tools: QuerySet, relation: str) -> dict[str, int]:
    through = getattr(Tool, relation).through
    target = getattr(Tool, relation).field.m2m_reverse_field_name()
    rows = (
        through.objects.filter(tool_id__in=tools.values("pk"))
        .values_list(f"{target}__slug")
        .annotate(n=Count("tool_id"))
        .order_by()
    )
    return dict(rows)
