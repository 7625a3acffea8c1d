"""Facet counting: how many tools each option would give, given the other filters.

Standard faceted search: a facet's counts honour every active filter except
its own, so choosing "image" still shows how many tools make audio. The
interface (`count_facets`) stays put when a faster engine replaces the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from catalog.filters import (
    CHOICE_FACETS,
    FACET_ORDER,
    FLAG_FACET_LABELS,
    FLAG_FACETS,
    RELATION_FACETS,
    ToolFilter,
)
from catalog.models import Tool


@dataclass(frozen=True)
class FacetOption:
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


def count_facets(
    *, base: QuerySet, filterset: ToolFilter, exclude: frozenset[str] = frozenset()
) -> list[Facet]:
    """One grouped query per facet; the number of queries never depends on the data."""
    state = filterset.form.cleaned_data
    facets = []
    for name in FACET_ORDER:
        if name in exclude:
            continue
        others = filterset.apply(base, skip=name).order_by()
        selected = state.get(name) or []
        if name in RELATION_FACETS:
            relation, vocabulary, label = RELATION_FACETS[name]
            counts = _relation_counts(others, relation)
            choices = filterset.taxonomy.choices(vocabulary)
        elif name in CHOICE_FACETS:
            column, choices, label = CHOICE_FACETS[name]
            counts = dict(others.values_list(column).annotate(n=Count("pk")).order_by())
        else:
            column, option_label = FLAG_FACETS[name]
            label = FLAG_FACET_LABELS[name]
            counts = others.aggregate(n=Count("pk", filter=Q(**{column: True})))
            counts = {"1": counts["n"]}
            choices = [("1", option_label)]
            selected = [selected] if selected else []
        facets.append(
            Facet(
                name=name,
                label=label,
                options=[
                    FacetOption(value, text, counts.get(value, 0), value in selected)
                    for value, text in choices
                ],
            )
        )
    return facets


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
