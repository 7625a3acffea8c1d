"""Tools that do the same job as a given one, ranked by what they share.

Scored on the facet index: every shared term adds its weight to each tool
carrying it (numpy over the term's bitmap), so ranking costs no query and
stays fast at 100,000 tools. Only the winners are read from the database.
"""

from __future__ import annotations

import numpy as np
from pyroaring import BitMap

from catalog.cards import Card, cards
from catalog.facet_index import FacetIndex
from catalog.models import Tool

# What "doing the same job" weighs: the output matters most.
WEIGHTS = {"output": 3, "use": 2, "family": 2, "input": 1}
# A candidate must share at least one of these to count as doing the same job.
OVERLAP = ("output", "use")


def similar_ids(index: FacetIndex, tool_id: int, *, universe: BitMap, limit: int) -> list[int]:
    """Ids from `universe` sharing an output or a use case with the tool, best first."""
    shared = {facet: index.slugs_of(facet, tool_id) for facet in WEIGHTS}
    candidates = BitMap(universe)
    candidates &= BitMap.union(
        *(index.selection(facet, shared[facet]) for facet in OVERLAP), BitMap()
    )
    candidates.discard(tool_id)
    if not candidates or limit <= 0:
        return []
    scores = np.zeros(index.size, dtype=np.int32)
    for facet, weight in WEIGHTS.items():
        for slug in shared[facet]:
            scores[index.option_ids(facet, slug)] += weight
    members = index.as_array(candidates)
    score = scores[members]
    if len(score) > limit:
        # Only candidates scoring at least the limit-th best can win (ties on it stay);
        # a histogram finds that score without sorting the many candidates.
        at_least = np.cumsum(np.bincount(score)[::-1])
        threshold = len(at_least) - 1 - int(np.searchsorted(at_least, limit))
        keep = np.flatnonzero(score >= threshold)
        members, score = members[keep], score[keep]
    # Highest score first; ties by name.
    key = -score.astype(np.int64) * index.size + index.ranks["name"][members]
    if len(key) > limit:  # only the best `limit` need sorting (keys are unique)
        top = np.argpartition(key, limit - 1)[:limit]
        best = members[top[np.argsort(key[top])]]
    else:
        best = members[np.argsort(key)]
    return [int(i) for i in best]


def similar_tools(
    index: FacetIndex, tool_id: int, *, universe: BitMap, limit: int = 6, for_grid: bool = True
) -> list[Tool] | list[Card]:
    """The similar tools: as cards for a grid (`for_grid`; cards cost no query,
    they come from the index), otherwise as tools, since the caller reads their fields."""
    ids = similar_ids(index, tool_id, universe=universe, limit=limit)
    if for_grid:
        return cards(ids, index=index)
    by_id = {tool.pk: tool for tool in Tool.objects.filter(pk__in=ids).for_cards()}
    return [by_id[i] for i in ids if i in by_id]
