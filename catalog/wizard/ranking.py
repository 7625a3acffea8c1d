"""Every tool's points at once, and the best few: numpy over the facet index.

`scoring` defines the preferences one tool at a time; here the same weights
are added per bitmap of tools carrying a term, so ranking the whole catalogue
costs a few array additions and no query.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pyroaring import BitMap

from catalog.facet_index import FacetIndex
from catalog.models import Period, PricingModel, Tool
from catalog.wizard.answers import Answers
from catalog.wizard.questions import LANGUAGE, MEDIA
from catalog.wizard.rules import DerivedSets, any_of, bitmap
from catalog.wizard.scoring import WEIGHTS, Judged


class Points:
    """Every tool's points, for the answers and each thing a tool is judged for.

    Points are integers: `scoring`'s `Fraction` points times `unit`, the least
    common multiple of every share's denominator, so ranks and ties are exactly
    the per-tool scores'. Preferences the whole result shares are added once;
    each `Judged` (the shortlist, a stage) adds its own.
    """

    def __init__(
        self,
        index: FacetIndex,
        answers: Answers,
        judged: Sequence[Judged],
        sets: DerivedSets,
    ) -> None:
        self.index = index
        self.sets = sets
        denominators = [len(answers.inputs), len(answers.uses)]
        for each in judged:
            denominators += [len(each.outputs), len(set(each.sides)), len(each.projects)]
        self.unit = math.lcm(*(d for d in denominators if d))
        self.common = np.zeros(index.size, dtype=np.int64)
        self._shares("input", [("input", i) for i in answers.inputs], self.common)
        self._shares("integration", [("platform", u) for u in answers.uses], self.common)
        if answers.work:
            ways = any_of(index, *(("work", w) for w in answers.work))
            self._add(self.common, ways, WEIGHTS["workflow"] * self.unit)
        scale = self._scale(answers.scale)
        if scale is not None:
            self._add(self.common, scale, WEIGHTS["scale"] * self.unit)
        budget = self._budget(answers.budget)
        if budget is not None:
            self._add(self.common, budget, WEIGHTS["budget"] * self.unit)

    def _scale(self, scale: str) -> BitMap | None:
        index, sets = self.index, self.sets
        if scale == "one_off":
            return sets.free_to_start | sets.pay_per_use | bitmap(index, "period", Period.ONE_TIME)
        if scale == "team":
            return any_of(index, ("api", "1"), *(("platform", s) for s in index.integrations))
        if scale == "high_volume":
            return bitmap(index, "api", "1")
        return None

    def _budget(self, budget: str) -> BitMap | None:
        if budget == "usage":
            return self.sets.pay_per_use
        if budget == "enterprise":
            return any_of(
                self.index,
                ("pricing", PricingModel.CONTACT),
                ("indemnity", Tool.Indemnity.YES),
                ("indemnity", Tool.Indemnity.PAID_PLANS),
            )
        return None

    def of(self, judged: Judged) -> np.ndarray:
        """Points by tool id for what tools are `judged` for."""
        scores = self.common.copy()
        self._shares("output", [("output", o) for o in judged.outputs], scores)
        self._shares("use_case", [("use", p) for p in judged.projects], scores)
        wanted = set(judged.sides)
        if wanted:
            each = WEIGHTS["family"] * self.unit // len(wanted)
            if LANGUAGE in wanted:
                self._add(scores, self.sets.language, each)
            if MEDIA in wanted:
                self._add(scores, self.sets.media, each)
        return scores

    def _shares(self, key: str, options: list[tuple[str, str]], scores: np.ndarray) -> None:
        """WEIGHTS[key] times the share of `options` each tool has."""
        for name, value in options:
            each = WEIGHTS[key] * self.unit // len(options)
            self._add(scores, bitmap(self.index, name, value), each)

    def _add(self, scores: np.ndarray, ids: BitMap, amount: int) -> None:
        if ids:
            scores[self.index.as_array(ids)] += amount


def top(index: FacetIndex, ids: BitMap, points: np.ndarray, limit: int) -> list[int]:
    """The `limit` ids with the most points, ties by name."""
    members = index.as_array(ids)
    if limit <= 0 or not len(members):
        return []
    names = index.ranks["name"]
    if len(members) > limit:
        scores = points[members]
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        above = members[scores > kth]
        tied = members[scores == kth]
        need = limit - len(above)
        if len(tied) > need:
            tied = tied[np.argpartition(names[tied], need - 1)[:need]]
        members = np.concatenate([above, tied])
    order = np.lexsort((names[members], -points[members]))
    return [int(i) for i in members[order]]
