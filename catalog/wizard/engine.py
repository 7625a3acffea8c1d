"""The wizard end to end: answers in; verdict, pipeline, shortlist and what was left out.

Must-haves and exclusion counts are bitmap operations on the facet index and
every tool's points one numpy pass (`ranking`), so the cost barely grows with
the catalogue; only the tools shown are read from the database, in one query.
Featured status is never read, so it can never change a ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

from pyroaring import BitMap

from catalog.facet_index import FacetIndex, get_index
from catalog.models import Tool
from catalog.wizard.answers import Answers, Choices
from catalog.wizard.explain import exclusion_reason
from catalog.wizard.pipeline import Stage, Verdict, decide, plan_stages
from catalog.wizard.questions import LANGUAGE
from catalog.wizard.ranking import Points, top
from catalog.wizard.rules import LISTED_STATUSES, DerivedSets, intersect, must_haves
from catalog.wizard.scoring import Judged, Pick, score, terms_from_index, vocabulary_orders

SHORTLIST_SIZE = 10
STAGE_SIZE = 3


@dataclass(frozen=True)
class Exclusions:
    total: int
    by_reason: tuple[tuple[str, str, int], ...]  # (must-have key, phrase, count)


@dataclass(frozen=True)
class Recommendation:
    answers: Answers
    verdict: Verdict
    stages: tuple[Stage, ...]
    shortlist: tuple[Pick, ...]
    matching_ids: BitMap  # every tool meeting all must-haves
    exclusions: Exclusions

    @property
    def matching_count(self) -> int:
        return len(self.matching_ids)

    @cached_property
    def matching(self) -> frozenset[int]:
        return frozenset(self.matching_ids)

    @property
    def is_pipeline(self) -> bool:
        return len(self.stages) > 1


def recommend(
    answers: Answers, *, choices: Choices | None = None, index: FacetIndex | None = None
) -> Recommendation:
    """Verdict, pipeline and shortlist for `answers` over the published catalogue."""
    index = get_index() if index is None else index
    verdict = decide(answers, choices=choices)
    stages = plan_stages(answers, verdict)
    universe = index.universe(LISTED_STATUSES)
    sets = DerivedSets.of(index)
    masks = must_haves(index, answers, sets=sets)
    scope = intersect(universe, [m for key, m in masks.items() if key != "output"])
    matching = scope & masks["output"] if "output" in masks else scope

    whole = Judged(answers.wanted_outputs, verdict.sides, answers.projects)
    judged = [whole, *(Judged(s.outputs, (s.side,), s.projects) for s in stages)]
    points = Points(index, answers, judged, sets)
    shortlist_ids = top(index, matching, points.of(whole), SHORTLIST_SIZE)
    stage_ids = []
    for stage, each in zip(stages, judged[1:], strict=True):
        belongs = index.selection("output", list(stage.outputs))
        if stage.side == LANGUAGE:
            belongs |= sets.language
        stage_ids.append(top(index, scope & belongs, points.of(each), STAGE_SIZE))

    shown = {*shortlist_ids, *(i for ids in stage_ids for i in ids)}
    tools = Tool.objects.select_related("vendor").in_bulk(shown) if shown else {}
    orders = vocabulary_orders(index.taxonomy)

    def picks(ids: list[int], judged: Judged) -> tuple[Pick, ...]:
        return tuple(
            score(
                tools[i],
                answers=answers,
                judged=judged,
                terms=terms_from_index(index, i, orders),
            )
            for i in ids
            if i in tools
        )

    return Recommendation(
        answers=answers,
        verdict=verdict,
        stages=tuple(
            replace(stage, picks=picks(ids, each))
            for stage, ids, each in zip(stages, stage_ids, judged[1:], strict=True)
        ),
        shortlist=picks(shortlist_ids, whole),
        matching_ids=matching,
        exclusions=_exclusions(universe, masks, answers, choices),
    )


def _exclusions(
    universe: BitMap, masks: dict[str, BitMap], answers: Answers, choices: Choices | None
) -> Exclusions:
    if not masks:
        return Exclusions(total=0, by_reason=())
    total = len(universe) - len(intersect(universe, masks.values()))
    by_reason = tuple(
        (key, exclusion_reason(key, answers, choices), broken)
        for key, mask in masks.items()
        if (broken := len(universe) - universe.intersection_cardinality(mask))
    )
    return Exclusions(total=total, by_reason=by_reason)


class ExcludedTools:
    """The tools a result leaves out, in name order, for a `Paginator`.

    Counting is a bitmap cardinality; a page reads only its own tools (for
    cards), each with `breaks_<key>` set for every must-have it breaks.
    """

    def __init__(self, answers: Answers, *, index: FacetIndex | None = None) -> None:
        self.index = get_index() if index is None else index
        universe = self.index.universe(LISTED_STATUSES)
        self.masks = must_haves(self.index, answers)
        kept = intersect(universe, self.masks.values()) if self.masks else universe
        self.ids = universe - kept

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, window: slice) -> list[Tool]:  # a Paginator asks for slices
        start, stop, _step = window.indices(len(self.ids))
        ids = self.index.page(self.ids, sort="name", offset=start, limit=stop - start)
        tools = Tool.objects.for_cards().in_bulk(ids) if ids else {}
        page = [tools[i] for i in ids if i in tools]
        for tool in page:
            for key, mask in self.masks.items():
                setattr(tool, f"breaks_{key}", tool.pk not in mask)
        return page
